// RunCommand: runs the box: the store and its running config, SIP over UDP and TCP on the LAN (PBX) and WAN
// (trunk) sides (loopback by default), a registration per trunk profile, and the consoles.
import ArgumentParser
import Config
import Console
import Calls
import Gateway
import Media
import Store
import Foundation
import NIOCore
import NIOPosix
import SIPCore
import SIPStack
import SIPTransaction

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway: SIP listeners, trunk registrations from the running config, the consoles."
    )

    @Option(help: "Stop after this many seconds (0: run until interrupted).")
    var duration: Double = 0

    @Option(help: "LAN (PBX side) SIP address, host:port, for UDP and TCP (default: the config's lan block).")
    var lan: String?

    @Option(help: "WAN (trunk side) SIP address, host:port, for UDP and TCP (default: the config's wan block).")
    var wan: String?

    @Option(help: "The config and call-record store (created mode 0600 with factory defaults when missing).")
    var db: String = DefaultSettings.db

    @Option(help: "A config text to run: committed as a new version (author 'startup') when it differs from the running one; a config that does not validate stops the start with its errors.")
    var config: String?

    @Option(help: "Unix socket for `trunkbox console` (mode 0600).")
    var consoleSocket: String = DefaultSettings.consoleSocket

    @Flag(help: "Open a console on this terminal too; the box stops when it logs out.")
    var console = false

    @Flag(help: "Do not open the serial console named in the config at start (tests, containers); a committed change still opens it.")
    var noSerialConsole = false

    @Flag(help: "Do not print a line per message (for load tests).")
    var quiet = false

    func run() throws {
        let log = BoxLog()
        log.echo = !console
        let startedAt = Date()
        let version = "trunkbox \(VersionCommand.firmwareVersion)"

        // The store first: a corrupt file is set aside and the box starts from the last good version.
        for dir in [(db as NSString).deletingLastPathComponent, (consoleSocket as NSString).deletingLastPathComponent] where !dir.isEmpty {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let store: Store
        do {
            let (opened, report) = try Store.open(at: db, factoryDefaults: ConfigText.serialize(.factoryDefault),
                                                  options: StoreOptions(warning: { log.add("store: \($0)") }))
            store = opened
            if report.isLoud {
                let banner = String(repeating: "!", count: 72)
                for line in [banner, "\(report)", banner] { log.add(line); FileHandle.standardError.write(Data((line + "\n").utf8)) }
            }
        } catch {
            throw ValidationError("cannot open the store \(db): \(error)")
        }
        let service: ConfigService
        do { service = try ConfigService(store: store) } catch { throw ValidationError("cannot load the running config: \(error)") }
        for w in service.loadWarnings { log.add("WARNING: \(w)") }
        if let path = config {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read the config \(path)") }
            switch service.commit(text, author: "startup", comment: "from \(path)") {
            case .committed(let version, let warnings, _):
                log.add("config: \(path) committed as version \(version)")
                for w in warnings { log.add("config warning: \(w)") }
            case .unchanged:
                break
            case .refused(let errors):
                throw ValidationError("the config \(path) was refused:\n" + errors.joined(separator: "\n"))
            }
        }
        if let v = service.revertIfUnconfirmed() { log.add("config: an unconfirmed commit expired while the box was down; running version \(v)") }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        // Listeners: the command line when given, else the running config's lan and wan blocks.
        var specs: [SIPTransportLayer.Listener] = []
        let running = service.running
        for (side, flag, block) in [(SIPSide.lan, lan, running.lan), (SIPSide.wan, wan, running.wan)] {
            if let address = flag {
                guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
                    throw ValidationError("\(address) is not host:port")
                }
                var host = String(address[..<colon])
                if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
                for t in [SIPTransportKind.udp, .tcp] { specs.append(.init(side: side, transport: t, host: host, port: port)) }
            } else {
                for t in block.transports where t != .tls {
                    specs.append(.init(side: side, transport: t == .udp ? .udp : .tcp, host: block.address, port: block.sipPort))
                }
                if block.transports.contains(.tls) {
                    log.add("\(side): no TLS listener yet (the box has no server certificate); it connects out over TLS")
                }
            }
        }
        let listenersFromFlags = (lan != nil, wan != nil)
        let quiet = self.quiet
        let responder = SIPResponder(userAgent: "trunkbox/\(VersionCommand.firmwareVersion)")
        // The realtime media thread: every call's RTP/SRTP relay.
        var mediaConfiguration = MediaEngineConfiguration()
        mediaConfiguration.lockMemory = false
        mediaConfiguration.rtpTimeoutMilliseconds = service.running.media.rtpTimeoutSeconds * 1000
        // One relay session per call: room for every channel of every profile, and calls that are ending.
        let channels = service.running.profiles.reduce(0) { $0 + $1.channels }
        mediaConfiguration.sessionCapacity = max(1024, min(16_384, channels * 2))
        let media: MediaEngine?
        do {
            let engine = try MediaEngine(configuration: mediaConfiguration)
            try engine.start()
            for w in engine.status.warnings { log.add("media: \(w)") }
            media = engine
        } catch {
            log.add("media: the relay thread did not start (\(error)); calls are refused")
            media = nil
        }
        let box = try loop.submit {
            let transport = SIPTransportLayer(eventLoop: loop)
            let transactions = SIPTransactionLayer(transport: transport)
            let box = Box(loop: loop, transactions: transactions, service: service, log: log)
            let calls = CallController(transactions: transactions, environment: box.callEnvironment(store: store), media: media,
                                       userAgent: "trunkbox/\(VersionCommand.firmwareVersion)")
            box.calls = calls
            calls.start()
            transactions.onAckForDialog = { inbound in calls.ack(inbound) }
            transactions.onRequest = { inbound, key in
                if media != nil, calls.handle(inbound, key: key) { return }
                let reply = responder.handle(inbound.message)
                if !quiet { say("\(inbound.side) \(inbound.transport) \(inbound.sourceIP):\(inbound.sourcePort): \(reply.log)") }
                if let response = reply.response { transactions.respond(response, to: key) }
            }
            transport.onMalformed = { error, source, t, side in
                if !quiet { say("\(side) \(t) \(source?.ipAddress ?? "?"): dropped malformed message: \(error)") }
            }
            transport.onConnectionLost = { ip, port, kind, _, _ in box.connectionLost(ip: ip, port: port, transport: kind) }
            return box
        }.wait()
        for spec in specs {
            do {
                _ = try loop.flatSubmit { box.transactions.transport.listen(spec) }.wait()
            } catch {
                throw ValidationError("cannot listen on \(spec.host):\(spec.port) \(spec.transport) for the \(spec.side) side: \(error)")
            }
        }
        box.applyProfiles(old: nil, new: service.running)

        // Consoles: the local socket always, the serial device from the config, this terminal on request.
        let throttle = LoginThrottle()
        let idle = Int64(service.running.console.idleTimeoutMinutes) * 60
        let settings = ConsoleSettings(origin: "console", idleTimeoutSeconds: idle)
        let makeSession: ConsoleSessionFactory = { settings in
            ConsoleSession(backend: BoxConsoleBackend(service: service, runtime: box, version: version, startedAt: startedAt),
                           throttle: throttle, settings: settings)
        }
        let socketServer: ConsoleSocketServer?
        do {
            socketServer = try ConsoleSocketServer(path: consoleSocket, settings: settings, makeSession: makeSession,
                                                   log: { log.add($0) })
        } catch {
            socketServer = nil
            log.add("console: no local socket: \(error)")
        }
        let stdinInbox = ConsoleInbox()
        let serial = SerialConsole()
        let noSerialConsole = self.noSerialConsole
        // The serial console follows the config: a commit that changes the device or speed reopens it.
        let openSerial: @Sendable (ConsoleConfig) -> Void = { console in
            guard FileManager.default.fileExists(atPath: console.device) else {
                serial.replace(with: nil)
                log.add("console: no serial console: \(console.device) does not exist on this box")
                return
            }
            serial.replace(with: ConsoleTTYService(path: console.device, speed: console.speed, settings: settings,
                                                   makeSession: makeSession, log: { log.add($0) }))
        }
        if !noSerialConsole { openSerial(service.running.console) }
        service.onApply = { old, new, changes in
            log.add("config: version \(service.runningVersion) is running: \(changes)")
            box.applyProfiles(old: old, new: new)
            for (side, changed, fromFlag) in [("lan", changes.lanListenerChanged, listenersFromFlags.0),
                                              ("wan", changes.wanListenerChanged, listenersFromFlags.1)] where changed {
                let note = fromFlag
                    ? "note: the \(side) listener is set on the command line (--\(side)); the config's takes effect when the box starts without it"
                    : "note: the \(side) listener change takes effect at 'reload' (the box keeps listening where it does now)"
                log.add(note)
                box.postToConsoles(note, false)
            }
            if old.console.device != new.console.device || old.console.speed != new.console.speed {
                log.add("console: serial console now \(new.console.device) at \(new.console.speed) 8N1")
                // Not on this thread: the commit may come from the serial console whose thread is replaced.
                DispatchQueue.global().async { openSerial(new.console) }
            }
        }

        say("\(version) on \(db) (configuration version \(service.runningVersion))")
        for spec in specs {
            say("  listening for SIP on \(spec.transport.rawValue) \(spec.host):\(spec.port) (\(spec.side == .lan ? "LAN, PBX side" : "WAN, trunk side"))")
        }
        say(socketServer.map { "  console: trunkbox console --socket \($0.path)" } ?? "  console: none on a socket")
        if let tty = serial.current { say("  console: serial \(tty.path) at \(tty.speed) 8N1") }
        box.postToConsoles = { text, trace in
            socketServer?.post(text, trace: trace)
            serial.current?.inbox.post(text, trace: trace)
            stdinInbox.post(text, trace: trace)
        }
        let profiles = service.running.profiles
        say(profiles.isEmpty ? "  no trunk profile is configured yet: OPTIONS are answered 200, calls 503"
                             : "  trunk profiles: " + profiles.map(\.name).joined(separator: ", "))

        // Confirmed commits roll back on time even when nobody is logged in.
        let confirmTimer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "trunkbox.confirm"))
        confirmTimer.schedule(deadline: .now() + 5, repeating: 5)
        confirmTimer.setEventHandler { if let v = service.revertIfUnconfirmed() { log.add("config: commit not confirmed in time; rolled back, running version \(v)") } }
        confirmTimer.resume()

        let stop = DispatchSemaphore(value: 0)
        let reloading = ReloadFlag()
        box.onReload = { reloading.set(); stop.signal() }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let s = DispatchSource.makeSignalSource(signal: sig)
            s.setEventHandler { stop.signal() }
            s.resume()
            return s
        }
        if console {
            let session = makeSession(settings)
            let end = StopSignal()
            DispatchQueue.global().async { stop.wait(); end.signal() }
            if duration > 0 { DispatchQueue.global().asyncAfter(deadline: .now() + duration) { end.signal() } }
            _ = ConsoleStdin.run(session: session, stop: end, inbox: stdinInbox)
        } else {
            say(duration > 0 ? "  stopping after \(duration) s" : "  press Ctrl-C to stop")
            _ = duration > 0 ? stop.wait(timeout: .now() + duration) : { stop.wait(); return .success }()
        }
        sources.forEach { $0.cancel() }
        confirmTimer.cancel()
        socketServer?.shutdown()
        serial.replace(with: nil)
        try? loop.submit {
            if let calls = box.calls { log.add("calls at stop: \(calls.liveCounts)") }
            box.calls?.endAll(reason: "the box is shutting down")
            box.stopAll()
        }.wait()
        // Give the BYEs and the records a moment.
        Thread.sleep(forTimeInterval: 0.3)
        media?.stop()
        let counts = try loop.submit { (box.transactions.activeTransactions, box.transactions.refusedFull) }.wait()
        try? loop.flatSubmit { box.transactions.transport.close() }.wait()
        store.close()
        say("trunkbox stopped (\(counts.0) transactions still open, \(counts.1) refused while full)")
        if reloading.isSet {
            // `reload`: the same program with the same arguments, from the beginning (store, config, listeners).
            say("trunkbox: reloading")
            try? group.syncShutdownGracefully()
            var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) } + [nil]
            execv("/proc/self/exe", &argv)
            throw ValidationError("reload failed: cannot start /proc/self/exe again (errno \(errno))")
        }
    }
}

