// EmulateTrunkCommand: `trunkbox emulate-trunk --config FILE [--control SOCKET]`: runs the Skype Connect
// trunk emulator (registrar, calls with a far end, Online Numbers, billing) until interrupted, then prints
// the month's call-history report.
import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import SIPStack
import TrunkEmulator
import TrunkEmulatorCore

struct EmulateTrunkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate-trunk",
        abstract: "Run the Skype Connect trunk emulator (see Tests/Fixtures/emulator/architects.emu for the config format)."
    )

    @Option(help: "The emulator's config file (profiles, numbers, credit, listen address).")
    var config: String

    @Option(help: "Unix socket for control commands (call, dtmf, hangup, status, report, history).")
    var control: String?

    @Option(help: "Stop after this many seconds (0: run until interrupted).")
    var duration: Double = 0

    func run() throws {
        guard let text = try? String(contentsOfFile: config, encoding: .utf8) else { throw ValidationError("cannot read \(config)") }
        let parsed: EmulatorConfig
        do { parsed = try EmulatorConfigParser.parse(text) } catch { throw ValidationError("\(config): \(error)") }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let log: @Sendable (String) -> Void = { line in
            let stamp = ISO8601DateFormatter().string(from: Date())
            FileHandle.standardOutput.write(Data("\(stamp) \(line)\n".utf8))
        }
        let tls: EmulatorTLS?
        do { tls = try EmulatorTLS.forConfig(parsed) } catch { throw ValidationError("\(error)") }
        if let tls { log("TLS: \(tls.created ? "made a test CA" : "test CA") \(tls.caFile) (the box trusts it with 'wan tls-ca-file'), certificate \(tls.certificateFile)") }
        let settings = tls?.transportSettings ?? SIPTransportLayer.Settings()
        let emulator = try loop.submit {
            TrunkEmulator(config: parsed, transactions: SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: loop, settings: settings)), log: log)
        }.wait()
        let bound: [SocketAddress]
        do { bound = try loop.flatSubmit { emulator.start() }.wait() } catch { throw ValidationError("cannot listen: \(error)") }
        for (a, l) in zip(bound, parsed.listens) { log("Skype Connect emulator: realm \(parsed.realm), SIP on \(l.transport) \(a.ipAddress ?? "?"):\(a.port ?? 0)") }
        log("profiles: " + parsed.profiles.map { "\($0.name) (\($0.sipUser), \($0.channels) channels)" }.joined(separator: ", "))
        let socket = try control.map { path in try ControlSocket(path: path, handle: { emulator.control($0) }) }
        if let socket { log("control: \(socket.path)") }

        let stop = DispatchSemaphore(value: 0)
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let s = DispatchSource.makeSignalSource(signal: sig)
            s.setEventHandler { stop.signal() }
            s.resume()
            return s
        }
        _ = duration > 0 ? stop.wait(timeout: .now() + duration) : { stop.wait(); return .success }()
        sources.forEach { $0.cancel() }
        socket?.shutdown()
        emulator.shutdown()
        Thread.sleep(forTimeInterval: 0.3)
        let month = BillingMonth(epochSeconds: Int64(Date().timeIntervalSince1970))
        say(emulator.control("report \(month)"))
        say(emulator.control("history \(month)"))
        try? loop.flatSubmit { emulator.transactions.transport.close() }.wait()
    }
}
