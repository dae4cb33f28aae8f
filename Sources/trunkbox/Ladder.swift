// Ladder: the SIP messages the box sent and received, drawn as a ladder diagram (PBX | trunkbox | trunk).
import Foundation
import SIPCore
import SIPStack

/// One message through the box's transports.
struct LadderEvent: Sendable {
    /// Seconds since the recorder started.
    var time: Double
    /// Sent by the box (true) or received (false).
    var outbound: Bool
    var side: SIPSide
    var transport: SIPTransportKind
    /// `INVITE 0012025550100` or `200 OK`.
    var label: String
    /// The CSeq method (for responses, the request they answer).
    var method: String
    var callID: String
}

/// Collects the box's messages (from the transport's trace hook) and draws the ones of a time window.
final class LadderRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [LadderEvent] = []
    private let start = Date()

    var now: Double { Date().timeIntervalSince(start) }

    /// The trace hook: one call per message, from the event loop.
    func record(outbound: Bool, text: String, side: SIPSide, transport: SIPTransportKind) {
        guard let message = try? SIPMessage(parsing: text) else { return }
        let method = message.headers[.cseq]?.split(separator: " ").last.map(String.init) ?? "?"
        let label: String
        if let m = message.method {
            var user = ""
            if case .sip(let u) = message.requestURI, let name = u.user, m == .invite { user = " " + name }
            label = "\(m.rawValue)\(user)"
        } else {
            let code = message.statusCode ?? 0
            label = "\(code) \(message.reasonPhrase ?? SIPStatus.reasonPhrase(code))"
        }
        let event = LadderEvent(time: now, outbound: outbound, side: side, transport: transport, label: label, method: method,
                                callID: message.headers[.callID] ?? "")
        lock.withLock { events.append(event) }
    }

    /// The messages of calls (not registrations or keep-alives) between two times.
    func calls(from: Double, to: Double) -> [LadderEvent] {
        lock.withLock { events.filter { $0.time >= from && $0.time <= to && !["REGISTER", "OPTIONS"].contains($0.method) } }
    }

    /// Every message between two times whose CSeq method is `method`.
    func messages(_ method: String, from: Double, to: Double) -> [LadderEvent] {
        lock.withLock { events.filter { $0.time >= from && $0.time <= to && $0.method == method } }
    }

    /// The ladder: three columns, one line per message, time on the left.
    static func draw(_ events: [LadderEvent], pbx: String, trunk: String, indent: String = "      ") -> String {
        let w = 26
        func center(_ s: String, _ width: Int) -> String {
            let pad = max(0, width - s.count)
            return String(repeating: " ", count: pad / 2) + s + String(repeating: " ", count: pad - pad / 2)
        }
        var out = indent + "        " + center(pbx, w) + center("trunkbox", w) + center(trunk, w) + "\n"
        let bars = [w / 2 - 1, w / 2 - 1 + w, w / 2 - 1 + 2 * w]
        guard let t0 = events.first?.time else { return out + indent + "        (no messages)\n" }
        for e in events {
            var row = [Character](repeating: " ", count: bars[2] + 1)
            for b in bars { row[b] = "|" }
            let (a, b) = e.side == .lan ? (bars[0], bars[1]) : (bars[1], bars[2])
            let span = b - a - 1
            let label = e.label.count > span - 4 ? String(e.label.prefix(span - 5)) + "…" : e.label
            let dashes = span - label.count - 2
            var body = Array(String(repeating: "-", count: dashes / 2) + " \(label) " + String(repeating: "-", count: dashes - dashes / 2))
            let rightward = (e.side == .lan) != e.outbound   // PBX->box and box->trunk point right
            if rightward { body[body.count - 1] = ">" } else { body[0] = "<" }
            for (i, c) in body.enumerated() { row[a + 1 + i] = c }
            out += indent + String(format: "%6.3f  ", e.time - t0) + String(row) + (e.side == .wan && e.transport == .tls ? "  TLS" : "") + "\n"
        }
        return out
    }
}