/// The serial console service, replaced when a commit changes the device or speed.
final class SerialConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var service: ConsoleTTYService?
    var current: ConsoleTTYService? { lock.withLock { service } }
    /// Installs `new` and shuts the previous one down (its session ends).
    func replace(with new: ConsoleTTYService?) {
        let old = lock.withLock { () -> ConsoleTTYService? in
            let o = service
            service = new
            return o
        }
        old?.shutdown()
    }
}

/// Set once from a console's `reload`, read by the run command after the clean stop.
final class ReloadFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// The embedded defaults the box starts on before an installer configures it.
enum DefaultSettings {
    static let lan = "127.0.0.1:5060"
    static let wan = "127.0.0.1:5080"
    static let db = "/var/lib/trunkbox/trunkbox.db"
    static let consoleSocket = "/run/trunkbox/console.sock"
}

/// Writes a line to standard output unbuffered, so a supervisor or test sees it at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Answers requests before any trunk is configured.
struct SIPResponder: Sendable {
    var userAgent: String

    func handle(_ request: SIPMessage) -> (response: SIPMessage?, log: String) {
        guard let method = request.method else { return (nil, "ignored a response") }
        if method == .ack { return (nil, "ACK") }
        var response: SIPMessage
        let tag = "tb\(UInt32.random(in: 1...UInt32.max))"
        switch method {
        case .options:
            response = request.response(200, toTag: tag)
            response.headers.add(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, INFO")
            response.headers.add(.accept, "application/sdp")
            response.headers.add(.supported, "replaces, timer, 100rel")
        default:
            response = request.response(503, toTag: tag)
            response.headers.add(.retryAfter, "300")
            response.headers.add(.warning, "399 trunkbox \"no trunk profile is configured\"")
        }
        response.headers.add(.server, userAgent)
        let status = response.statusCode ?? 0
        return (response, "\(method) -> \(status) \(SIPStatus.reasonPhrase(status))")
    }
}
