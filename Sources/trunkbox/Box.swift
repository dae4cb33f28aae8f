// Box: the running appliance: SIP listeners, one registration per trunk profile from the running config,
// the config store and the consoles, and the live answers the console shows.
import Calls
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
    /// The B2BUA (set by the run command once the loop runs).
    var calls: CallController?
    /// The analog line, when the config has one and it started.
    var line: BoxLine?
    /// Consoles with `debug sip` on (the trace costs nothing while none is).
    private var tracing = 0
    /// Asks the run command to stop cleanly and start the program again.
    var onReload: @Sendable () -> Void = {}
    /// Shows a line on every console (`trace`: only on consoles with `debug sip` on). Set by the run command.
    var postToConsoles: @Sendable (_ text: String, _ trace: Bool) -> Void = { _, _ in }

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
                requestedExpires: UInt32(clamping: profile.registerExpires), keepAliveInterval: profile.keepAlive.map { .seconds($0) },
                targets: list,
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

    static func hostPort(_ text: String) -> (String, Int?) { CallController.hostPort(text) }

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

    func callLines() -> [String] {
        (try? loop.submit { [self] in calls?.callLines() ?? [] }.wait()) ?? []
    }

    func channelLines() -> [String] {
        let config = service.running
        return (try? loop.submit { [self] in
            calls?.channelLines(config) ?? config.profiles.map { "\($0.name): 0 of \($0.channels) channels in use" }
        }.wait()) ?? []
    }

    // MARK: Calls

    /// What the B2BUA needs from the box: the running config, where each trunk is, records to the store.
    func callEnvironment(store: Store) -> CallEnvironment {
        let log = self.log
        let writer = CallRecordWriter(store: store, log: { log.add($0) })
        var environment = CallEnvironment(
            config: { [service] in service.running },
            trunkDestination: { [unowned self] profile in trunkDestination(profile) },
            trunkProfiles: { [unowned self] ip, _, _ in trunkProfiles(ip: ip) },
            writeRecord: { record, done in writer.write(record, then: done) },
            log: { log.add($0) })
        environment.trunkUp = { [unowned self] name in agents[name]?.status.isTrunkUp ?? false }
        return environment
    }

    /// How many configured profiles are up (registered or trusted by address), for the trunk LED. Event loop.
    func trunkCounts() -> (up: Int, configured: Int) {
        let names = service.running.profiles.map(\.name)
        return (names.filter { agents[$0]?.status.isTrunkUp ?? false }.count, names.count)
    }

    /// Where the calls of `profile` go: the registrar target in use, else its literal address. Event loop.
    func trunkDestination(_ profile: ProfileConfig) -> SIPDestination? {
        let kind = SIPTransportKind(rawValue: profile.transport.rawValue) ?? .udp
        if let agent = agents[profile.name], let target = agent.status.target {
            let t = SIPTransportKind(rawValue: target.transport.rawValue) ?? kind
            return SIPDestination(ip: target.host, port: target.port, transport: t, side: .wan,
                                  serverName: t == .tls ? agent.serverName : nil)
        }
        let (host, port) = Self.hostPort(profile.registrar)
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard (try? SocketAddress(ipAddress: bare, port: 0)) != nil else { return nil }
        return SIPDestination(ip: bare, port: port ?? (kind == .tls ? 5061 : 5060), transport: kind, side: .wan)
    }

    /// The profiles whose trunk is at `ip` (the registrar target in use or its literal address). Event loop.
    func trunkProfiles(ip: String) -> [ProfileConfig] {
        service.running.profiles.filter { profile in
            if let target = agents[profile.name]?.status.target, target.host == ip { return true }
            let (host, _) = Self.hostPort(profile.registrar)
            return host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) == ip
        }
    }

    func recentLog(limit: Int) -> [String] { log.recent(limit) }

    /// `test trunk P`: DNS, the TLS handshake (TLS profiles), the registration and an OPTIONS round trip,
    /// each step pass or fail with a hint in plain words. Blocks the console's thread (at most ~15 s).
    func testTrunk(profile name: String) -> String {
        guard let profile = service.running.profile(named: name) else { return "% no profile named '\(name)'\n" }
        var out = "testing the trunk of profile \(profile.name) (\(profile.transport) to \(profile.registrar))\n"
        func step(_ label: String, _ pass: Bool, _ text: String, hint: String? = nil) {
            out += "  \(label.padding(toLength: 9, withPad: " ", startingAt: 0)) \(pass ? "pass" : "FAIL")  \(text)\n"
            if !pass, let hint { out += "            hint: \(hint)\n" }
        }
        let (host, port) = Self.hostPort(profile.registrar)
        let transport = RegistrationTransport(rawValue: profile.transport.rawValue) ?? .udp
        let kind = SIPTransportKind(rawValue: transport.rawValue) ?? .udp
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let isLiteral = (try? SocketAddress(ipAddress: bare, port: 0)) != nil

        // 1. DNS (RFC 3263)
        var targets: [RegistrationTarget] = []
        if isLiteral {
            targets = [RegistrationTarget(host: bare, port: port ?? (transport == .tls ? 5061 : 5060), transport: transport)]
            step("DNS", true, "\(host) is an address: no lookup needed")
        } else {
            let text = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
            let server = SIPResolver.nameServer(inResolvConf: text) ?? (try! SocketAddress(ipAddress: "127.0.0.1", port: 53))
            var locatorSettings = SIPLocatorConfiguration()
            locatorSettings.transports = [SIPTransport(rawValue: transport.rawValue) ?? .udp]
            let configuration = locatorSettings
            let located = try? loop.flatSubmit {
                SIPResolver(eventLoop: self.loop, server: server)
                    .locate(SIPLocatorURI(host: host, port: port, transport: transport.rawValue, isSecure: transport == .tls), configuration: configuration)
            }.wait()
            targets = located?.available(at: 0).map {
                RegistrationTarget(host: "\($0.address)", port: Int($0.port), transport: RegistrationTransport(rawValue: $0.transport.rawValue) ?? .udp)
            } ?? []
            if targets.isEmpty {
                step("DNS", false, "\(host) did not resolve (SRV, A, AAAA) via \(server.ipAddress ?? "?")",
                     hint: "check the name server in /etc/resolv.conf and that the WAN side reaches it")
                return out + "  stopped: nothing to connect to\n"
            }
            step("DNS", true, "\(host) -> " + targets.prefix(3).map(\.description).joined(separator: ", "))
        }
        let first = targets[0]

        // 2. TLS handshake and certificate (TLS profiles only)
        if kind == .tls {
            let opened: Result<SIPConnectionID, any Error> = {
                do {
                    let f = try loop.submit { self.transactions.transport.connection(to: first.host, port: first.port, transport: .tls, side: .wan,
                                                                                      serverName: isLiteral ? nil : host) }.wait()
                    return .success(try f.wait())
                } catch { return .failure(error) }
            }()
            switch opened {
            case .success:
                step("TLS", true, "handshake with \(first) done, certificate verified\(isLiteral ? "" : " for \(host)")")
            case .failure(let error):
                step("TLS", false, "handshake with \(first) failed: \(error)",
                     hint: "the trunk's certificate must chain to the system CAs and name \(host); check the box's clock too")
                return out + "  stopped: no secure connection\n"
            }
        }

        // 3. Registration: one in progress (a commit just started it, a digest round trip) is waited for,
        // up to 10 s, so the installer sees how it ends, not that it had not ended yet.
        let readStatus = { try? self.loop.submit { self.agents[profile.name].map { ($0.status, $0.status.summary(now: $0.now)) } }.wait() }
        var status = readStatus()
        let settleBy = Date().addingTimeInterval(10)
        while let (st, _) = status ?? nil, st.state == .registering || st.state == .idle, Date() < settleBy {
            Thread.sleep(forTimeInterval: 0.1)
            status = readStatus()
        }
        if profile.auth == .ip {
            step("REGISTER", true, "not used: IP authentication (the trunk trusts the box's address)")
        } else if let (st, summary) = status ?? nil {
            if "\(st.state)" == "registered" {
                step("REGISTER", true, summary)
            } else {
                let hint: String
                switch st.lastError {
                case .credentialsRejected?: hint = "the trunk refused the SIP user name or password: check both in the profile"
                case .userUnknown?: hint = "the trunk does not know this SIP user name"
                case .timeout?: hint = "no answer: a firewall or NAT on the WAN side may drop SIP (UDP/TCP 5060, TLS 5061)"
                case .transportFailure?: hint = "the connection failed: check the registrar address, port and transport"
                default: hint = "see 'show registrations' and 'show log'"
                }
                step("REGISTER", false, summary, hint: hint)
            }
        } else {
            step("REGISTER", false, "no registration is running for this profile",
                 hint: "the profile needs a sip-user and a password (or 'auth ip'); commit it, then test again")
        }

        // 4. OPTIONS round trip (5 s)
        let started = Date()
        let answered = DispatchSemaphore(value: 0)
        final class Box_<T>: @unchecked Sendable { var value: T?; init() {} }
        let result = Box_<Result<Int, SIPTransactionFailure>>()
        let user = profile.sipUser ?? "trunkbox"
        _ = try? loop.submit {
            var headers = SIPHeaders()
            headers.add(.maxForwards, "70")
            headers.add(.from, "<sip:\(user)@\(host)>;tag=tt\(UInt32.random(in: 1...UInt32.max))")
            headers.add(.to, "<sip:\(host)>")
            headers.add(.callID, "test-trunk-\(UInt64.random(in: 1...UInt64.max))")
            headers.add(.cseq, "1 OPTIONS")
            headers.add(.accept, "application/sdp")
            let uri = (try? URI.parse("sip:\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)")) ?? (try! URI.parse("sip:invalid"))
            let request = SIPMessage.request(.options, uri, headers: headers)
            let destination = SIPDestination(ip: first.host, port: first.port, transport: kind, side: .wan, serverName: isLiteral ? nil : host)
            self.transactions.request(request, to: destination, onResponse: { response in
                guard let code = response.statusCode, code >= 200, result.value == nil else { return }
                result.value = .success(code)
                answered.signal()
            }, onFailure: { failure in
                guard result.value == nil else { return }
                result.value = .failure(failure)
                answered.signal()
            })
        }.wait()
        let ms = { Int(Date().timeIntervalSince(started) * 1000) }
        if answered.wait(timeout: .now() + 5) == .timedOut {
            step("OPTIONS", false, "no answer from \(first) within 5 s",
                 hint: "a firewall or NAT may drop SIP; the trunk may also ignore OPTIONS from unregistered boxes")
        } else if case .success(let code)? = result.value {
            step("OPTIONS", true, "\(first) answered \(code) \(SIPStatus.reasonPhrase(code)) in \(ms()) ms")
        } else if case .failure(let failure)? = result.value {
            step("OPTIONS", false, "\(first): \(failure)", hint: "check the registrar address, port and transport")
        }
        return out
    }

    func setSIPDebug(_ on: Bool) -> String {
        let count = (try? loop.submit { [self] () -> Int in
            tracing = max(0, tracing + (on ? 1 : -1))
            if tracing > 0 {
                let post = postToConsoles
                transactions.transport.onTrace = { outbound, text, peer, transport, side in
                    let head = "\(UTCTime.now()) \(outbound ? "->" : "<-") \(side) \(transport) \(peer)"
                    post(head + "\n" + SIPTraceMask.mask(text).replacingOccurrences(of: "\r\n", with: "\n"), true)
                }
            } else {
                transactions.transport.onTrace = nil
            }
            return tracing
        }.wait()) ?? 0
        return on ? "SIP trace on (digest responses and SRTP keys masked); 'no debug sip' stops it\n"
                  : "SIP trace off\(count > 0 ? " here (\(count) other console(s) still tracing)" : "")\n"
    }

    func reload() -> String {
        log.add("reload requested from a console: restarting")
        let request = onReload
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { request() }
        return "restarting trunkbox: calls and consoles end now; the console is back in a few seconds\n"
    }

    func lineLines() -> [String] {
        guard let line else { return [] }
        return (try? loop.submit { line.statusLines() }.wait()) ?? []
    }

    func simulateRing(from caller: String?) -> String {
        guard let line else { return "% this box has no analog line running (see 'show status')\n" }
        return (try? loop.submit { line.simulateRing(from: caller) }.wait()) ?? "% the box is stopping\n"
    }

    func simulateResetButton(seconds: Int) -> String {
        guard let line else { return "% this box has no analog line running (see 'show status')\n" }
        return (try? loop.submit { line.simulateResetButton(seconds: seconds) }.wait()) ?? "% the box is stopping\n"
    }

    func statusLines() -> [String] {
        let addresses = (try? loop.submit { [self] in
            [SIPSide.lan, .wan].flatMap { side in
                [SIPTransportKind.udp, .tcp].compactMap { t in
                    transactions.transport.localAddress(side: side, transport: t).map { "\(side) \(t) \($0.ipAddress ?? "?"):\($0.port ?? 0)" }
                }
            }
        }.wait()) ?? []
        let counts = (try? loop.submit { [self] in calls?.liveCounts }.wait()) ?? nil
        var warnings: [String] = []
        for p in service.running.profiles where p.srtp != .off && p.transport != .tls && p.srtpPlainSignalling == .allow {
            warnings.append("WARNING: profile \(p.name) sends its SRTP keys in clear over \(p.transport) signalling (srtp-plain-signalling allow)")
        }
        for p in service.running.profiles where p.srtp == .required && p.transport != .tls && p.srtpPlainSignalling == .deny {
            warnings.append("WARNING: profile \(p.name) requires SRTP but its signalling is \(p.transport): its calls are refused (use transport tls)")
        }
        return ["listening: " + addresses.joined(separator: ", ")] + (counts.map { ["calls: \($0)"] } ?? ["calls: the media relay is not running"])
            + [BoxMemory.current().text] + warnings
    }
}
