// ViaRulesTests: received/rport stamping (RFC 3261 §18.2.1, RFC 3581) and response routing (§18.2.2).
import SIPCore
import Testing
@testable import SIPStack

@Suite struct ViaRulesTests {
    func request(via: String) throws -> SIPMessage {
        try SIPMessage(parsing: "OPTIONS sip:a@b SIP/2.0\r\nVia: \(via)\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func receivedIsAddedOnlyWhenTheHostDiffers() throws {
        var same = try request(via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1")
        try SIPViaRules.stampReceived(&same, sourceIP: "192.0.2.1", sourcePort: 5060)
        #expect(try same.headers.topVia?.received == nil)
        var natted = try request(via: "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport")
        try SIPViaRules.stampReceived(&natted, sourceIP: "203.0.113.9", sourcePort: 40123)
        let via = try #require(try natted.headers.topVia)
        #expect(via.received == "203.0.113.9" && via.rportValue == 40123)
        #expect(try SIPViaRules.responseDestination(for: natted.response(200)) ==
                SIPViaRules.Destination(host: "203.0.113.9", port: 40123, transport: .udp, preferReceivingConnection: false))
    }

    @Test func responsesFollowTheRFCOrder() throws {
        let plain = try request(via: "SIP/2.0/UDP pbx.example.com:5070;branch=z9hG4bK1").response(200)
        #expect(try SIPViaRules.responseDestination(for: plain)?.port == 5070)
        let multicast = try request(via: "SIP/2.0/UDP pbx.example.com;maddr=239.1.1.1;branch=z9hG4bK1").response(200)
        #expect(try SIPViaRules.responseDestination(for: multicast)?.host == "239.1.1.1")
        let tcp = try request(via: "SIP/2.0/TCP 10.0.0.5;branch=z9hG4bK1;received=192.0.2.7").response(200)
        #expect(try SIPViaRules.responseDestination(for: tcp) ==
                SIPViaRules.Destination(host: "192.0.2.7", port: 5060, transport: .tcp, preferReceivingConnection: true))
        let tls = try request(via: "SIP/2.0/TLS [2001:db8::1];branch=z9hG4bK1").response(200)
        #expect(try SIPViaRules.responseDestination(for: tls)?.port == 5061)
    }
}
