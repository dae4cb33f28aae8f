// SIPRegistrationAgent: runs one profile's RegistrationClient (RFC 3261 §10) on the event loop: REGISTERs
// through client transactions on the WAN side, its timer as a scheduled task, its status for the console.
import NIOCore
import SIPCore
import SIPRegistration

/// The system generator behind Call-IDs, tags, cnonces and retry jitter.
struct SystemRegistrationRandom: RegistrationRandomSource, RandomNumberGenerator {
    var base = SystemRandomNumberGenerator()
    mutating func next() -> UInt64 { base.next() }
}

public final class SIPRegistrationAgent: @unchecked Sendable {
    public let transactions: SIPTransactionLayer
    public var eventLoop: any EventLoop { transactions.eventLoop }
    private var client: RegistrationClient
    private var timer: Scheduled<Void>?
    private let origin = NIODeadline.now()
    /// The TLS name to verify for TLS targets (the registrar's domain).
    public let serverName: String?
    /// Latest status, readable on the event loop (the console shows it).
    public private(set) var status: RegistrationStatus
    /// Every status change, in order.
    public var onStatus: (RegistrationStatus) -> Void = { _ in }
    /// REGISTER requests sent, for the console and the tests' back-off checks.
    public private(set) var registersSent = 0

    public init(config: RegistrationConfig, transactions: SIPTransactionLayer, serverName: String? = nil) {
        self.transactions = transactions
        self.client = RegistrationClient(config: config, random: SystemRegistrationRandom())
        self.status = client.status
        self.serverName = serverName ?? config.registrar.host
    }

    public var now: RegistrationInstant {
        RegistrationInstant(sinceOrigin: .nanoseconds((NIODeadline.now() - origin).nanoseconds))
    }

    public func start() { handle(.start(now: now)) }
    public func stop() { handle(.stop(now: now)) }
    public func credentialsChanged(username: String, secret: DigestSecret) {
        handle(.credentialsChanged(username: username, secret: secret, now: now))
    }
    public func transportReconnected(contact: SIPURI) { handle(.transportReconnected(contact: contact, now: now)) }
    public func registrarRestartDetected() { handle(.registrarRestartDetected(now: now)) }

    /// A TCP/TLS flow to the registrar died (closed, or silent to keep-alive pings): when it is the
    /// flow this profile registers over, the binding is gone with it; register again (RFC 5626 §4.4.1).
    public func connectionLost(ip: String, port: Int, transport: SIPTransportKind) {
        guard let target = status.target, target.host == ip, target.port == port,
              target.transport.rawValue == transport.rawValue, transport.isReliable else { return }
        switch status.state {
        case .registered, .registering: handle(.transportError(now: now))
        default: break
        }
    }

    private var handling = false
    private var queued: [RegistrationEvent] = []

    /// Feeds one event to the client. An event raised while the actions of another are carried out (a
    /// send that fails at once) waits its turn, so actions and status changes stay in order.
    private func handle(_ event: RegistrationEvent) {
        eventLoop.preconditionInEventLoop()
        queued.append(event)
        guard !handling else { return }
        handling = true
        defer { handling = false }
        while !queued.isEmpty {
            perform(client.handle(queued.removeFirst()))
        }
    }

    private func perform(_ actions: [RegistrationAction]) {
        for action in actions {
            switch action {
            case .sendRequest(let request):
                send(request)
            case .setTimer(let at):
                timer?.cancel()
                let delay = max(.zero, at - now)
                let (seconds, attoseconds) = delay.components
                timer = eventLoop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) { [weak self] in
                    guard let self else { return }
                    self.timer = nil
                    self.handle(.timerFired(now: self.now))
                }
            case .cancelTimer:
                timer?.cancel()
                timer = nil
            case .stateChanged(let status):
                self.status = status
                onStatus(status)
            }
        }
    }

    private func send(_ request: RegistrationRequest) {
        let transport: SIPTransportKind
        switch request.target.transport {
        case .udp: transport = .udp
        case .tcp: transport = .tcp
        case .tls: transport = .tls
        }
        if request.message.method == .register { registersSent += 1 }
        let destination = SIPDestination(ip: request.target.host, port: request.target.port, transport: transport, side: .wan,
                                         serverName: transport == .tls ? serverName : nil)
        let cseq = request.cseq
        transactions.request(request.message, to: destination, onResponse: { [weak self] response in
            guard let self, let code = response.statusCode, code >= 200 else { return }
            self.handle(.responseReceived(response, now: self.now))
        }, onFailure: { [weak self] failure in
            guard let self else { return }
            switch failure {
            case .timeout: self.handle(.transactionTimedOut(cseq, now: self.now))
            case .transportError: self.handle(.transportError(now: self.now))
            }
        })
    }
}
