// SIPTransaction: any one of the four transaction state machines of RFC 3261 §17, as the transaction table holds them.
import SIPCore

/// A client or server, INVITE or non-INVITE transaction.
public enum SIPTransaction: Sendable {
    case clientInvite(SIPClientInviteTransaction)
    case clientNonInvite(SIPClientNonInviteTransaction)
    case serverInvite(SIPServerInviteTransaction)
    case serverNonInvite(SIPServerNonInviteTransaction)

    /// The request that created the transaction; nil for a non-INVITE server transaction from
    /// Completed on (it keeps only its final response's bytes then).
    public var request: SIPMessage? {
        switch self {
        case .clientInvite(let t): return t.request
        case .clientNonInvite(let t): return t.request
        case .serverInvite(let t): return t.request
        case .serverNonInvite(let t): return t.request
        }
    }

    public var isReliable: Bool {
        switch self {
        case .clientInvite(let t): return t.isReliable
        case .clientNonInvite(let t): return t.isReliable
        case .serverInvite(let t): return t.isReliable
        case .serverNonInvite(let t): return t.isReliable
        }
    }

    public var isClient: Bool {
        switch self {
        case .clientInvite, .clientNonInvite: return true
        case .serverInvite, .serverNonInvite: return false
        }
    }

    public var isTerminated: Bool {
        switch self {
        case .clientInvite(let t): return t.state == .terminated
        case .clientNonInvite(let t): return t.state == .terminated
        case .serverInvite(let t): return t.state == .terminated
        case .serverNonInvite(let t): return t.state == .terminated
        }
    }

    mutating func start() -> [SIPTransactionAction] {
        apply { $0.start() } _: { $0.start() } _: { $0.start() } _: { $0.start() }
    }

    // A response for a client transaction, a retransmitted request or ACK for a server one.
    mutating func receive(_ message: SIPMessage) -> [SIPTransactionAction] {
        apply { $0.receive(message) } _: { $0.receive(message) } _: { $0.receive(message) } _: { $0.receive(message) }
    }

    // The TU's response; client transactions take none.
    mutating func respond(_ response: SIPMessage) -> [SIPTransactionAction] {
        apply { _ in [] } _: { _ in [] } _: { $0.respond(response) } _: { $0.respond(response) }
    }

    mutating func timerFired(_ timer: SIPTimerName) -> [SIPTransactionAction] {
        apply { $0.timerFired(timer) } _: { $0.timerFired(timer) } _: { $0.timerFired(timer) } _: { $0.timerFired(timer) }
    }

    mutating func transportError() -> [SIPTransactionAction] {
        apply { $0.transportError() } _: { $0.transportError() } _: { $0.transportError() } _: { $0.transportError() }
    }

    mutating func abandon() -> [SIPTransactionAction] {
        apply { $0.abandon() } _: { $0.abandon() } _: { $0.abandon() } _: { $0.abandon() }
    }

    private mutating func apply(
        _ clientInvite: (inout SIPClientInviteTransaction) -> [SIPTransactionAction],
        _ clientNonInvite: (inout SIPClientNonInviteTransaction) -> [SIPTransactionAction],
        _ serverInvite: (inout SIPServerInviteTransaction) -> [SIPTransactionAction],
        _ serverNonInvite: (inout SIPServerNonInviteTransaction) -> [SIPTransactionAction]
    ) -> [SIPTransactionAction] {
        switch self {
        case .clientInvite(var t):
            let actions = clientInvite(&t)
            self = .clientInvite(t)
            return actions
        case .clientNonInvite(var t):
            let actions = clientNonInvite(&t)
            self = .clientNonInvite(t)
            return actions
        case .serverInvite(var t):
            let actions = serverInvite(&t)
            self = .serverInvite(t)
            return actions
        case .serverNonInvite(var t):
            let actions = serverNonInvite(&t)
            self = .serverNonInvite(t)
            return actions
        }
    }
}
