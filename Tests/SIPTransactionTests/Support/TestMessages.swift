// TestMessages: SIP requests and responses for the transaction tests, built by the real SIPCore parser.
import Foundation
import SIPCore
import SIPTransaction

enum TestMessages {
    // Parses message text written with LF line ends (sent as CRLF); Content-Length is computed.
    static func parse(_ head: String, body: String = "") throws -> SIPMessage {
        let lines = head.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        let text = lines.joined(separator: "\r\n") + "\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        return try SIPMessage(parsing: text)
    }

    // A message as the peer would see it after the wire: serialized and parsed again.
    static func wire(_ message: SIPMessage) throws -> SIPMessage {
        try SIPMessage(parsing: message.serialized())
    }

    static let sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"

    static func invite(branch: String = "z9hG4bK-inv-1", sentBy: String = "192.0.2.10:5060", transport: String = "UDP",
                       callID: String = "call-1@192.0.2.10", cseq: Int = 314, extra: String = "") throws -> SIPMessage {
        try parse("""
            INVITE sip:+15551234567@trunk.example.net SIP/2.0
            Via: SIP/2.0/\(transport) \(sentBy);branch=\(branch);rport
            Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-pbx-leg
            Route: <sip:edge1.trunk.example.net;lr>
            Route: <sip:edge2.trunk.example.net;lr>
            Max-Forwards: 69
            From: "Front Desk" <sip:100@pbx.example.com>;tag=from-1
            To: <sip:+15551234567@trunk.example.net>
            Call-ID: \(callID)
            CSeq: \(cseq) INVITE
            Contact: <sip:100@192.0.2.10:5060>
            Content-Type: application/sdp
            \(extra)
            """, body: sdp)
    }

    static func options(branch: String = "z9hG4bK-opt-1", method: String = "OPTIONS") throws -> SIPMessage {
        try parse("""
            \(method) sip:trunk.example.net SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=\(branch)
            Max-Forwards: 70
            From: <sip:probe@box.example.com>;tag=opt-from
            To: <sip:trunk.example.net>
            Call-ID: options-1@192.0.2.10
            CSeq: 7 \(method)
            """)
    }

    // A response to `request` as the peer sends it, after the wire.
    static func response(to request: SIPMessage, _ code: Int, toTag: String? = "to-9") throws -> SIPMessage {
        try wire(request.response(code, toTag: toTag))
    }

    // The ACK a peer sends for a non-2xx final response to `invite` (same branch, To from the response).
    static func ack(for invite: SIPMessage, response: SIPMessage) throws -> SIPMessage {
        try wire(invite.transactionACK(for: response))
    }
}

// The readable fixtures under Tests/Fixtures.
enum FixtureFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func message(_ relative: String) throws -> SIPMessage {
        try SIPMessage(parsing: [UInt8](Data(contentsOf: root.appendingPathComponent(relative))))
    }
}
