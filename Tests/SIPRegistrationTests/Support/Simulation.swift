// Simulation: a driver for the registration client on a manual clock: it arms the timer, adds a Via, parses each request and plays the network.

import SIPCore
import SIPRegistration
import Testing

// What the simulated network does with a request.
enum NetworkReply {
    // The response arrives after `latency`.
    case respond(SIPMessage)
    // No answer: the transaction times out after `transactionTimeout` (Timer F).
    case timeout
    // The transport fails after `latency`.
    case transportError
    // Nothing happens; the test answers by hand.
    case silent
}

// One request the client asked for, as it went on the wire.
struct SentRequest {
    var at: RegistrationInstant
    var request: RegistrationRequest
    // The request with the transport's Via added, serialized and parsed back by SIPCore.
    var wire: SIPMessage
    var method: SIPMethod { request.cseq.method }
}

final class Simulation {
    var client: RegistrationClient
    var now: RegistrationInstant = .zero
    var timer: RegistrationInstant?
    var sent: [SentRequest] = []
    var statuses: [RegistrationStatus] = []
    var actions: [RegistrationAction] = []
    var latency: Duration = .milliseconds(20)
    var transactionTimeout: Duration = .seconds(32)
    var network: (SentRequest) throws -> NetworkReply = { _ in .silent }
    private var queue: [(at: RegistrationInstant, order: Int, event: RegistrationEvent)] = []
    private var order = 0
    private var branch = 0

    init(config: RegistrationConfig, random: any RegistrationRandomSource = ScriptedRandom()) {
        client = RegistrationClient(config: config, random: random)
    }

    // Answers every REGISTER through `registrar`.
    func answer(with registrar: FakeRegistrar) {
        network = { sent in sent.method == .register ? .respond(try registrar.respond(to: sent.wire)) : .silent }
    }

    var registers: [SentRequest] { sent.filter { $0.method == .register } }
    var options: [SentRequest] { sent.filter { $0.method == .options } }
    var last: SentRequest { sent[sent.count - 1] }
    var state: RegistrationState { client.status.state }

    // Feeds one event now and carries out the actions.
    @discardableResult
    func deliver(_ event: RegistrationEvent) throws -> [RegistrationAction] {
        now = max(now, event.now)
        let out = client.handle(event)
        actions += out
        for action in out {
            switch action {
            case .sendRequest(let request):
                var message = request.message
                #expect(!message.headers.contains(.via), "the client leaves the Via to the transport")
                branch += 1
                message.headers.prepend(.via, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-sim\(branch)")
                let wire = try SIPMessage(parsing: message.serialized())
                let s = SentRequest(at: now, request: request, wire: wire)
                sent.append(s)
                switch try network(s) {
                case .respond(let response): enqueue(now + latency, .responseReceived(response, now: now + latency))
                case .timeout: enqueue(now + transactionTimeout, .transactionTimedOut(request.cseq, now: now + transactionTimeout))
                case .transportError: enqueue(now + latency, .transportError(now: now + latency))
                case .silent: break
                }
            case .setTimer(let at): timer = at
            case .cancelTimer: timer = nil
            case .stateChanged(let status): statuses.append(status)
            }
        }
        return out
    }

    func start() throws { try deliver(.start(now: now)) }

    // Delivers a response to the last request at the current time.
    @discardableResult
    func reply(_ response: SIPMessage) throws -> [RegistrationAction] {
        try deliver(.responseReceived(response, now: now))
    }

    // Runs queued network events and the timer in time order up to `end`, then sets the clock to `end`.
    func run(until end: RegistrationInstant) throws {
        while true {
            let next = queue.indices.min { (queue[$0].at, queue[$0].order) < (queue[$1].at, queue[$1].order) }
            let queuedAt = next.map { queue[$0].at }
            if let t = timer, t <= end, queuedAt.map({ t <= $0 }) ?? true {
                now = max(now, t)
                timer = nil
                try deliver(.timerFired(now: now))
            } else if let i = next, let at = queuedAt, at <= end {
                let item = queue.remove(at: i)
                now = max(now, at)
                try deliver(item.event)
            } else {
                break
            }
        }
        now = max(now, end)
    }

    func run(for d: Duration) throws { try run(until: now + d) }

    private func enqueue(_ at: RegistrationInstant, _ event: RegistrationEvent) {
        order += 1
        queue.append((at, order, event))
    }
}
