// CallMediaFixtures: SDP bodies from an office PBX and a Skype Connect trunk, the box's legs and key providers, for the CallMedia tests.

import SIPCore
@testable import CallMedia

// Joins lines with CRLF, ending the last one too, as SIP stacks send SDP.
func sdpText(_ lines: String...) -> String {
    lines.joined(separator: "\r\n") + "\r\n"
}

enum CallMediaFixtures {
    // A Yealink phone's call through Asterisk: G.711 µ/A-law, G.729, RFC 4733 DTMF on 101.
    static let pbxOffer = sdpText(
        "v=0",
        "o=- 20518 20518 IN IP4 192.168.1.20",
        "s=Asterisk",
        "c=IN IP4 192.168.1.20",
        "t=0 0",
        "m=audio 10000 RTP/AVP 0 8 18 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:18 G729/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=maxptime:150",
        "a=sendrecv"
    )

    // A Yealink offering directly: ICE, RTCP attributes, video, and SDES keys of its own.
    static let pbxOfferWithExtras = sdpText(
        "v=0",
        "o=- 1 1 IN IP4 192.168.1.30",
        "s=SDP data",
        "c=IN IP4 192.168.1.30",
        "t=0 0",
        "a=ice-lite",
        "m=audio 11800 RTP/SAVP 9 0 8 18 101",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:18 G729/8000",
        "a=fmtp:18 annexb=yes",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=rtcp:11801",
        "a=rtcp-mux",
        "a=ice-ufrag:F7gI",
        "a=ice-pwd:x9cml/YzichV2+XlhiMu8g",
        "a=candidate:1 1 UDP 2130706431 192.168.1.30 11800 typ host",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32",
        "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
        "a=ssrc:2766214311 cname:yealink",
        "a=sendrecv",
        "m=video 11802 RTP/SAVP 99",
        "a=rtpmap:99 H264/90000",
        "a=fmtp:99 profile-level-id=42801F",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
    )

    // Skype Connect's answer to the box's SRTP offer: G.729, telephone-event renumbered to 96, tag 1.
    static let trunkAnswer = sdpText(
        "v=0",
        "o=- 3456 3457 IN IP4 203.0.113.50",
        "s=-",
        "c=IN IP4 203.0.113.50",
        "t=0 0",
        "m=audio 30000 RTP/SAVP 18 96",
        "a=rtpmap:18 G729/8000",
        "a=fmtp:18 annexb=no",
        "a=rtpmap:96 telephone-event/8000",
        "a=fmtp:96 0-15",
        "a=ptime:20",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
        "a=sendrecv"
    )

    // Skype Connect offering an inbound call: SRTP with two suites, G.729 and PCMU, telephone-event 96.
    static let trunkOffer = sdpText(
        "v=0",
        "o=- 777 777 IN IP4 203.0.113.50",
        "s=-",
        "c=IN IP4 203.0.113.50",
        "t=0 0",
        "m=audio 31000 RTP/SAVP 18 0 96",
        "a=rtpmap:18 G729/8000",
        "a=fmtp:18 annexb=no",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:96 telephone-event/8000",
        "a=fmtp:96 0-15",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^31",
        "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CB",
        "a=sendrecv"
    )

    // The PBX's plain answer to the box's forwarded inbound offer: G.729 and telephone-event 101.
    static let pbxAnswer = sdpText(
        "v=0",
        "o=- 20600 20601 IN IP4 192.168.1.20",
        "s=Asterisk",
        "c=IN IP4 192.168.1.20",
        "t=0 0",
        "m=audio 10200 RTP/AVP 18 101",
        "a=rtpmap:18 G729/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=sendrecv"
    )

    // The box toward the PBX: plain RTP on the LAN.
    static let pbxLeg = B2BLeg(connection: .ip4("192.168.1.2"), rtpPort: 20000, sessionID: "5001")

    // The box toward Skype Connect: SRTP optional, G.711 and G.729 with Annex B off.
    static let trunkLeg = B2BLeg(connection: .ip4("198.51.100.2"), rtpPort: 40000, sessionID: "9001", srtp: .optional,
                                   cryptoSuites: [.aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32],
                                   codecs: [.pcmu, .pcma, .g729, .telephoneEvent], g729AnnexBOff: true)

    // Deterministic keys: 30 bytes of 0x11 for the _80 suite, 0x22 for the _32 suite.
    static func keys(_ suite: SDPCryptoSuite) -> [UInt8] {
        Array(repeating: suite == .aesCM128HmacSHA1_80 ? 0x11 : 0x22, count: suite.keySaltLength ?? 30)
    }

    // Base64 of 30 bytes 0x11 and 0x22.
    static let key11 = "ERERERERERERERERERERERERERERERERERERERER"
    static let key22 = "IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIi"

    static func parse(_ text: String) throws -> SDPSession {
        try SDPSession(parsing: text)
    }
}
