// SIPMessage+Transaction: the ACK for a non-2xx final response (RFC 3261 §17.1.1.3), CANCEL (§9.1) and the header reads transactions need.
import SIPCore

extension SIPMessage {
    /// The ACK an INVITE client transaction sends for a 300-699 response to this INVITE (§17.1.1.3):
    /// same Request-URI, Call-ID, From and CSeq number, the top Via only (same branch), the Route
    /// header fields of the INVITE, and To taken from the response (so it carries the response's tag).
    /// The ACK for a 2xx is the TU's, not this one.
    public func transactionACK(for response: SIPMessage) throws(SIPTransactionError) -> SIPMessage {
        try transactionSibling(.ack).withTo(of: response)
    }

    /// A CANCEL for this INVITE (§9.1): same Request-URI, Call-ID, To, From and CSeq number, the top
    /// Via only (same branch, so the server matches it to the INVITE), and the INVITE's Route header fields.
    public func cancelRequest() throws(SIPTransactionError) -> SIPMessage {
        try transactionSibling(.cancel)
    }

    // ACK or CANCEL built from this INVITE; To is copied from the INVITE.
    func transactionSibling(_ method: SIPMethod) throws(SIPTransactionError) -> SIPMessage {
        guard case .request(let original, let uri) = startLine else { throw .notARequest }
        guard original == .invite else { throw .wrongMethod(original) }
        let via = try transactionTopVia()
        let cseq = try transactionCSeq()
        var h = SIPHeaders()
        h.add(.via, via.description)
        for field in headers where field.key == .route { h.append(field) }
        h.add(.maxForwards, "70")
        for name in [SIPHeaderName.from, .to, .callID] {
            guard let field = headers.fields.first(where: { $0.key == name }) else { throw .missingHeader(name) }
            h.append(field)
        }
        h.add(.cseq, SIPCSeq(cseq.sequence, method).description)
        return .request(method, uri, headers: h)
    }

    // This message with its To header replaced by the response's (the tag the ACK must carry).
    func withTo(of response: SIPMessage) -> SIPMessage {
        var copy = self
        if let to = response.headers.fields.first(where: { $0.key == .to }) { copy.headers.set(.to, to.value) }
        return copy
    }

    func transactionTopVia() throws(SIPTransactionError) -> SIPVia {
        try requiredHeader(.via) { () throws(SIPParseError) in try headers.topVia }
    }

    func transactionCSeq() throws(SIPTransactionError) -> SIPCSeq {
        try requiredHeader(.cseq) { () throws(SIPParseError) in try headers.cseq }
    }

    func transactionCallID() throws(SIPTransactionError) -> String {
        try requiredHeader(.callID) { () throws(SIPParseError) in try headers.callID }
    }

    func transactionAddress(_ name: SIPHeaderName) throws(SIPTransactionError) -> SIPNameAddress {
        try requiredHeader(name) { () throws(SIPParseError) in name == .from ? try headers.from : try headers.to }
    }

    private func requiredHeader<T>(_ name: SIPHeaderName, _ read: () throws(SIPParseError) -> T?) throws(SIPTransactionError) -> T {
        let value: T?
        do { value = try read() } catch { throw .malformedHeader(name, error) }
        guard let value else { throw .missingHeader(name) }
        return value
    }
}
