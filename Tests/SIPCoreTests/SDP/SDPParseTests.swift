// SDPParseTests: parsing real-looking SDP bodies into typed fields (RFC 8866 §5) and attribute views.

import Testing
@testable import SIPCore

@Suite("SDP parsing")
struct SDPParseTests {
    @Test func parsesDeskPhoneOfferWithG711G729AndDTMF() throws {
        let s = try SDPSession(parsing: SDPFixtures.g711G729Offer)
        #expect(s.origin == SDPOrigin(username: "-", sessionID: "1234567890", sessionVersion: 1234567890,
                                      networkType: "IN", addressType: "IP4", address: "192.168.1.50"))
        #expect(s.sessionName == "SIP Call")
        #expect(s.connection == SDPConnection.ip4("192.168.1.50"))
        #expect(s.timings == [SDPTiming(start: 0, stop: 0)])
        #expect(s.media.count == 1)
        let m = s.media[0]
        #expect(m.mediaType == "audio")
        #expect(m.port == 11780)
        #expect(m.portCount == nil)
        #expect(m.proto == "RTP/AVP")
        #expect(m.formats == ["0", "8", "18", "101"])
        #expect(m.payloadTypes == [0, 8, 18, 101])
        #expect(m.isRTP && !m.isSecure)
        #expect(m.codecs.map(\.encodingName) == ["PCMU", "PCMA", "G729", "telephone-event"])
        #expect(m.rtpMap(forPayloadType: 18) == SDPRtpMap(payloadType: 18, encodingName: "G729", clockRate: 8000))
        #expect(m.fmtp(forPayloadType: 18)?.value(for: "annexb") == "no")
        #expect(m.fmtp(forPayloadType: 101)?.telephoneEventRanges == [0...16])
        #expect(m.telephoneEvents.map(\.payloadType) == [101])
        #expect(m.ptime == 20)
        #expect(m.maxptime == nil)
        #expect(m.direction == .sendrecv)
        #expect(s.effectiveDirection(of: m) == .sendrecv)
        #expect(s.effectiveConnection(of: m)?.address == "192.168.1.50")
        #expect(m.attributes.count == 8)
    }

    @Test func staticPayloadTypesResolveWithoutRtpmap() throws {
        let s = try SDPSession(parsing: sdp(
            "v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "c=IN IP4 10.1.1.1", "t=0 0",
            "m=audio 4000 RTP/AVP 0 8 18 9 13 3"))
        let m = s.media[0]
        #expect(m.rtpMaps.isEmpty)
        #expect(m.codecs.map(\.encodingName) == ["PCMU", "PCMA", "G729", "G722", "CN"])
        #expect(m.codecs.allSatisfy { $0.clockRate == 8000 })
        #expect(m.rtpMap(forPayloadType: 3) == nil)
        #expect(m.codecs[4].isComfortNoise)
    }

    @Test func explicitRtpmapWinsOverStaticTable() throws {
        let s = try SDPSession(parsing: sdp(
            "v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "t=0 0",
            "m=audio 4000 RTP/AVP 9", "a=rtpmap:9 G722/16000"))
        #expect(s.media[0].rtpMap(forPayloadType: 9)?.clockRate == 16000)
    }

    @Test func parsesSRTPOfferWithTwoCryptoLines() throws {
        let m = try SDPSession(parsing: SDPFixtures.srtpOffer).media[0]
        #expect(m.proto == "RTP/SAVP")
        #expect(m.isSecure)
        let c = m.cryptos
        #expect(c.count == 2)
        #expect(c.map(\.tag) == [1, 2])
        #expect(c.map(\.suite) == [.aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32])
        #expect(c[0].keySalt?.count == 30)
        #expect(c[0].keyParameters[0].lifetime == "2^20")
        #expect(c[0].keyParameters[0].mkiValue == 1)
        #expect(c[0].keyParameters[0].mkiLength == 32)
        #expect(c[1].keyParameters[0].lifetime == nil)
        #expect(c[1].keyParameters[0].mkiValue == nil)
        #expect(c[1].keySalt == Array("YS___semctl () {\t220;}\n}\nunles".utf8))
    }

    @Test func parsesTrunkAnswer() throws {
        let s = try SDPSession(parsing: SDPFixtures.trunkAnswer)
        #expect(s.origin.username == "FreeSWITCH")
        #expect(s.origin.sessionVersion == 1700000001)
        #expect(s.media[0].codecs.map(\.payloadType) == [8, 101])
    }

    @Test func parsesRejectedMediaLine() throws {
        let s = try SDPSession(parsing: SDPFixtures.videoRejectedAnswer)
        #expect(s.media.map(\.port) == [30000, 0])
        #expect(s.media[1].isRejected)
        #expect(!s.media[0].isRejected)
        #expect(s.media[1].formats == ["96"])
    }

    @Test func acceptsRejectedLineWithoutFormats() throws {
        let s = try SDPSession(parsing: sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "t=0 0", "m=video 0 RTP/AVP"))
        #expect(s.media[0].formats.isEmpty)
        #expect(s.serialized.hasSuffix("m=video 0 RTP/AVP\r\n"))
    }

    @Test func parsesRtcpMuxRtcpAndBandwidth() throws {
        let s = try SDPSession(parsing: SDPFixtures.rtcpMuxOffer)
        #expect(s.origin.sessionID == "4611731400430051336")
        #expect(s.bandwidths == [SDPBandwidth(type: "AS", value: 80)])
        #expect(s.connection == nil)
        let m = s.media[0]
        #expect(m.proto == "RTP/AVPF")
        #expect(m.connections == [SDPConnection.ip4("172.16.4.9")])
        #expect(s.effectiveConnection(of: m)?.address == "172.16.4.9")
        #expect(m.bandwidths == [SDPBandwidth(type: "TIAS", value: 64000)])
        #expect(m.rtcpMux)
        #expect(m.rtcp == SDPRtcp(port: 9000, connection: .ip4("172.16.4.9")))
        #expect(m.rtpMap(forPayloadType: 111) == SDPRtpMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(m.fmtp(forPayloadType: 111)?.value(for: "useinbandfec") == "1")
        #expect(m.maxptime == 60)
        #expect(m.ptime == nil)
    }

    @Test func parsesIPv6Connection() throws {
        let s = try SDPSession(parsing: SDPFixtures.ipv6Offer)
        #expect(s.origin.addressType == "IP6")
        #expect(s.origin.address == "2001:db8::10")
        #expect(s.origin.sessionVersion == 0)
        #expect(s.connection == SDPConnection.ip6("2001:db8::10"))
        #expect(s.media[0].codecs.map(\.encodingName) == ["G722", "PCMA", "telephone-event"])
    }

    @Test func parsesMulticastTTLAndAddressCount() throws {
        let ip4 = try SDPConnection(parsing: "IN IP4 224.2.36.42/127/3")
        #expect(ip4 == SDPConnection(addressType: "IP4", address: "224.2.36.42", ttl: 127, addressCount: 3))
        #expect(ip4.lineValue == "IN IP4 224.2.36.42/127/3")
        let ttlOnly = try SDPConnection(parsing: "IN IP4 224.2.1.1/127")
        #expect(ttlOnly.ttl == 127 && ttlOnly.addressCount == nil)
        let ip6 = try SDPConnection(parsing: "IN IP6 ff15::101/3")
        #expect(ip6 == SDPConnection(addressType: "IP6", address: "ff15::101", addressCount: 3))
        #expect(throws: SIPParseError.self) { try SDPConnection(parsing: "IN IP4 224.2.1.1/256") }
        #expect(throws: SIPParseError.self) { try SDPConnection(parsing: "IN IP6 ff15::101/3/2") }
        #expect(throws: SIPParseError.self) { try SDPConnection(parsing: "IN IP4") }
    }

    @Test func parsesEveryLineType() throws {
        let s = try SDPSession(parsing: SDPFixtures.everyLineType)
        #expect(s.information == "SDP Offer #1")
        #expect(s.uri == "http://www.jdoe.example.com/home.html")
        #expect(s.emails == ["Jane Doe <jane@jdoe.example.com>"])
        #expect(s.phones == ["+1 617 555-6011"])
        #expect(s.bandwidths == [SDPBandwidth(type: "CT", value: 384)])
        #expect(s.timings.count == 2)
        #expect(s.timings[0] == SDPTiming(start: 3724394400, stop: 3724398000, repeats: ["604800 3600 0 90000", "7d 1h 0 25h"]))
        #expect(s.timings[1] == SDPTiming())
        #expect(s.timeZones == "2882844526 -1h 2898848070 0")
        #expect(s.encryptionKey == "prompt")
        #expect(s.direction == .recvonly)
        #expect(s.attribute(named: "tool")?.value == "trunkbox")
        #expect(s.media.count == 3)
        #expect(s.media[0].information == "main audio")
        #expect(s.media[1].port == 49180 && s.media[1].portCount == 2)
        #expect(s.media[1].encryptionKey == "prompt")
        #expect(s.media[2].connections == [.ip6("2001:db8::2")])
        // Session-level recvonly is the default; the video section overrides it.
        #expect(s.effectiveDirection(of: s.media[0]) == .recvonly)
        #expect(s.effectiveDirection(of: s.media[2]) == .sendrecv)
        #expect(s.effectiveConnection(of: s.media[2])?.address == "2001:db8::2")
        #expect(s.effectiveConnection(of: s.media[0])?.address == "198.51.100.1")
    }

    @Test func parsesNonRTPMediaWithTokenFormats() throws {
        let s = try SDPSession(parsing: sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "c=IN IP4 10.1.1.1", "t=0 0",
                                            "m=image 4002 udptl t38", "a=T38FaxVersion:0"))
        #expect(s.media[0].mediaType == "image")
        #expect(!s.media[0].isRTP)
        #expect(s.media[0].formats == ["t38"])
        #expect(s.media[0].payloadTypes.isEmpty)
    }

    @Test func acceptsBareLFAndMixedLineEnds() throws {
        let crlf = try SDPSession(parsing: SDPFixtures.g711G729Offer)
        let lf = try SDPSession(parsing: String(decoding: SDPFixtures.g711G729Offer.utf8.filter { $0 != 13 }, as: UTF8.self))
        #expect(lf == crlf)
        var mixed = Array(SDPFixtures.g711G729Offer.utf8)
        if let i = mixed.firstIndex(of: 13) { mixed.remove(at: i) }
        #expect(try SDPSession(parsing: mixed) == crlf)
    }

    @Test func acceptsMissingFinalLineEndAndTrailingBlankLines() throws {
        let reference = try SDPSession(parsing: SDPFixtures.trunkAnswer)
        // "\r\n" is one Character, so dropping one removes the whole final line end.
        let noFinal = String(SDPFixtures.trunkAnswer.dropLast(1))
        #expect(noFinal.hasSuffix("a=sendrecv"))
        #expect(try SDPSession(parsing: noFinal) == reference)
        #expect(try SDPSession(parsing: SDPFixtures.trunkAnswer + "\r\n\r\n") == reference)
    }

    @Test func bytesAndStringGiveTheSameSession() throws {
        let fromString = try SDPSession(parsing: SDPFixtures.srtpOffer)
        let fromBytes = try SDPSession(parsing: Array(SDPFixtures.srtpOffer.utf8))
        let fromSlice = try SDPSession(parsing: Array(SDPFixtures.srtpOffer.utf8)[...])
        #expect(fromString == fromBytes)
        #expect(fromBytes == fromSlice)
    }

    @Test func keepsUnknownAttributesAndLineTypes() throws {
        let s = try SDPSession(parsing: sdp(
            "v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "y=session extension", "t=0 0",
            "a=X-custom:some value", "m=audio 4000 RTP/AVP 0", "x=media extension", "a=x-nat:0", "a=label:1"))
        #expect(s.unknownLines == [SDPUnknownLine(type: "y", value: "session extension", follows: "s")])
        #expect(s.attributes == [SDPAttribute("X-custom", "some value")])
        #expect(s.media[0].unknownLines == [SDPUnknownLine(type: "x", value: "media extension", follows: "m")])
        #expect(s.media[0].attributes == [SDPAttribute("x-nat", "0"), SDPAttribute("label", "1")])
    }

    @Test func toleratesExtraSpacesBetweenFields() throws {
        let s = try SDPSession(parsing: sdp("v=0", "o=-  7 8 IN IP4 10.1.1.1", "s=-", "t=0 0", "m=audio 4000 RTP/AVP 0 8 "))
        #expect(s.origin.sessionVersion == 8)
        #expect(s.media[0].formats == ["0", "8"])
    }

    @Test func attributeWithEmptyValueDiffersFromPropertyAttribute() throws {
        let s = try SDPSession(parsing: sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "t=0 0", "a=foo:", "a=bar"))
        #expect(s.attributes == [SDPAttribute("foo", ""), SDPAttribute("bar")])
    }
}
