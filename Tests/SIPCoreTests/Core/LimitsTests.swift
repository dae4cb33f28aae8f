// LimitsTests: every named limit in SIPLimits is enforced with a clear reason; hostile input never traps.
import Testing
@testable import SIPCore

@Suite struct LimitsTests {
    func request(extra: String, body: String = "") -> [UInt8] {
        Array(("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
            + "Call-ID: x\r\nCSeq: 1 INVITE\r\n" + extra + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
    }

    @Test func messageSize() throws {
        let big = request(extra: "", body: String(repeating: "a", count: SIPLimits.maxMessageBytes))
        let e = #expect(throws: SIPParseError.self) { try SIPMessage(parsing: big) }
        #expect(e?.responseCode == 513)
    }

    @Test func headerCountAt5000StillParses() throws {
        // About 64 KiB with 5,000 headers: accepted (the parse is linear; see Benchmarks for the timing).
        let extra = (0..<5000).map { "X-H\($0 % 10): v\r\n" }.joined()
        let m = try SIPMessage(parsing: request(extra: extra))
        #expect(m.headers.count == 5000 + 6)
        let tooMany = (0..<SIPLimits.maxHeaderFields).map { _ in "X: 1\r\n" }.joined()
        let e = #expect(throws: SIPParseError.self) { try SIPMessage(parsing: request(extra: tooMany)) }
        #expect(e?.reason.contains("header fields") == true)
    }

    @Test func lineLength() throws {
        let long = "Subject: " + String(repeating: "x", count: SIPLimits.maxLineBytes + 1) + "\r\n"
        let e = #expect(throws: SIPParseError.self) { try SIPMessage(parsing: request(extra: long)) }
        #expect(e?.reason.contains("longer than") == true)
        // Folding cannot be used to get round it.
        let folded = "Subject: a\r\n" + (0..<200).map { _ in " " + String(repeating: "y", count: 100) + "\r\n" }.joined()
        #expect(throws: SIPParseError.self) { try SIPMessage(parsing: request(extra: folded)) }
    }

    @Test func parameterAndListCounts() throws {
        let manyParams = "Contact: <sip:a@b>" + String(repeating: ";p", count: SIPLimits.maxParameters + 1) + "\r\n"
        #expect(throws: SIPParseError.self) { try SIPMessage(parsing: request(extra: manyParams)) }
        let manyURIParams = "Contact: <sip:a@b" + String(repeating: ";p", count: SIPLimits.maxParameters + 1) + ">\r\n"
        #expect(throws: SIPParseError.self) { try SIPMessage(parsing: request(extra: manyURIParams)) }
        let manyHeaders = "Contact: <sip:a@b?" + (0...SIPLimits.maxURIHeaders).map { "h\($0)=1" }.joined(separator: "&") + ">\r\n"
        #expect(throws: SIPParseError.self) { try SIPMessage(parsing: request(extra: manyHeaders)) }
        let manyValues = "Allow: " + Array(repeating: "A", count: SIPLimits.maxListValues + 1).joined(separator: ",") + "\r\n"
        #expect(throws: SIPParseError.self) { try SIPMessage(parsing: request(extra: manyValues)) }
        let manyVias = (0...SIPLimits.maxVias).map { _ in "Via: SIP/2.0/UDP h;branch=z9hG4bK2\r\n" }.joined()
        #expect(throws: SIPParseError.self) { try SIPMessage(parsing: request(extra: manyVias)) }
    }

    @Test func garbageNeverTraps() throws {
        var rng = SystemRandomNumberGenerator()
        let seed = try Fixtures.bytes("sip/invite-from-pbx.sip")
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: i)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
            }
            if let m = try? SIPMessage(parsing: bytes) {
                #expect(try SIPMessage(parsing: m.serialized()).serialized() == m.serialized())
            }
        }
    }

    @Test(arguments: ["", "\r\n", "SIP/2.0", "INVITE", "INVITE sip:a@b SIP/2.0", "\u{0}\u{0}", "SIP/2.0 200\r\n\r\n",
                      "INVITE sip:a@b SIP/2.0\r\nVia: \u{FF}\r\n\r\n"])
    func truncatedInputIsAnError(_ text: String) {
        #expect(throws: SIPParseError.self) { try SIPMessage(parsing: Array(text.utf8)) }
    }

    @Test func invalidUTF8InAHeaderIsRefused() throws {
        var bytes = request(extra: "Subject: caf\u{E9}\r\n")
        if let i = bytes.firstIndex(of: 0xC3) { bytes[i] = 0xFF; bytes.remove(at: i + 1) }
        let e = #expect(throws: SIPParseError.self) { try SIPMessage(parsing: bytes) }
        #expect(e?.reason.contains("UTF-8") == true)
    }
}
