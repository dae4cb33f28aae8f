// SDPRoundTripTests: serialization with CRLF (RFC 8866 §5) and parse/serialize byte identity on canonical input.

import Testing
@testable import SIPCore

@Suite("SDP round trip")
struct SDPRoundTripTests {
    @Test(arguments: SDPFixtures.all.map(\.name))
    func canonicalInputRoundTripsByteForByte(name: String) throws {
        let text = try #require(SDPFixtures.all.first { $0.name == name }?.text)
        let session = try SDPSession(parsing: text)
        #expect(session.serialized == text)
        #expect(session.serializedBytes == Array(text.utf8))
        #expect(session.description == text)
    }

    @Test func lfInputSerializesWithCRLFAndReparsesEqual() throws {
        let lf = String(decoding: SDPFixtures.srtpOffer.utf8.filter { $0 != 13 }, as: UTF8.self)
        let s = try SDPSession(parsing: lf)
        #expect(s.serialized == SDPFixtures.srtpOffer)
        #expect(try SDPSession(parsing: s.serialized) == s)
    }

    @Test func nonCanonicalInputSerializesToEquivalentCanonicalForm() throws {
        // Leading zeros, runs of spaces and out-of-order c=/b= are accepted and normalized.
        let input = sdp("v=0", "o=-   1  007 IN IP4 10.1.1.1", "s=-", "t=0 0", "b=AS:064", "c=IN IP4 10.1.1.1",
                        "m=audio 04000 RTP/AVP 0")
        let s = try SDPSession(parsing: input)
        let expected = sdp("v=0", "o=- 1 7 IN IP4 10.1.1.1", "s=-", "c=IN IP4 10.1.1.1", "b=AS:64", "t=0 0",
                           "m=audio 4000 RTP/AVP 0")
        #expect(s.serialized == expected)
        #expect(try SDPSession(parsing: s.serialized) == s)
    }

    @Test func unknownLinesStayInPlace() throws {
        let text = sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "y=after s", "c=IN IP4 10.1.1.1", "t=0 0",
                       "x=after t", "a=foo:bar", "m=audio 4000 RTP/AVP 0", "w=after m", "c=IN IP4 10.1.1.2",
                       "q=after c", "a=rtpmap:0 PCMU/8000", "m=video 0 RTP/AVP 31", "y=end of video")
        let s = try SDPSession(parsing: text)
        #expect(s.serialized == text)
        #expect(s.unknownLines.map(\.follows) == ["s", "t"])
        #expect(s.media[0].unknownLines.map(\.follows) == ["m", "c"])
        #expect(s.media[1].unknownLines.map(\.follows) == ["m"])
    }

    @Test func unknownAttributesKeepTheirOrderAmongKnownOnes() throws {
        let text = sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "t=0 0", "m=audio 4000 RTP/AVP 0 101",
                       "a=X-vendor:1", "a=rtpmap:101 telephone-event/8000", "a=label:main", "a=fmtp:101 0-15",
                       "a=ssrc:12345 cname:abc", "a=sendrecv")
        let s = try SDPSession(parsing: text)
        #expect(s.media[0].attributes.map(\.name) == ["X-vendor", "rtpmap", "label", "fmtp", "ssrc", "sendrecv"])
        #expect(s.serialized == text)
    }

    @Test func builtSessionSerializesInRFCOrder() throws {
        var media = SDPMedia(mediaType: "audio", port: 20000, proto: "RTP/AVP", formats: ["8", "101"])
        media.attributes = [SDPRtpMap(payloadType: 8, encodingName: "PCMA", clockRate: 8000).attribute,
                            SDPRtpMap(payloadType: 101, encodingName: "telephone-event", clockRate: 8000).attribute,
                            SDPFmtp(payloadType: 101, parameters: "0-16").attribute]
        media.direction = .sendrecv
        media.rtcpMux = true
        let s = SDPSession(origin: SDPOrigin(sessionID: "99", sessionVersion: 1, address: "192.0.2.1"),
                           connection: .ip4("192.0.2.1"), media: [media])
        #expect(s.serialized == sdp("v=0", "o=- 99 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                                    "m=audio 20000 RTP/AVP 8 101", "a=rtpmap:8 PCMA/8000",
                                    "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=sendrecv", "a=rtcp-mux"))
        #expect(try SDPSession(parsing: s.serialized) == s)
    }

    @Test func unknownLineWithUnplacedAnchorIsWrittenAtSectionEnd() throws {
        var s = try SDPSession(parsing: SDPFixtures.nullAddressHold)
        s.unknownLines.append(SDPUnknownLine(type: "y", value: "late", follows: "m"))
        let lines = s.serialized.split(separator: "\r\n")
        #expect(lines.firstIndex(of: "y=late") == lines.firstIndex(of: "t=0 0").map { $0 + 1 })
    }
}

@Suite struct SDPUnknownLineOrderTests {
    /// Found by fuzz-sdp: lines out of RFC 8866 order around unknown lines must still round-trip equal.
    @Test func outOfOrderLinesAroundUnknownLinesRoundTrip() throws {
        let first = try SDPSession(parsing: "v=0\no=i 8 2 0 4 m\ns=\na=g\nx=\ne=\nx=\n")
        let again = try SDPSession(parsing: first.serialized)
        #expect(again == first)
        #expect(again.serialized == first.serialized)
    }

    /// Found by fuzz-sdp in CI: an unknown line between t= and r= must round-trip equal, because the
    /// serializer writes t= and its r= lines as one block and the unknown line after the block.
    @Test func unknownLineBetweenTimingAndRepeatRoundTrips() throws {
        let first = try SDPSession(parsing: "v=0\r\no=- 1 0 IN IP4 192.0.2.1\r\ns=-\r\nt=21 0\ny=unknown\r\nr=7d 1h 3\r\n")
        #expect(first.unknownLines.map(\.follows) == ["t"])
        let again = try SDPSession(parsing: first.serialized)
        #expect(again == first)
        #expect(again.serialized == first.serialized)
        #expect(first.serialized.contains("r=7d 1h 3\r\ny=unknown\r\n"))
    }
}
