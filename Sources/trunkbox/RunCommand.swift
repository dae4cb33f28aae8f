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
        var text: (String, String)?
        if let path = config {
            guard let t = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read the config \(path)") }
            text = (t, path)
        }
        let runner: BoxRunner
        do {
            runner = try BoxRunner(BoxRunOptions(lan: lan, wan: wan, db: db, config: text, consoleSocket: consoleSocket,
                                                 openSerialConsole: !noSerialConsole, quiet: quiet, echoLog: !console, announce: true))
        } catch let error as BoxRunError {
            throw ValidationError(error.description)
        }
        let stop = DispatchSemaphore(value: 0)
        let reloading = ReloadFlag()
        runner.box.onReload = { reloading.set(); stop.signal() }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let s = DispatchSource.makeSignalSource(signal: sig)
            s.setEventHandler { stop.signal() }
            s.resume()
            return s
        }
        if console {
            let session = runner.makeSession(runner.consoleSettings)
            let end = StopSignal()
            DispatchQueue.global().async { stop.wait(); end.signal() }
            if duration > 0 { DispatchQueue.global().asyncAfter(deadline: .now() + duration) { end.signal() } }
            _ = ConsoleStdin.run(session: session, stop: end, inbox: runner.stdinInbox)
        } else {
            say(duration > 0 ? "  stopping after \(duration) s" : "  press Ctrl-C to stop")
            _ = duration > 0 ? stop.wait(timeout: .now() + duration) : { stop.wait(); return .success }()
        }
        sources.forEach { $0.cancel() }
        let counts = runner.stop()
        say("trunkbox stopped (\(counts.open) transactions still open, \(counts.refusedFull) refused while full)")
        if reloading.isSet {
            // `reload`: the same program with the same arguments, from the beginning (store, config, listeners).
            say("trunkbox: reloading")
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
        var random = SIPRandom()
        let tag = "tb\(UInt32.random(in: 1...UInt32.max, using: &random))"
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
