// SIPClientInviteTransaction: the INVITE client transaction of RFC 3261 §17.1.1 with RFC 6026 §7.2 and §8.4 (Accepted, Timer M).
import SIPCore

/// Sends an INVITE, retransmits it on Timer A over unreliable transports, gives up on Timer B,
/// acknowledges 300-699 responses itself, and stays Accepted after a 2xx so that retransmitted and
/// forked 2xx responses still reach the TU until Timer M.
public struct SIPClientInviteTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case calling, proceeding, completed, accepted, terminated
    }

    public private(set) var state: State = .calling
    public let request: SIPMessage
    public let isReliable: Bool
    public let config: SIPTimerConfig
    // The ACK for 300-699 responses, To filled in from each response.
    private let ackTemplate: SIPMessage
    private var timers = SIPRunningTimers()
    private var timerAInterval: Duration
    private var started = false

    /// Checks that `request` is an INVITE with a top Via, CSeq, From, To and Call-ID; nothing is sent until `start()`.
    public init(request: SIPMessage, reliable: Bool, config: SIPTimerConfig = .standard) throws(SIPTransactionError) {
        guard let method = request.method else { throw .notARequest }
        guard method == .invite else { throw .wrongMethod(method) }
        self.ackTemplate = try request.transactionSibling(.ack)
        self.request = request
        self.isReliable = reliable
        self.config = config
        self.timerAInterval = config.t1
    }

    /// Sends the INVITE and starts Timer B, and Timer A on an unreliable transport. Called once.
    public mutating func start() -> [SIPTransactionAction] {
        precondition(!started, "client INVITE transaction started twice")
        started = true
        var actions: [SIPTransactionAction] = [.send(request)]
        if !isReliable { timers.start(.a, after: timerAInterval, into: &actions) }
        timers.start(.b, after: config.timerB, into: &actions)
        return actions
    }

    /// A response matched to this transaction (§17.1.3).
    public mutating func receive(_ response: SIPMessage) -> [SIPTransactionAction] {
        precondition(started, "client INVITE transaction used before start()")
        guard let code = response.statusCode else { return [] }
        var actions: [SIPTransactionAction] = []
        switch state {
        case .calling, .proceeding:
            timers.cancel(.a, into: &actions)
            // Timer B only guards Calling; a ringing call waits for its answer or the TU's CANCEL.
            timers.cancel(.b, into: &actions)
            if code < 200 {
                state = .proceeding
                actions.append(.passUp(response))
            } else if code < 300 {
                state = .accepted
                actions.append(.passUp(response))
                timers.start(.m, after: config.timerM, into: &actions)
            } else {
                actions.append(.send(ack(for: response)))
                actions.append(.passUp(response))
                let d = config.timerD(reliable: isReliable)
                if d == .zero {
                    terminate(into: &actions)
                } else {
                    state = .completed
                    timers.start(.d, after: d, into: &actions)
                }
            }
        case .completed:
            // A retransmitted final response: acknowledge it again, the TU has seen it.
            if code >= 300 { actions.append(.send(ack(for: response))) }
        case .accepted:
            // RFC 6026 §8.4: every 2xx goes up (retransmissions and other forks); the TU sends their ACKs.
            if (200..<300).contains(code) { actions.append(.passUp(response)) }
        case .terminated:
            break
        }
        return actions
    }

    /// A timer this transaction started has expired.
    public mutating func timerFired(_ timer: SIPTimerName) -> [SIPTransactionAction] {
        precondition(started, "client INVITE transaction used before start()")
        guard timers.fired(timer) else { return [] }
        var actions: [SIPTransactionAction] = []
        switch (timer, state) {
        case (.a, .calling):
            actions.append(.send(request))
            timerAInterval = timerAInterval * 2
            timers.start(.a, after: timerAInterval, into: &actions)
        case (.b, .calling):
            actions.append(.timeout(.b))
            terminate(into: &actions)
        case (.d, .completed), (.m, .accepted):
            terminate(into: &actions)
        default:
            preconditionFailure("\(timer) ran in state \(state)")
        }
        return actions
    }

    /// The transport could not send the INVITE or the ACK.
    public mutating func transportError() -> [SIPTransactionAction] {
        guard state != .terminated else { return [] }
        var actions: [SIPTransactionAction] = [.transportError]
        terminate(into: &actions)
        return actions
    }

    /// Ends the transaction now, e.g. when a CANCEL got no final answer to the INVITE within 64*T1 (§9.1).
    public mutating func abandon() -> [SIPTransactionAction] {
        guard state != .terminated else { return [] }
        var actions: [SIPTransactionAction] = []
        terminate(into: &actions)
        return actions
    }

    private func ack(for response: SIPMessage) -> SIPMessage { ackTemplate.withTo(of: response) }

    private mutating func terminate(into actions: inout [SIPTransactionAction]) {
        timers.cancelAll(into: &actions)
        state = .terminated
        actions.append(.terminated)
    }
}
