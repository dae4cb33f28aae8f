// SIPParsedHeaders: the typed values of the core headers, kept from validation so reading them is free.

/// Built once by the parser while it validates a message; immutable and shared by copies of the message.
final class SIPParsedHeaders: Sendable {
    let via: [SIPVia]
    let from: SIPNameAddress?
    let to: SIPNameAddress?
    let callID: String?
    let cseq: SIPCSeq?
    let maxForwards: Int?
    let contacts: [SIPContact]
    let routes: [SIPNameAddress]
    let recordRoutes: [SIPNameAddress]
    let contentType: SIPMediaType?
    let contentLength: Int?
    let expires: UInt32?

    init(via: [SIPVia], from: SIPNameAddress?, to: SIPNameAddress?, callID: String?, cseq: SIPCSeq?, maxForwards: Int?,
         contacts: [SIPContact], routes: [SIPNameAddress], recordRoutes: [SIPNameAddress], contentType: SIPMediaType?,
         contentLength: Int?, expires: UInt32?) {
        self.via = via
        self.from = from
        self.to = to
        self.callID = callID
        self.cseq = cseq
        self.maxForwards = maxForwards
        self.contacts = contacts
        self.routes = routes
        self.recordRoutes = recordRoutes
        self.contentType = contentType
        self.contentLength = contentLength
        self.expires = expires
    }
}
