// RunCommand: runs the box on its embedded default settings: SIP listeners on the LAN (PBX) and WAN
// (trunk) sides of loopback that answer OPTIONS keep-alive probes and refuse calls until a trunk is set up.
import ArgumentParser
import Foundation
import SIPCore

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

    func run() throws {
        let settings = DefaultSettings(lan: lan, wan: wan)
        var listeners: [UDPListener] = []
        for (side, address) in [("LAN (PBX)", settings.lan), ("WAN (trunk)", settings.wan)] {
            do {
                listeners.append(try UDPListener(side: side, address: address))
            } catch {
                throw ValidationError("cannot listen on \(address) for the \(side) side: \(error)")
            }
        }
        say("trunkbox \(VersionCommand.firmwareVersion) on the embedded default settings")
        for l in listeners { say("  listening for SIP on udp \(l.address) (\(l.side))") }
        say("  no trunk profile is configured yet: OPTIONS are answered 200, calls 503")
        say(duration > 0 ? "  stopping after \(duration) s" : "  press Ctrl-C to stop")
        let responder = SIPResponder(userAgent: "trunkbox/\(VersionCommand.firmwareVersion)")
        let deadline = duration > 0 ? Date().addingTimeInterval(duration) : Date.distantFuture
        var fds = listeners.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        var buffer = [UInt8](repeating: 0, count: SIPLimits.maxMessageBytes)
        while Date() < deadline {
            let wait = Int32(max(0, min(1000, deadline.timeIntervalSinceNow * 1000)))
            guard poll(&fds, nfds_t(fds.count), wait) > 0 else { continue }
            for (i, pfd) in fds.enumerated() where pfd.revents & Int16(POLLIN) != 0 {
                guard let (count, peer) = listeners[i].receive(into: &buffer) else { continue }
                let reply = responder.handle(Array(buffer[0..<count]), from: peer.description, side: listeners[i].side)
                say(reply.log)
                if let bytes = reply.response { listeners[i].send(bytes, to: peer) }
            }
        }
        say("trunkbox stopped")
    }
}

/// Writes a line to standard output unbuffered, so a supervisor or test sees it at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The embedded defaults the box starts on before an installer configures it.
struct DefaultSettings {
    static let lan = "127.0.0.1:5060"
    static let wan = "127.0.0.1:5080"
    var lan: String
    var wan: String
}

/// Answers what arrives before any trunk is configured.
struct SIPResponder {
    var userAgent: String

    func handle(_ bytes: [UInt8], from peer: String, side: String) -> (response: [UInt8]?, log: String) {
        if bytes.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
            return (nil, "\(side) \(peer): keep-alive")
        }
        let message: SIPMessage
        do {
            message = try SIPMessage(parsing: bytes, framing: .datagram)
        } catch {
            // Without a parsed Via there is nowhere to send a response (RFC 3261 §18.2.1): drop it.
            return (nil, "\(side) \(peer): dropped malformed message: \(error)")
        }
        guard let method = message.method else {
            return (nil, "\(side) \(peer): ignored response \(message.statusCode ?? 0) (no transaction)")
        }
        if method == .ack { return (nil, "\(side) \(peer): ACK") }
        var response: SIPMessage
        switch method {
        case .options:
            response = message.response(200, toTag: "tb\(UInt32.random(in: 1...UInt32.max))")
            response.headers.add(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, INFO")
            response.headers.add(.accept, "application/sdp")
            response.headers.add(.supported, "replaces, timer, 100rel")
        default:
            response = message.response(503, toTag: "tb\(UInt32.random(in: 1...UInt32.max))")
            response.headers.add(.retryAfter, "300")
            response.headers.add(.warning, "399 trunkbox \"no trunk profile is configured\"")
        }
        response.headers.add(.server, userAgent)
        let status = response.statusCode ?? 0
        return (response.serialized(), "\(side) \(peer): \(method) -> \(status) \(SIPStatus.reasonPhrase(status))")
    }
}
