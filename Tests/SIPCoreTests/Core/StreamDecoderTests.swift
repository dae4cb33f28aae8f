// StreamDecoderTests: whole messages from any chunking of a TCP/TLS stream, keep-alives, size limits.
import Testing
@testable import SIPCore

@Suite struct StreamDecoderTests {
    static let messages = ["invite-from-pbx", "ok-from-trunk", "register", "unauthorized", "bye", "incoming-invite-from-trunk"]

    func stream() throws -> [UInt8] {
        var s: [UInt8] = []
        for (i, name) in Self.messages.enumerated() {
            s += try Fixtures.bytes("sip/\(name).sip")
            if i == 1 { s += Array("\r\n\r\n".utf8) }     // a ping between messages
            if i == 3 { s += Array("\r\n".utf8) }         // a pong
        }
        return s
    }

    func expected() throws -> [SIPStreamDecoder.Item] {
        var items: [SIPStreamDecoder.Item] = []
        for (i, name) in Self.messages.enumerated() {
            items.append(.message(try SIPMessage(parsing: Fixtures.bytes("sip/\(name).sip"), framing: .stream)))
            if i == 1 { items.append(.keepAlivePing) }
            if i == 3 { items.append(.keepAlivePong) }
        }
        return items
    }

    @Test(arguments: [1, 2, 3, 7, 64, 500, 100_000])
    func anyChunkingGivesTheSameItems(_ chunk: Int) throws {
        let bytes = try stream()
        var d = SIPStreamDecoder()
        var items: [SIPStreamDecoder.Item] = []
        var i = 0
        while i < bytes.count {
            try d.feed(bytes[i..<min(i + chunk, bytes.count)])
            items += try d.drain()
            i += chunk
        }
        #expect(items == (try expected()))
        #expect(d.bufferedByteCount == 0)
    }

    @Test func bodiesAreCutByContentLength() throws {
        var d = SIPStreamDecoder()
        let invite = try Fixtures.bytes("sip/invite-from-pbx.sip")
        try d.feed(invite + invite.prefix(40))
        let items = try d.drain()
        #expect(items.count == 1)
        guard case .message(let m) = items.first else { Issue.record("expected a message"); return }
        #expect(m.body.count == (try m.headers.contentLength))
        #expect(d.bufferedByteCount == 40)
    }

    @Test func missingContentLengthIsAnErrorOnAStream() throws {
        var d = SIPStreamDecoder()
        try d.feed(Array("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n".utf8))
        let e = #expect(throws: SIPParseError.self) { try d.next() }
        #expect(e?.reason.contains("Content-Length is required") == true)
        // After an error the decoder stays failed: the connection must be closed.
        #expect(throws: SIPParseError.self) { try d.feed([0x41]) }
    }

    @Test func oversizeHeadersAreRefusedBeforeTheyEnd() throws {
        var d = SIPStreamDecoder(maxMessageBytes: 4096)
        try d.feed(Array("INVITE sip:a@b SIP/2.0\r\n".utf8))
        #expect(try d.next() == nil)
        try d.feed(Array(repeating: UInt8(ascii: "a"), count: 5000))
        let e = #expect(throws: SIPParseError.self) { try d.next() }
        #expect(e?.responseCode == 513)
    }

    @Test func oversizeBodyIsRefusedFromTheHeaders() throws {
        var d = SIPStreamDecoder(maxMessageBytes: 1024)
        try d.feed(Array("MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\nContent-Length: 5000\r\n\r\n".utf8))
        #expect(throws: SIPParseError.self) { try d.next() }
    }

    @Test func aPartialPingWaitsForMoreBytes() throws {
        var d = SIPStreamDecoder()
        try d.feed(Array("\r\n\r".utf8))
        #expect(try d.next() == nil)
        try d.feed([0x0A])
        #expect(try d.next() == .keepAlivePing)
        try d.feed(Array("\r\n".utf8))
        #expect(try d.next() == nil, "a lone CRLF at the end could still be the start of a ping")
        try d.feed(Array("OPTIONS".utf8))
        #expect(try d.next() == .keepAlivePong)
    }
}

@Suite struct FlowClientDecoderTests {
    @Test func aFlowClientTakesALoneCRLFAsAPongAtOnce() throws {
        var d = SIPStreamDecoder(isFlowClient: true)
        try d.feed(Array("\r\n".utf8))
        #expect(try d.next() == .keepAlivePong)
        try d.feed(Array("\r\n\r\n".utf8))
        #expect(try d.next() == .keepAlivePing)
    }
}
