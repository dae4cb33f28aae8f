// RunCommand: runs the box on its embedded default settings: SIP over UDP and TCP on the LAN (PBX) and
// WAN (trunk) sides of loopback, answering OPTIONS keep-alive probes and refusing calls until a trunk is set up.
import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import SIPCore
import SIPStack
import SIPTransaction

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway (default settings: loopback only)."
    )

    @Option(help: "Stop after this many seconds (0: run until interrupted).")
    var duration: Double = 0

    @Option(help: "LAN (PBX side) SIP address, host:port.")
    var lan: String = DefaultSettings.lan

    @Option(help: "WAN (trunk side) SIP address, host:port.")
    var wan: String = DefaultSettings.wan

    @Flag(help: "Do not print a line per message (for load tests).")
    var quiet = false

    func run() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        var specs: [SIPTransportLayer.Listener] = []
        for (side, address) in [(SIPSide.lan, lan), (SIPSide.wan, wan)] {
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
                throw ValidationError("\(address) is not host:port")
            }
            var host = String(address[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            for t in [SIPTransportKind.udp, .tcp] { specs.append(.init(side: side, transport: t, host: host, port: port)) }
        }
        let quiet = self.quiet
        let responder = SIPResponder(userAgent: "trunkbox/\(VersionCommand.firmwareVersion)")
        let transactions = try loop.submit {
            let transport = SIPTransportLayer(eventLoop: loop)
            let transactions = SIPTransactionLayer(transport: transport)
            transactions.onRequest = { inbound, key in
                let reply = responder.handle(inbound.message)
                if !quiet { say("\(inbound.side) \(inbound.transport) \(inbound.sourceIP):\(inbound.sourcePort): \(reply.log)") }
                if let response = reply.response { transactions.respond(response, to: key) }
            }
            transport.onMalformed = { error, source, t, side in
                if !quiet { say("\(side) \(t) \(source?.ipAddress ?? "?"): dropped malformed message: \(error)") }
            }
            return transactions
        }.wait()
        for spec in specs {
            do {
                _ = try loop.flatSubmit { transactions.transport.listen(spec) }.wait()
            } catch {
                throw ValidationError("cannot listen on \(spec.host):\(spec.port) \(spec.transport) for the \(spec.side) side: \(error)")
            }
        }
        say("trunkbox \(VersionCommand.firmwareVersion) on the embedded default settings")
        for spec in specs {
            say("  listening for SIP on \(spec.transport.rawValue) \(spec.host):\(spec.port) (\(spec.side == .lan ? "LAN, PBX side" : "WAN, trunk side"))")
        }
        say("  no trunk profile is configured yet: OPTIONS are answered 200, calls 503")
        say(duration > 0 ? "  stopping after \(duration) s" : "  press Ctrl-C to stop")
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
        let counts = try loop.submit { (transactions.activeTransactions, transactions.refusedFull) }.wait()
        try? loop.flatSubmit { transactions.transport.close() }.wait()
        say("trunkbox stopped (\(counts.0) transactions still open, \(counts.1) refused while full)")
    }
}

/// The embedded defaults the box starts on before an installer configures it.
enum DefaultSettings {
    static let lan = "127.0.0.1:5060"
    static let wan = "127.0.0.1:5080"
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
