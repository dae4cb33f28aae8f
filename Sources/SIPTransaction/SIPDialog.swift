// SIPDialog: one side's view of an RFC 3261 §12 dialog: identifiers, sequence numbers, remote target and route set, and the in-dialog requests it builds.
import SIPCore

/// The state a user agent keeps for a dialog (RFC 3261 §12): Call-ID, local and remote tags, the
/// local and remote URIs, the remote target (the peer's Contact), the route set and the CSeq numbers.
/// A value: the B2BUA keeps one per call leg. It builds in-dialog requests (§12.2.1.1) and checks
/// the CSeq of received ones (§12.2.2).
public struct SIPDialog: Sendable, Hashable {
    public var callID: String
    public var localTag: String
    /// Nil while a UAC's dialog has no answer with a To tag yet.
    public var remoteTag: String?
    /// The local party (From of requests the box sends in this dialog), without tag.
    public var localParty: SIPNameAddress
    /// The remote party (To of requests the box sends), without tag.
    public var remoteParty: SIPNameAddress
    /// Where in-dialog requests go (the peer's Contact).
    public var remoteTarget: URI
    /// Route headers for in-dialog requests (loose routing, §12.2.1.1).
    public var routeSet: [SIPNameAddress]
    /// The last CSeq the box used; the next request takes `localSequence + 1`.
    public var localSequence: UInt32
    /// The highest CSeq the peer used; nil until its first in-dialog request.
    public var remoteSequence: UInt32?

    /// Errors building a dialog from messages that lack what a dialog needs.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        init(_ text: String) { description = text }
    }

    public init(callID: String, localTag: String, remoteTag: String?, localParty: SIPNameAddress, remoteParty: SIPNameAddress,
                remoteTarget: URI, routeSet: [SIPNameAddress] = [], localSequence: UInt32, remoteSequence: UInt32? = nil) {
        self.callID = callID
        self.localTag = localTag
        self.remoteTag = remoteTag
        self.localParty = localParty.withoutTag
        self.remoteParty = remoteParty.withoutTag
        self.remoteTarget = remoteTarget
        self.routeSet = routeSet
        self.localSequence = localSequence
        self.remoteSequence = remoteSequence
    }

    /// The UAS side (§12.1.1): built from the received INVITE and the To tag the box answers with.
    /// Route set = the request's Record-Route in order; remote target = its Contact.
    public init(uas request: SIPMessage, localTag: String) throws(Invalid) {
        let h = request.headers
        guard let callID = (try? h.callID) ?? nil, let from = (try? h.from) ?? nil, let to = (try? h.to) ?? nil,
              let cseq = (try? h.cseq) ?? nil else { throw Invalid("the request lacks Call-ID, From, To or CSeq") }
        guard let target = (try? h.contacts)?.first?.address?.uri else { throw Invalid("the request has no Contact") }
        self.init(callID: callID, localTag: localTag, remoteTag: from.tag, localParty: to, remoteParty: from,
                  remoteTarget: target, routeSet: (try? h.recordRoutes) ?? [], localSequence: 0, remoteSequence: cseq.sequence)
    }

    /// The UAC side (§12.1.2): built from the request the box sent and a response with a To tag
    /// (a 2xx, or a 1xx making an early dialog). Route set = the response's Record-Route reversed.
    public init(uac request: SIPMessage, response: SIPMessage) throws(Invalid) {
        let h = request.headers
        guard let callID = (try? h.callID) ?? nil, let from = (try? h.from) ?? nil, let localTag = from.tag,
              let cseq = (try? h.cseq) ?? nil, let to = (try? response.headers.to) ?? nil else {
            throw Invalid("the request lacks Call-ID, a From tag or CSeq")
        }
        guard let remoteTag = to.tag else { throw Invalid("the response has no To tag") }
        let target = (try? response.headers.contacts)?.first?.address?.uri ?? request.requestURI
        guard let target else { throw Invalid("no remote target") }
        self.init(callID: callID, localTag: localTag, remoteTag: remoteTag, localParty: from, remoteParty: to,
                  remoteTarget: target, routeSet: ((try? response.headers.recordRoutes) ?? []).reversed(),
                  localSequence: cseq.sequence)
    }

    /// The key under which the box finds this dialog for a message it receives: Call-ID and the box's own tag.
    public var key: SIPDialogKey { SIPDialogKey(callID: callID, localTag: localTag) }

    /// A new in-dialog request (§12.2.1.1): Request-URI = remote target, Route = route set, From/To
    /// with tags, Call-ID, the next CSeq (ACK and CANCEL reuse the INVITE's number: pass `sequence`).
    /// Via is added by the transaction layer.
    public mutating func request(_ method: SIPMethod, sequence: UInt32? = nil, contact: SIPNameAddress? = nil,
                                 body: [UInt8] = [], contentType: String? = nil) -> SIPMessage {
        let number: UInt32
        if let sequence {
            number = sequence
        } else {
            localSequence &+= 1
            number = localSequence
        }
        var h = SIPHeaders()
        h.add(.maxForwards, "70")
        for route in routeSet { h.add(.route, route.description) }
        var from = localParty
        from.tag = localTag
        var to = remoteParty
        to.tag = remoteTag
        h.add(.from, from.description)
        h.add(.to, to.description)
        h.add(.callID, callID)
        h.add(.cseq, "\(number) \(method.rawValue)")
        if let contact { h.add(.contact, contact.description) }
        if let contentType, !body.isEmpty { h.add(.contentType, contentType) }
        return SIPMessage.request(method, remoteTarget, headers: h, body: body)
    }

    /// Checks a request the peer sent in this dialog (§12.2.2): a CSeq lower than (or, except for ACK
    /// and CANCEL, equal to) the last one is out of order and must be answered 500. Updates the remote
    /// sequence and, for a target refresh (re-INVITE, UPDATE), the remote target.
    public mutating func accept(_ request: SIPMessage) -> Bool {
        guard let cseq = (try? request.headers.cseq) ?? nil else { return false }
        let method = request.method
        if method != .ack && method != .cancel {
            if let last = remoteSequence, cseq.sequence <= last { return false }
            remoteSequence = cseq.sequence
        }
        if method == .invite || method == .update, let target = (try? request.headers.contacts)?.first?.address?.uri {
            remoteTarget = target
        }
        return true
    }

    /// Takes the peer's new Contact from a 2xx to a target refresh the box sent.
    public mutating func refreshTarget(from response: SIPMessage) {
        if let target = (try? response.headers.contacts)?.first?.address?.uri { remoteTarget = target }
    }
}

/// How a received in-dialog message finds its dialog: Call-ID plus the box's own tag (To tag of a
/// request the peer sends, From tag of a response to the box's request).
public struct SIPDialogKey: Sendable, Hashable, CustomStringConvertible {
    public var callID: String
    public var localTag: String

    public init(callID: String, localTag: String) {
        self.callID = callID
        self.localTag = localTag
    }

    /// The key of a request received in a dialog (its To tag is the box's), nil outside a dialog.
    public init?(receivedRequest message: SIPMessage) {
        guard let callID = (try? message.headers.callID) ?? nil, let tag = ((try? message.headers.to) ?? nil)?.tag else { return nil }
        self.init(callID: callID, localTag: tag)
    }

    public var description: String { "\(callID);\(localTag)" }
}

extension SIPNameAddress {
    /// The same address without a `tag` parameter.
    var withoutTag: SIPNameAddress {
        var copy = self
        copy.tag = nil
        return copy
    }
}
