// Box: the running appliance: SIP listeners, one registration per trunk profile from the running config,
// the config store and the consoles, and the live answers the console shows.
import Config
import Console
import Foundation
import Gateway
import NIOCore
import NIOPosix
import SIPCore
import SIPLocator
import SIPRegistration
import SIPStack
import Store

/// The last few hundred events, for `show log` and `show status` (never a secret).
final class BoxLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private let capacity = 500
    var echo = true

    func add(_ line: String) {
        let stamped = "\(UTCTime.now()) \(line)"
        lock.withLock {
            lines.append(stamped)
            if lines.count > capacity { lines.removeFirst(lines.count - capacity) }
        }
        if echo { say(line) }
    }

    func recent(_ limit: Int) -> [String] { lock.withLock { Array(lines.suffix(limit)) } }
}

/// The live box. Its SIP parts run on one event loop; the consoles call in from their own threads.
final class Box: BoxRuntime, @unchecked Sendable {
    let loop: any EventLoop
    let transactions: SIPTransactionLayer
    let service: ConfigService
    let log: BoxLog
    private var agents: [String: SIPRegistrationAgent] = [:]   // by profile name; event loop only
    private var sipDebug = false

    init(loop: any EventLoop, transactions: SIPTransactionLayer, service: ConfigService, log: BoxLog) {
        self.loop = loop
        self.transactions = transactions
        self.service = service
        self.log = log
    }

    // MARK: Profiles

    /// Starts, restarts or stops registrations so they match `config` (changed credentials re-register,
    /// removed profiles un-register). Runs on the event loop.
    func applyProfiles(old: GatewayConfig?, new: GatewayConfig) {
        loop.execute { [self] in
            let wanted = Dictionary(new.profiles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for (name, agent) in agents where wanted[name] == nil || old?.profile(named: name).map({ wanted[name]!.registrationDiffers(from: $0) }) == true {
                agent.stop()
                agents[name] = nil
                log.add("profile \(name): registration stopped (\(wanted[name] == nil ? "profile removed" : "registration settings changed"))")
            }
            for profile in new.profiles where agents[profile.name] == nil {
                startRegistration(profile)
            }
        }
    }

    private func startRegistration(_ profile: ProfileConfig) {
        guard let user = profile.sipUser ?? (profile.auth == .ip ? profile.name : nil) else { return }
        let secret = profile.password?.clearText ?? ""
        let (host, port) = Self.hostPort(profile.registrar)
        let transport = RegistrationTransport(rawValue: profile.transport.rawValue) ?? .udp
        let defaultPort = transport == .tls ? 5061 : 5060
        let isLiteral = (try? SocketAddress(ipAddress: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: 0)) != nil
        let registrar = SIPURI(host: host, port: port)
        let targets: EventLoopFuture<[RegistrationTarget]>
        if isLiteral {
            targets = loop.makeSucceededFuture([RegistrationTarget(host: host, port: port ?? defaultPort, transport: transport)])
        } else {
            let text = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
            let server = SIPResolver.nameServer(inResolvConf: text) ?? (try! SocketAddress(ipAddress: "127.0.0.1", port: 53))
            let resolver = SIPResolver(eventLoop: loop, server: server)
            var configuration = SIPLocatorConfiguration()
            configuration.transports = [SIPTransport(rawValue: transport.rawValue) ?? .udp]
            targets = resolver.locate(SIPLocatorURI(host: host, port: port, transport: transport.rawValue, isSecure: transport == .tls, maddr: nil),
                                      configuration: configuration)
                .map { list in list.available(at: 0).map {
                    RegistrationTarget(host: "\($0.address)", port: Int($0.port), transport: RegistrationTransport(rawValue: $0.transport.rawValue) ?? .udp)
                } }
        }
        targets.whenComplete { [self] result in
            guard case .success(let list) = result, !list.isEmpty else {
                log.add("profile \(profile.name): cannot locate \(host) (DNS); will try again on the next commit or restart")
                return
            }
            let local = transactions.transport.localAddress(side: .wan, transport: .udp)
                ?? transactions.transport.localAddress(side: .wan, transport: .tcp)
            let contact = SIPURI(user: user, host: local?.ipAddress ?? "127.0.0.1", port: local?.port)
            let config = RegistrationConfig(
                profileName: profile.name, registrar: registrar, username: user, secret: .password(secret),
                contact: contact, transport: transport, mode: profile.auth == .ip ? .ipAuthentication : .register,
                requestedExpires: UInt32(clamping: profile.registerExpires), targets: list,
                userAgent: "trunkbox/\(VersionCommand.firmwareVersion)")
            let agent = SIPRegistrationAgent(config: config, transactions: transactions, serverName: isLiteral ? nil : host)
            var last = ""
            agent.onStatus = { [weak agent, log] status in
                guard let agent else { return }
                let state = "\(status.state)"
                if state != last {
                    last = state
                    log.add("profile \(profile.name): \(status.summary(now: agent.now))")
                }
            }
            agents[profile.name] = agent
            agent.start()
        }
    }

    static func hostPort(_ text: String) -> (String, Int?) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[...close])
            let rest = text[text.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        let parts = text.split(separator: ":")
        if parts.count == 2, let port = Int(parts[1]) { return (String(parts[0]), port) }
        return (text, nil)
    }

    func connectionLost(ip: String, port: Int, transport: SIPTransportKind) {
        for agent in agents.values { agent.connectionLost(ip: ip, port: port, transport: transport) }
    }

    func stopAll() {
        for agent in agents.values { agent.stop() }
    }

    // MARK: BoxRuntime

    func registrationLines() -> [String] {
        let profiles = service.running.profiles.map(\.name)
        return (try? loop.submit { [self] in
            profiles.map { name in
                guard let agent = agents[name] else { return "\(name): not started (locating the registrar or no SIP user name)" }
                return agent.status.summary(now: agent.now)
            }
        }.wait()) ?? []
    }

    func callLines() -> [String] { [] }

    func channelLines() -> [String] {
        service.running.profiles.map { "\($0.name): 0 of \($0.channels) channels in use" }
    }

    func recentLog(limit: Int) -> [String] { log.recent(limit) }

    func testTrunk(profile: String) -> String {
        guard let p = service.running.profile(named: profile) else { return "% no profile named '\(profile)'\n" }
        let lines = registrationLines().filter { $0.hasPrefix(p.name + ":") }
        return "registration: " + (lines.first ?? "not started") + "\n"
            + "% the step-by-step trunk test (DNS, TLS, REGISTER, OPTIONS) is not in this firmware yet\n"
    }

    func setSIPDebug(_ on: Bool) -> String {
        sipDebug = on
        return "% live SIP trace is not in this firmware yet; see 'show log'\n"
    }

    func simulateRing() -> String { "% this box has no analog line configured\n" }

    func statusLines() -> [String] {
        let addresses = (try? loop.submit { [self] in
            [SIPSide.lan, .wan].flatMap { side in
                [SIPTransportKind.udp, .tcp].compactMap { t in
                    transactions.transport.localAddress(side: side, transport: t).map { "\(side) \(t) \($0.ipAddress ?? "?"):\($0.port ?? 0)" }
                }
            }
        }.wait()) ?? []
        return ["listening: " + addresses.joined(separator: ", ")]
    }
}
