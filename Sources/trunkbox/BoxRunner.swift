// BoxRunner: starts and stops the whole box in this process (store, running config, media thread, SIP
// listeners, registrations, B2BUA, consoles). `trunkbox run` and `trunkbox demo` both use it.
import Calls
import Config
import Console
import Foundation
import Gateway
import Media
import NIOCore
import NIOPosix
import SIPCore
import SIPStack
import Store

/// How to start the box.
struct BoxRunOptions {
    /// LAN and WAN `host:port` for UDP and TCP; nil: the running config's lan and wan blocks.
    var lan: String?
    var wan: String?
    var db: String
    /// A config text committed at start (author `startup`) when it differs from the running one.
    var config: (text: String, origin: String)?
    /// The console's local socket; nil: none.
    var consoleSocket: String?
    var openSerialConsole: Bool
    /// No line per message that reaches the box without a trunk (load tests, the demo).
    var quiet: Bool
    /// Print the box's log lines on standard output as they happen.
    var echoLog: Bool
    /// Print where the box listens and how to reach its console.
    var announce: Bool
    /// Where board profiles live (board/<vendor>/<board>/line.board).
    var boardDirectory: String = BoxRunOptions.defaultBoardDirectory

    /// The image's board folder, or the source tree's `board/` beside the binary when run from a build.
    static var defaultBoardDirectory: String {
        let installed = "/usr/share/trunkbox/board"
        if FileManager.default.fileExists(atPath: installed) { return installed }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("board").path
            if FileManager.default.fileExists(atPath: candidate + "/README.md") { return candidate }
            url.deleteLastPathComponent()
        }
        return installed
    }
}

/// The running box. Made by `init`, stopped by `stop()`.
final class BoxRunner: @unchecked Sendable {
    let log = BoxLog()
    let store: Store
    let service: ConfigService
    let group: MultiThreadedEventLoopGroup
    let loop: any EventLoop
    let box: Box
    let media: MediaEngine?
    let specs: [SIPTransportLayer.Listener]
    let makeSession: ConsoleSessionFactory
    let consoleSettings: ConsoleSettings
    let stdinInbox = ConsoleInbox()
    private let socketServer: ConsoleSocketServer?
    private let serial = SerialConsole()
    private let confirmTimer: DispatchSourceTimer
    let version = "trunkbox \(VersionCommand.firmwareVersion)"

