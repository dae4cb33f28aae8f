// SIPLegacyTransactionID: RFC 3261 §17.2.3 matching for requests without a magic-cookie branch (RFC 2543 peers).
import SIPCore

/// Request-URI, To tag, From tag, Call-ID, CSeq and top Via of the request that created a server
/// transaction. Two IDs are equal when the Request-URIs are equivalent by the rules of their scheme
/// (§19.1.4) and the rest is equal (Via compared without regard to case). An ACK's ID records the
/// method INVITE and the ACK's own To tag.
public struct SIPLegacyTransactionID: Sendable, Hashable, CustomStringConvertible {
    public let requestURI: URI
    public let toTag: String?
    public let fromTag: String?
    public let callID: String
    public let cseq: SIPCSeq
    public let topVia: SIPVia
    // The top Via as lower-case text, for hashing and comparison.
    private let viaText: String

    public init(request: SIPMessage) throws(SIPTransactionError) {
        guard case .request(let method, let uri) = request.startLine else { throw .notARequest }
        let via = try request.transactionTopVia()
        var cseq = try request.transactionCSeq()
        if method == .ack { cseq.method = .invite }
        self.init(requestURI: uri,
                  toTag: try request.transactionAddress(.to).tag,
                  fromTag: try request.transactionAddress(.from).tag,
                  callID: try request.transactionCallID(),
                  cseq: cseq,
                  topVia: via)
    }

    private init(requestURI: URI, toTag: String?, fromTag: String?, callID: String, cseq: SIPCSeq, topVia: SIPVia) {
        self.requestURI = requestURI
        self.toTag = toTag
        self.fromTag = fromTag
        self.callID = callID
        self.cseq = cseq
        self.topVia = topVia
        self.viaText = SIPTransactionKey.lowercasedASCII(topVia.description)
    }

    func replacing(method: SIPMethod) -> SIPLegacyTransactionID {
        SIPLegacyTransactionID(requestURI: requestURI, toTag: toTag, fromTag: fromTag, callID: callID,
                               cseq: SIPCSeq(cseq.sequence, method), topVia: topVia)
    }

    func replacing(toTag: String?) -> SIPLegacyTransactionID {
        SIPLegacyTransactionID(requestURI: requestURI, toTag: toTag, fromTag: fromTag, callID: callID, cseq: cseq, topVia: topVia)
    }

    public static func == (a: SIPLegacyTransactionID, b: SIPLegacyTransactionID) -> Bool {
        a.callID == b.callID && a.cseq == b.cseq && a.fromTag == b.fromTag && a.toTag == b.toTag
            && a.viaText == b.viaText && a.requestURI.isEquivalent(to: b.requestURI)
    }

    /// The Request-URI is left out: equivalent URIs may be spelled differently.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(callID)
        hasher.combine(cseq)
        hasher.combine(fromTag)
        hasher.combine(toTag)
        hasher.combine(viaText)
    }

    public var description: String {
        "\(cseq) \(requestURI) Call-ID \(callID) from-tag \(fromTag ?? "-") to-tag \(toTag ?? "-") via \(topVia)"
    }
}
