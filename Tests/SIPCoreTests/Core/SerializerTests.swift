// SerializerTests: canonical messages serialize byte-identically; others become equivalent canonical text.
import Testing
@testable import SIPCore

@Suite struct SerializerTests {
    @Test(arguments: ["invite-from-pbx", "ok-from-trunk", "register", "unauthorized", "bye", "incoming-invite-from-trunk"])
    func canonicalMessagesAreByteIdentical(_ name: String) throws {
        let bytes = try Fixtures.bytes("sip/\(name).sip")
        #expect(try SIPMessage(parsing: bytes).serialized() == bytes)
        #expect(try SIPMessage(parsing: bytes, framing: .stream).serialized() == bytes)
    }

    @Test func foldingAndSpacingAreNormalised() throws {
        let text = "OPTIONS sip:x@y SIP/2.0\r\nVia  :  SIP/2.0/UDP h;branch=z9hG4bK1  \r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
            + "Call-ID:x\r\nCSeq: 1 OPTIONS\r\nSubject: one\r\n  two\r\n\tthree\r\n\r\n"
        let m = try SIPMessage(parsing: text)
        #expect(m.headers["subject"] == "one two three")
        #expect(m.text == "OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
            + "Call-ID: x\r\nCSeq: 1 OPTIONS\r\nSubject: one two three\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func contentLengthFollowsTheBody() throws {
        var m = try SIPMessage(parsing: Fixtures.bytes("sip/invite-from-pbx.sip"))
        m.body = Array("v=0\r\n".utf8)
        let again = try SIPMessage(parsing: m.serialized(), framing: .stream)
        #expect(try again.headers.contentLength == 5)
        #expect(again.body == m.body)
    }

    @Test func bodyBytesAreKeptExactly() throws {
        let body: [UInt8] = [0, 1, 2, 0xFF, 0x0D, 0x0A, 0x0D, 0x0A, 0x80]
        let m = SIPMessage(startLine: .request(method: .message, uri: try URI.parse("sip:a@b")),
                           headers: [("Via", "SIP/2.0/UDP h;branch=z9hG4bK1"), ("From", "<sip:a@b>;tag=1"), ("To", "<sip:a@b>"),
                                     ("Call-ID", "x"), ("CSeq", "1 MESSAGE"), ("Content-Type", "application/octet-stream")],
                           body: body)
        #expect(try SIPMessage(parsing: m.serialized()).body == body)
    }

    @Test func requestsBuiltInCodeSerializeCanonically() throws {
        var h = SIPHeaders()
        h.add(.via, SIPVia(transport: "TLS", host: "198.51.100.7", port: 5061, branch: "z9hG4bK.1").description)
        h.add(.maxForwards, "70")
        h.add(.from, "<sip:99051000012345@sip.skype.com>;tag=a")
        h.add(.to, "<sip:99051000012345@sip.skype.com>")
        h.add(.callID, "reg-1@198.51.100.7")
        h.add(.cseq, SIPCSeq(1, .register).description)
        let m = SIPMessage.request(.register, try URI.parse("sip:sip.skype.com"), headers: h)
        #expect(m.text == "REGISTER sip:sip.skype.com SIP/2.0\r\nVia: SIP/2.0/TLS 198.51.100.7:5061;branch=z9hG4bK.1\r\n"
            + "Max-Forwards: 70\r\nFrom: <sip:99051000012345@sip.skype.com>;tag=a\r\nTo: <sip:99051000012345@sip.skype.com>\r\n"
            + "Call-ID: reg-1@198.51.100.7\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n")
    }
}
