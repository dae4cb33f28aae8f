// SIPServerNonInviteTransaction: the non-INVITE server transaction of RFC 3261 §17.2.2.
import SIPCore

/// Passes a new non-INVITE request up, answers retransmissions with the latest response (none while
/// Trying), and after the final response keeps answering them until Timer J.
///
/// Once Completed the transaction only absorbs retransmissions, so it keeps what that needs and no
/// more: the final response as the bytes it sent (`finalResponseBytes`). The parsed request and
/// response (a few dozen small objects) are dropped then, while they are still in the cache, not
/// 64*T1 later when Timer J ends a transaction nobody has touched since.
public struct SIPServerNonInviteTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case trying, proceeding, completed, terminated
    }

    public private(set) var state: State = .trying
    /// The request that created the transaction; nil from Completed on.
    public private(set) var request: SIPMessage?
    public let isReliable: Bool
    public let config: SIPTimerConfig
    /// The latest provisional response sent, while Proceeding.
    public private(set) var lastResponse: SIPMessage?
    /// The final response as sent (`sendSerialized`), resent for each retransmission of the request.
    public private(set) var finalResponseBytes: [UInt8]?
    private var timers = SIPRunningTimers()
    private var started = false

    /// A server transaction for a new request other than INVITE and ACK; the request goes up on `start()`.
    public init(request: SIPMessage, reliable: Bool, config: SIPTimerConfig = .standard) {
        precondition(request.isRequest && request.method != .invite && request.method != .ack,
                     "server non-INVITE transaction for \(request.method?.rawValue ?? "a response")")
        self.request = request
        self.isReliable = reliable
        self.config = config
    }

    /// Passes the request to the TU. Called once.
    public mutating func start() -> [SIPTransactionAction] {
        precondition(!started, "server non-INVITE transaction started twice")
        started = true
        return request.map { [.passUp($0)] } ?? []
    }

    /// A retransmission of the request (§17.2.3).
    public mutating func receive(_ request: SIPMessage) -> [SIPTransactionAction] {
        precondition(started, "server non-INVITE transaction used before start()")
        switch state {
        case .proceeding:
            if let lastResponse { return [.send(lastResponse)] }
            return []
        case .completed:
            if let finalResponseBytes { return [.sendSerialized(finalResponseBytes)] }
            return []
        case .trying, .terminated:
            return []
        }
    }

    /// The TU's response. Responses after the final one are dropped.
    public mutating func respond(_ response: SIPMessage) -> [SIPTransactionAction] {
        precondition(started, "server non-INVITE transaction used before start()")
        guard let code = response.statusCode else { return [] }
        var actions: [SIPTransactionAction] = []
        switch state {
        case .trying, .proceeding:
            if code < 200 {
                lastResponse = response
                actions.append(.send(response))
                state = .proceeding
            } else {
                let bytes = response.serialized()
                actions.append(.sendSerialized(bytes))
                finalResponseBytes = bytes
                request = nil
                lastResponse = nil
                let j = config.timerJ(reliable: isReliable)
                if j == .zero {
                    terminate(into: &actions)
                } else {
                    state = .completed
                    timers.start(.j, after: j, into: &actions)
                }
            }
        case .completed, .terminated:
            break
        }
        return actions
    }

    /// A timer this transaction started has expired.
    public mutating func timerFired(_ timer: SIPTimerName) -> [SIPTransactionAction] {
        precondition(started, "server non-INVITE transaction used before start()")
        guard timers.fired(timer) else { return [] }
        guard timer == .j, state == .completed else { preconditionFailure("\(timer) ran in state \(state)") }
        var actions: [SIPTransactionAction] = []
        terminate(into: &actions)
        return actions
    }

    /// The transport could not send a response (§17.2.4): the TU is told and the transaction ends.
    public mutating func transportError() -> [SIPTransactionAction] {
        guard state != .terminated else { return [] }
        var actions: [SIPTransactionAction] = [.transportError]
        terminate(into: &actions)
        return actions
    }

    /// Ends the transaction now without telling the TU anything more.
    public mutating func abandon() -> [SIPTransactionAction] {
        guard state != .terminated else { return [] }
        var actions: [SIPTransactionAction] = []
        terminate(into: &actions)
        return actions
    }

    private mutating func terminate(into actions: inout [SIPTransactionAction]) {
        timers.cancelAll(into: &actions)
        state = .terminated
        actions.append(.terminated)
    }
}
