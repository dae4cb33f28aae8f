// SIPClientNonInviteTransaction: the non-INVITE client transaction of RFC 3261 §17.1.2.
import SIPCore

/// Sends a non-INVITE request, retransmits it on Timer E over unreliable transports (T1 doubling up
/// to T2, then every T2 once a provisional response came), gives up on Timer F, and absorbs response
/// retransmissions for Timer K after the final response.
public struct SIPClientNonInviteTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case trying, proceeding, completed, terminated
    }

    public private(set) var state: State = .trying
    public let request: SIPMessage
    public let isReliable: Bool
    public let config: SIPTimerConfig
    private var timers = SIPRunningTimers()
    private var timerEInterval: Duration
    private var started = false

    /// Accepts any request but INVITE and ACK; nothing is sent until `start()`.
    public init(request: SIPMessage, reliable: Bool, config: SIPTimerConfig = .standard) throws(SIPTransactionError) {
        guard let method = request.method else { throw .notARequest }
        guard method != .invite, method != .ack else { throw .wrongMethod(method) }
        self.request = request
        self.isReliable = reliable
        self.config = config
        self.timerEInterval = config.t1
    }

    /// Sends the request and starts Timer F, and Timer E on an unreliable transport. Called once.
    public mutating func start() -> [SIPTransactionAction] {
        precondition(!started, "client non-INVITE transaction started twice")
        started = true
        var actions: [SIPTransactionAction] = [.send(request)]
        if !isReliable { timers.start(.e, after: timerEInterval, into: &actions) }
        timers.start(.f, after: config.timerF, into: &actions)
        return actions
    }

    /// A response matched to this transaction (§17.1.3).
    public mutating func receive(_ response: SIPMessage) -> [SIPTransactionAction] {
        precondition(started, "client non-INVITE transaction used before start()")
        guard let code = response.statusCode else { return [] }
        var actions: [SIPTransactionAction] = []
        switch state {
        case .trying, .proceeding:
            if code < 200 {
                // Retransmission goes on; Timer E's next interval becomes T2.
                state = .proceeding
                actions.append(.passUp(response))
            } else {
                timers.cancel(.e, into: &actions)
                timers.cancel(.f, into: &actions)
                actions.append(.passUp(response))
                let k = config.timerK(reliable: isReliable)
                if k == .zero {
                    terminate(into: &actions)
                } else {
                    state = .completed
                    timers.start(.k, after: k, into: &actions)
                }
            }
        case .completed, .terminated:
            break
        }
        return actions
    }

    /// A timer this transaction started has expired.
    public mutating func timerFired(_ timer: SIPTimerName) -> [SIPTransactionAction] {
        precondition(started, "client non-INVITE transaction used before start()")
        guard timers.fired(timer) else { return [] }
        var actions: [SIPTransactionAction] = []
        switch (timer, state) {
        case (.e, .trying):
            actions.append(.send(request))
            timerEInterval = min(timerEInterval * 2, config.t2)
            timers.start(.e, after: timerEInterval, into: &actions)
        case (.e, .proceeding):
            actions.append(.send(request))
            timerEInterval = config.t2
            timers.start(.e, after: timerEInterval, into: &actions)
        case (.f, .trying), (.f, .proceeding):
            actions.append(.timeout(.f))
            terminate(into: &actions)
        case (.k, .completed):
            terminate(into: &actions)
        default:
            preconditionFailure("\(timer) ran in state \(state)")
        }
        return actions
    }

    /// The transport could not send the request.
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