    init(_ options: BoxRunOptions) throws {
        let log = self.log
        log.echo = options.echoLog
        let startedAt = Date()
        let version = self.version

        // The store first: a corrupt file is set aside and the box starts from the last good version.
        for dir in [(options.db as NSString).deletingLastPathComponent, ((options.consoleSocket ?? "") as NSString).deletingLastPathComponent] where !dir.isEmpty {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let store: Store
        do {
            let (opened, report) = try Store.open(at: options.db, factoryDefaults: ConfigText.serialize(.factoryDefault),
                                                  options: StoreOptions(warning: { log.add("store: \($0)") }))
            store = opened
            if report.isLoud {
                let banner = String(repeating: "!", count: 72)
                for line in [banner, "\(report)", banner] { log.add(line); FileHandle.standardError.write(Data((line + "\n").utf8)) }
            }
        } catch {
            throw BoxRunError("cannot open the store \(options.db): \(error)")
        }
        self.store = store
        let service: ConfigService
        do { service = try ConfigService(store: store) } catch { throw BoxRunError("cannot load the running config: \(error)") }
        self.service = service
        for w in service.loadWarnings { log.add("WARNING: \(w)") }
        if let (text, origin) = options.config {
            switch service.commit(text, author: "startup", comment: "from \(origin)") {
            case .committed(let version, let warnings, _):
                log.add("config: \(origin) committed as version \(version)")
                for w in warnings { log.add("config warning: \(w)") }
            case .unchanged:
                break
            case .refused(let errors):
                store.close()
                throw BoxRunError("the config \(origin) was refused:\n" + errors.joined(separator: "\n"))
            }
        }
        if let v = service.revertIfUnconfirmed() { log.add("config: an unconfirmed commit expired while the box was down; running version \(v)") }

        // Listeners: the options when given, else the running config's lan and wan blocks.
        var specs: [SIPTransportLayer.Listener] = []
        let running = service.running
        for (side, flag, block) in [(SIPSide.lan, options.lan, running.lan), (SIPSide.wan, options.wan, running.wan)] {
            if let address = flag {
                guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
                    store.close()
                    throw BoxRunError("\(address) is not host:port")
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
        self.specs = specs
        let listenersFromFlags = (options.lan != nil, options.wan != nil)
        let quiet = options.quiet
        let responder = SIPResponder(userAgent: "trunkbox/\(VersionCommand.firmwareVersion)")
        // The realtime media thread: every call's RTP/SRTP relay.
        var mediaConfiguration = MediaEngineConfiguration()
        mediaConfiguration.lockMemory = false
        mediaConfiguration.rtpTimeoutMilliseconds = running.media.rtpTimeoutSeconds * 1000
        // One relay session per call: room for every channel of every profile, and calls that are ending.
        let channels = running.profiles.reduce(0) { $0 + $1.channels }
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
        self.media = media
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        let loop = group.next()
        self.loop = loop
        let box = try loop.submit {
            // The trunk's certificate is checked against the configured CA file, else the system store.
            var transportSettings = SIPTransportLayer.Settings()
            transportSettings.tls = SIPTLSSettings(caFile: running.wan.tlsCAFile)
            let transport = SIPTransportLayer(eventLoop: loop, settings: transportSettings)
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
        self.box = box
        for spec in specs {
            do {
                _ = try loop.flatSubmit { box.transactions.transport.listen(spec) }.wait()
            } catch {
                media?.stop()
                try? loop.flatSubmit { box.transactions.transport.close() }.wait()
                try? group.syncShutdownGracefully()
                store.close()
                throw BoxRunError("cannot listen on \(spec.host):\(spec.port) \(spec.transport) for the \(spec.side) side: \(error)")
            }
        }
        box.applyProfiles(old: nil, new: service.running)

        // The analog line: its board's GPIO, its audio on the media thread, its calls through the B2BUA.
        if let lineConfig = running.line {
            if let media, let calls = box.calls {
                do {
                    let line = try loop.submit {
                        try BoxLine(config: lineConfig, boardDirectory: options.boardDirectory, media: media, calls: calls, loop: loop,
                                    log: { log.add($0) })
                    }.wait()
                    line.trunkStatus = { [unowned box] in box.trunkCounts() }
                    line.onFactoryReset = { [service, box] in
                        // The commit re-applies the config through the event loop: not from the loop itself.
                        DispatchQueue.global().async {
                            let done = BoxConsoleBackend.factoryReset(service: service, author: "reset button")
                            log.add("reset button: \(done.trimmingCharacters(in: .whitespacesAndNewlines))")
                            box.postToConsoles("\n*** the reset button was held: \(done)", false)
                        }
                    }
                    try loop.submit { line.start() }.wait()
                    box.line = line
                } catch {
                    log.add("\(error) (the analog line is not running; emergency calls are refused with a reason)")
                }
            } else {
                log.add("line: not started: the media relay is not running")
            }
        }

        // Consoles: the local socket, the serial device from the config, this terminal on request.
        let throttle = LoginThrottle()
        let idle = Int64(service.running.console.idleTimeoutMinutes) * 60
        let settings = ConsoleSettings(origin: "console", idleTimeoutSeconds: idle)
        consoleSettings = settings
        let makeSession: ConsoleSessionFactory = { settings in
            ConsoleSession(backend: BoxConsoleBackend(service: service, runtime: box, version: version, startedAt: startedAt),
                           throttle: throttle, settings: settings)
        }
        self.makeSession = makeSession
        var socketServer: ConsoleSocketServer?
        if let path = options.consoleSocket {
            do {
                socketServer = try ConsoleSocketServer(path: path, settings: settings, makeSession: makeSession, log: { log.add($0) })
            } catch {
                log.add("console: no local socket: \(error)")
            }
        }
        self.socketServer = socketServer
        let serial = self.serial
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
        if options.openSerialConsole { openSerial(service.running.console) }
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

        if options.announce {
            say("\(version) on \(options.db) (configuration version \(service.runningVersion))")
            for spec in specs {
                say("  listening for SIP on \(spec.transport.rawValue) \(spec.host):\(spec.port) (\(spec.side == .lan ? "LAN, PBX side" : "WAN, trunk side"))")
            }
            say(socketServer.map { "  console: trunkbox console --socket \($0.path)" } ?? "  console: none on a socket")
            if let tty = serial.current { say("  console: serial \(tty.path) at \(tty.speed) 8N1") }
            let profiles = service.running.profiles
            say(profiles.isEmpty ? "  no trunk profile is configured yet: OPTIONS are answered 200, calls 503"
                                 : "  trunk profiles: " + profiles.map(\.name).joined(separator: ", "))
        }
        let stdinInbox = self.stdinInbox
        let server = socketServer
        box.postToConsoles = { text, trace in
            server?.post(text, trace: trace)
            serial.current?.inbox.post(text, trace: trace)
            stdinInbox.post(text, trace: trace)
        }

        // Confirmed commits roll back on time even when nobody is logged in.
        confirmTimer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "trunkbox.confirm"))
        confirmTimer.schedule(deadline: .now() + 5, repeating: 5)
        confirmTimer.setEventHandler { if let v = service.revertIfUnconfirmed() { log.add("config: commit not confirmed in time; rolled back, running version \(v)") } }
        confirmTimer.resume()
    }

    /// Ends every call (BYE, records written), un-registers, stops the media thread and closes the
    /// store. Returns the transactions still open and those refused while the table was full.
    @discardableResult
    func stop() -> (open: Int, refusedFull: Int) {
        confirmTimer.cancel()
        socketServer?.shutdown()
        serial.replace(with: nil)
        let box = self.box, log = self.log
        try? loop.submit {
            if let calls = box.calls { log.add("calls at stop: \(calls.liveCounts)") }
            log.add("at stop, " + BoxMemory.current().text)
            box.calls?.endAll(reason: "the box is shutting down")
            box.stopAll()
        }.wait()
        try? loop.submit { box.line?.stop() }.wait()
        // Give the BYEs and the records a moment.
        Thread.sleep(forTimeInterval: 0.3)
        media?.stop()
        let counts = (try? loop.submit { (box.transactions.activeTransactions, box.transactions.refusedFull) }.wait()) ?? (0, 0)
        try? loop.flatSubmit { box.transactions.transport.close() }.wait()
        store.close()
        try? group.syncShutdownGracefully()
        return counts
    }
}

/// Why the box could not start, in the installer's words.
struct BoxRunError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
