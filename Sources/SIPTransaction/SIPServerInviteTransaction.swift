// SIPServerInviteTransaction: the INVITE server transaction of RFC 3261 §17.2.1 with RFC 6026 §7.1 and §8.7 (Accepted, Timer L).
import SIPCore

/// Passes a new INVITE up, sends 100 Trying itself when the TU stays silent for 200 ms, answers
/// retransmitted INVITEs with the latest response, retransmits a 300-699 response on Timer G until
/// the ACK comes (or Timer H), and after a 2xx stays Accepted until Timer L so that retransmitted
/// INVITEs are absorbed and the TU's own 2xx retransmissions still reach the transport.
public struct SIPServerInviteTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case proceeding, completed, confirmed, accepted, terminated
    }

    public private(set) var state: State = .proceeding
    public let request: SIPMessage
    public let isReliable: Bool
    public let config: SIPTimerConfig
    /// The latest provisional response sent (by the TU, or the transaction's own 100 Trying).
    public private(set) var lastProvisionalResponse: SIPMessage?
    /// The first final response the TU sent.
    public private(set) var finalResponse: SIPMessage?
    private var timers = SIPRunningTimers()
    private var timerGInterval: Duration
    private var started = false

    /// A server transaction for a new INVITE; the INVITE goes up on `start()`.
    public init(request: SIPMessage, reliable: Bool, config: SIPTimerConfig = .standard) {
        precondition(request.method == .invite, "server INVITE transaction for \(request.method?.rawValue ?? "a response")")
        self.request = request
        self.isReliable = reliable
        self.config = config
        self.timerGInterval = config.t1
    }

    /// Passes the INVITE to the TU and arms the 100 Trying timer (or sends 100 Trying at once when its delay is zero). Called once.
    public mutating func start() -> [SIPTransactionAction] {
        precondition(!started, "server INVITE transaction started twice")
        started = true
        var actions: [SIPTransactionAction] = [.passUp(request)]
        if config.tryingDelay == .zero {
            sendTrying(into: &actions)
        } else {
            timers.start(.trying, after: config.tryingDelay, into: &actions)
        }
        return actions
    }

    /// A request matched to this transaction (§17.2.3): a retransmitted INVITE or an ACK.
    public mutating func receive(_ request: SIPMessage) -> [SIPTransactionAction] {
        precondition(started, "server INVITE transaction used before start()")
        guard let method = request.method else { return [] }
        var actions: [SIPTransactionAction] = []
        if method == .ack {
            switch state {
            case .completed:
                timers.cancel(.g, into: &actions)
                timers.cancel(.h, into: &actions)
                let i = config.timerI(reliable: isReliable)
                if i == .zero {
                    terminate(into: &actions)
                } else {
                    state = .confirmed
                    timers.start(.i, after: i, into: &actions)
                }
            case .accepted:
                // RFC 6026 §7.1: an ACK that matches in Accepted (only possible by RFC 2543 rules or a
                // peer reusing the branch) is the ACK for the 2xx; it belongs to the TU.
                actions.append(.passUp(request))
            case .proceeding, .confirmed, .terminated:
                break
            }
        } else {
            switch state {
            case .proceeding:
                if let lastProvisionalResponse { actions.append(.send(lastProvisionalResponse)) }
            case .completed:
                if let finalResponse { actions.append(.send(finalResponse)) }
            case .confirmed, .accepted, .terminated:
                break  // RFC 6026 §8.7: absorbed in Accepted.
            }
        }
        return actions
    }

    /// The TU's response to the INVITE. Responses after the final one are dropped, except further
    /// 2xx in Accepted (the TU retransmits its own 2xx, §13.3.1.4).
    public mutating func respond(_ response: SIPMessage) -> [SIPTransactionAction] {
        precondition(started, "server INVITE transaction used before start()")
        guard let code = response.statusCode else { return [] }
        var actions: [SIPTransactionAction] = []
        switch state {
        case .proceeding:
            timers.cancel(.trying, into: &actions)
            actions.append(.send(response))
            if code < 200 {
                lastProvisionalResponse = response
            } else if code < 300 {
                finalResponse = response
                state = .accepted
                timers.start(.l, after: config.timerL, into: &actions)
            } else {
                finalResponse = response
                state = .completed
                if !isReliable { timers.start(.g, after: timerGInterval, into: &actions) }
                timers.start(.h, after: config.timerH, into: &actions)
            }
        case .accepted:
            if (200..<300).contains(code) { actions.append(.send(response)) }
        case .completed, .confirmed, .terminated:
            break
        }
        return actions
    }

    /// A timer this transaction started has expired.
    public mutating func timerFired(_ timer: SIPTimerName) -> [SIPTransactionAction] {
        precondition(started, "server INVITE transaction used before start()")
        guard timers.fired(timer) else { return [] }
        var actions: [SIPTransactionAction] = []
        switch (timer, state) {
        case (.trying, .proceeding):
            sendTrying(into: &actions)
        case (.g, .completed):
            if let finalResponse { actions.append(.send(finalResponse)) }
            timerGInterval = min(timerGInterval * 2, config.t2)
            timers.start(.g, after: timerGInterval, into: &actions)
        case (.h, .completed):
            // The ACK never came (§17.2.1).
            actions.append(.timeout(.h))
            terminate(into: &actions)
        case (.i, .confirmed), (.l, .accepted):
            terminate(into: &actions)
        default:
            preconditionFailure("\(timer) ran in state \(state)")
        }
        return actions
    }

    /// The transport could not send a response. RFC 6026 §7.1 keeps the transaction (so INVITE
    /// retransmissions are still absorbed) and only informs the TU; Timers H and L still end it.
    public mutating func transportError() -> [SIPTransactionAction] {
        guard state != .terminated else { return [] }
        return [.transportError]
    }

    /// Ends the transaction now without telling the TU anything more.
    public mutating func abandon() -> [SIPTransactionAction] {
        guard state != .terminated else { return [] }
        var actions: [SIPTransactionAction] = []
        terminate(into: &actions)
        return actions
    }

    // 100 Trying per §8.2.6.1: no To tag, Timestamp copied.
    private mutating func sendTrying(into actions: inout [SIPTransactionAction]) {
        var trying = request.response(100)
        let timestamp = SIPHeaderName("Timestamp")
        for field in request.headers where field.key == timestamp { trying.headers.append(field) }
        lastProvisionalResponse = trying
        actions.append(.send(trying))
    }

    private mutating func terminate(into actions: inout [SIPTransactionAction]) {
        timers.cancelAll(into: &actions)
        state = .terminated
        actions.append(.terminated)
    }
}
