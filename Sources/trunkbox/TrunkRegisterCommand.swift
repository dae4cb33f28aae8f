// TrunkRegisterCommand: `trunkbox trunk register` registers one SIP profile to a registrar and reports
// each status change: the installer's "does this profile work" check, and the interop tests' driver.
import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import SIPCore
import SIPLocator
import SIPRegistration
import SIPStack
import SIPTransaction

struct TrunkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trunk",
        abstract: "Trunk tools: register a SIP profile and watch its state.",
        subcommands: [TrunkRegisterCommand.self]
    )
}

struct TrunkRegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register one SIP profile and print its state until stopped, then un-register.",
        discussion: "The password is read from --password-file or the TRUNKBOX_SIP_PASSWORD environment variable, never from the command line."
    )

    @Option(help: "Registrar URI (Request-URI and domain), e.g. sip:sip.skype.com.")
    var registrar: String = "sip:sip.skype.com"

    @Option(help: "Next hop, transport:ip:port (repeat for fail-over order). Default: located from the registrar by RFC 3263.")
    var target: [String] = []

    @Option(help: "SIP user name (14 digits on Skype Connect).")
    var user: String

    @Option(help: "File holding the SIP password.")
    var passwordFile: String?

    @Option(help: "DNS server ip:port for RFC 3263 lookups of the registrar's domain (default: /etc/resolv.conf).")
    var dnsServer: String?

    @Option(help: "Local WAN address to bind, ip:port (port 0 picks one).")
    var wan: String = "127.0.0.1:0"

    @Option(help: "CA file (PEM) for TLS targets; default: the system store.")
    var caFile: String?

    @Option(help: "Name the TLS certificate must carry; default: the registrar's host.")
    var tlsName: String?

    @Option(help: "Expiry to request, seconds.")
    var expires: UInt32 = 3600

    @Option(help: "Retry interval after a failure or time-out, seconds.")
    var retry: Int = 60

    @Option(help: "Retry interval after wrong credentials (403), seconds.")
    var forbiddenRetry: Int = 300

    @Option(help: "RFC 3261 T1 in milliseconds.")
    var t1Ms: Int = 500

    @Option(help: "CRLF keep-alive ping interval on TCP/TLS flows, seconds (RFC 5626).")
    var keepalive: Int = 30

    @Option(help: "OPTIONS keep-alive toward the trunk every N seconds while registered (0: none; IP authentication: 30 by default).")
    var optionsInterval: Int = 0

    @Flag(help: "IP authentication: no REGISTER, OPTIONS keep-alives only.")
    var ipAuth = false

    @Option(help: "Stop (and un-register) after this many seconds.")
    var duration: Double = 30

    /// RFC 3263: SRV then A/AAAA for a domain, the literal address otherwise.
    static func locate(_ uri: SIPURI, dnsServer: String?) throws -> [RegistrationTarget] {
        let server: SocketAddress
        if let dnsServer {
            guard let colon = dnsServer.lastIndex(of: ":"), let port = Int(dnsServer[dnsServer.index(after: colon)...]),
                  let address = try? SocketAddress(ipAddress: String(dnsServer[..<colon]), port: port) else {
                throw ValidationError("dns-server must be ip:port")
            }
            server = address
        } else {
            let text = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
            server = SIPResolver.nameServer(inResolvConf: text) ?? (try! SocketAddress(ipAddress: "127.0.0.1", port: 53))
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let resolver = SIPResolver(eventLoop: group.next(), server: server)
        let locatorURI = SIPLocatorURI(host: uri.host, port: uri.port, transport: uri.transport, isSecure: uri.isSecure,
                                       maddr: uri.maddr)
        var configuration = SIPLocatorConfiguration()
        configuration.transports = [.udp, .tcp, .tls]
        let list: SIPTargetList
        do { list = try resolver.locate(locatorURI, configuration: configuration).wait() } catch {
            throw ValidationError("cannot locate \(uri.host): \(error)")
        }
        return list.available(at: 0).map {
            RegistrationTarget(host: "\($0.address)", port: Int($0.port), transport: RegistrationTransport(rawValue: $0.transport.rawValue) ?? .udp)
        }
    }

    func run() throws {
        let password: String
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else { throw ValidationError("cannot read \(passwordFile)") }
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let env = ProcessInfo.processInfo.environment["TRUNKBOX_SIP_PASSWORD"] {
            password = env
        } else {
            throw ValidationError("give the password with --password-file or TRUNKBOX_SIP_PASSWORD")
        }
        let registrarURI: SIPURI
        do { registrarURI = try SIPURI.parse(registrar) } catch { throw ValidationError("registrar: \(error)") }
        var targets: [RegistrationTarget] = []
        var transportsNeeded: Set<SIPTransportKind> = []
        for t in target {
            let parts = t.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let kind = RegistrationTransport(rawValue: parts[0].lowercased()),
                  let colon = parts[1].lastIndex(of: ":"), let port = Int(parts[1][parts[1].index(after: colon)...]) else {
                throw ValidationError("target must be transport:ip:port, e.g. udp:127.0.0.1:5060 (got \(t))")
            }
            let host = String(parts[1][..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard (try? SocketAddress(ipAddress: host, port: port)) != nil else {
                throw ValidationError("target host must be an IP address (got \(host)); give a domain as --registrar to locate it")
            }
            targets.append(RegistrationTarget(host: host, port: port, transport: kind))
            transportsNeeded.insert(SIPTransportKind(rawValue: kind.rawValue) ?? .udp)
        }
        if targets.isEmpty {
            targets = try Self.locate(registrarURI, dnsServer: dnsServer)
            transportsNeeded = Set(targets.map { SIPTransportKind(rawValue: $0.transport.rawValue) ?? .udp })
            say("located \(registrarURI.host): \(targets.map(\.description).joined(separator: ", "))")
        }
        guard let colon = wan.lastIndex(of: ":"), let wanPort = Int(wan[wan.index(after: colon)...]) else {
            throw ValidationError("wan must be ip:port")
        }
        let wanIP = String(wan[..<colon])

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        var settings = SIPTransportLayer.Settings()
        settings.tls = SIPTLSSettings(caFile: caFile)
        let tlsName = self.tlsName
        let config = SIPTimerConfig(t1: .milliseconds(t1Ms))
        let (retry, forbiddenRetry, expires, ipAuth, user) = (self.retry, self.forbiddenRetry, self.expires, self.ipAuth, self.user)
        let (settingsValue, targetsValue, transportsValue) = (settings, targets, transportsNeeded)
        let keepaliveSeconds = max(1, keepalive)
        let optionsEvery: Duration? = optionsInterval > 0 ? .seconds(optionsInterval) : nil
        let agent = try loop.flatSubmit { () -> EventLoopFuture<SIPRegistrationAgent> in
            let transport = SIPTransportLayer(eventLoop: loop, settings: settingsValue)
            let transactions = SIPTransactionLayer(transport: transport, config: config)
            let listens = transportsValue.sorted { $0.rawValue < $1.rawValue }.map {
                transport.listen(.init(side: .wan, transport: $0 == .tls ? .tcp : $0, host: wanIP, port: wanPort))
                    .map { _ in () }.recover { _ in () }
            }
            return EventLoopFuture.andAllSucceed(listens, on: loop).map {
                let local = transport.localAddress(side: .wan, transport: transportsValue.contains(.udp) ? .udp : .tcp)
                let contact = SIPURI(user: user, host: local?.ipAddress ?? wanIP, port: local?.port)
                let registration = RegistrationConfig(
                    profileName: "cli", registrar: registrarURI, username: user, secret: .password(password),
                    contact: contact, mode: ipAuth ? .ipAuthentication : .register, requestedExpires: expires,
                    retry: RetryPolicy(failureInterval: .seconds(retry), forbiddenInterval: .seconds(forbiddenRetry)),
                    keepAliveInterval: optionsEvery,
                    targets: targetsValue, userAgent: "trunkbox/\(VersionCommand.firmwareVersion)")
                let agent = SIPRegistrationAgent(config: registration, transactions: transactions, serverName: tlsName)
                agent.onStatus = { status in
                    say("status \(status.summary(now: agent.now)) registers=\(agent.registersSent)")
                }
                for l in transportsValue {
                    let a = transport.localAddress(side: .wan, transport: l == .tls ? .tcp : l)
                    say("listening on \(l) \(a?.ipAddress ?? "-"):\(a?.port ?? 0)")
                }
                transport.onConnectionLost = { ip, port, kind, _, why in
                    say("flow to \(kind) \(ip):\(port) lost: \(why)")
                    agent.connectionLost(ip: ip, port: port, transport: kind)
                }
                transport.startKeepAlive(side: .wan, interval: .seconds(Int64(keepaliveSeconds)))
                agent.start()
                return agent
            }
        }.wait()
        Thread.sleep(forTimeInterval: duration)
        try loop.submit { agent.stop() }.wait()
        Thread.sleep(forTimeInterval: 1)
        let final = try loop.submit { (agent.status.summary(now: agent.now), agent.registersSent) }.wait()
        say("final \(final.0) registers=\(final.1)")
    }
}
