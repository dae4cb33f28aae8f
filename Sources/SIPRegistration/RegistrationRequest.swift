// RegistrationRequest: a REGISTER or keep-alive OPTIONS the client wants sent, with the target to send it to (RFC 3261 §10.2, §11).

import SIPCore

/// A request for the driver to send in a new client transaction.
///
/// The message has **no Via**: the transport layer prepends its own top Via (sent-by and a fresh
/// `z9hG4bK` branch, RFC 3261 §8.1.1.7) when it creates the transaction. Everything else is complete:
/// Request-URI, Max-Forwards, From with tag, To, Call-ID, CSeq, Contact, Expires, credentials, Allow,
/// Supported, User-Agent; Content-Length is written by the serializer.
public struct RegistrationRequest: Sendable, Hashable {
    public var message: SIPMessage
    /// The request's CSeq: report its time-out with `.transactionTimedOut(cseq, now:)`.
    public var cseq: SIPCSeq
    /// Where to send it.
    public var target: RegistrationTarget
    /// The target's position in the client's target list.
    public var targetIndex: Int

    public init(message: SIPMessage, cseq: SIPCSeq, target: RegistrationTarget, targetIndex: Int) {
        self.message = message
        self.cseq = cseq
        self.target = target
        self.targetIndex = targetIndex
    }
}
