// SDPAnchoringTests: hold detection (RFC 3264 §8.4), B2BUA address/port rewriting, o= version handling (RFC 3264 §8).

import Testing
@testable import SIPCore

@Suite("SDP hold, anchoring and versions")
struct SDPAnchoringTests {
    @Test func sendonlyReinviteIsHold() throws {
        let s = try SDPSession(parsing: SDPFixtures.holdReinvite)
        #expect(s.isOnHold)
        #expect(s.isHeld(mediaAt: 0))
        #expect(!s.isHeld(mediaAt: 5))
    }

    @Test func sendrecvAndRecvonlyAreNotHold() throws {
        #expect(!(try SDPSession(parsing: SDPFixtures.g711G729Offer)).isOnHold)
        var s = try SDPSession(parsing: SDPFixtures.g711G729Offer)
        s.media[0].direction = .recvonly
        #expect(!s.isOnHold)
        s.media[0].direction = .inactive
        #expect(s.isOnHold)
    }

    @Test func nullConnectionAddressIsHold() throws {
        #expect(try SDPSession(parsing: SDPFixtures.nullAddressHold).isOnHold)
        var v6 = try SDPSession(parsing: SDPFixtures.ipv6Offer)
        #expect(!v6.isOnHold)
        v6.connection = .ip6("::")
        #expect(v6.isOnHold)
        // A media-level c= overrides a null session-level one.
        var s = try SDPSession(parsing: SDPFixtures.nullAddressHold)
        s.media[0].connections = [.ip4("10.0.0.9")]
        #expect(!s.isOnHold)
    }

    @Test func sessionLevelSendonlyIsHold() throws {
        var s = try SDPSession(parsing: SDPFixtures.trunkAnswer)
        s.media[0].direction = nil
        s.direction = .sendonly
        #expect(s.isOnHold)
    }

    @Test func holdConsidersOnlyActiveStreams() throws {
        var s = try SDPSession(parsing: SDPFixtures.videoRejectedAnswer)
        #expect(!s.isOnHold)
        s.media[0].direction = .sendonly
        #expect(s.isOnHold)
        #expect(!s.isHeld(mediaAt: 1))
        s.media[0].port = 0
        #expect(!s.isOnHold)
    }

    @Test func anchoringRewritesAddressesAndPorts() throws {
        var s = try SDPSession(parsing: SDPFixtures.audioVideoOffer)
        s.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000, 40002])
        #expect(s.connection == .ip4("192.0.2.10"))
        #expect(s.media.map(\.port) == [40000, 40002])
        // Everything else is untouched.
        let original = try SDPSession(parsing: SDPFixtures.audioVideoOffer)
        #expect(s.media.map(\.attributes) == original.media.map(\.attributes))
        #expect(s.origin == original.origin)
    }

    @Test func anchoringKeepsRejectedPortsAndPortsBeyondTheList() throws {
        var s = try SDPSession(parsing: SDPFixtures.videoRejectedAnswer)
        s.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000, 40002])
        #expect(s.media.map(\.port) == [40000, 0])
        var t = try SDPSession(parsing: SDPFixtures.audioVideoOffer)
        t.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000])
        #expect(t.media.map(\.port) == [40000, 51372])
    }

    @Test func anchoringRewritesMediaLevelConnectionAndRtcp() throws {
        var s = try SDPSession(parsing: SDPFixtures.rtcpMuxOffer)
        s.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000])
        #expect(s.connection == nil)
        #expect(s.media[0].connections == [.ip4("192.0.2.10")])
        // a=rtcp equal to the RTP port (rtcp-mux) follows the new RTP port.
        #expect(s.media[0].rtcp == SDPRtcp(port: 40000, connection: .ip4("192.0.2.10")))

        var separate = try SDPSession(parsing: sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                                   "m=audio 5000 RTP/AVP 0", "a=rtcp:5001", "a=sendrecv"))
        separate.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000])
        #expect(separate.media[0].rtcp == SDPRtcp(port: 40001))
        #expect(separate.media[0].attributes.map(\.name) == ["rtcp", "sendrecv"])
    }

    @Test func anchoringToIPv6() throws {
        var s = try SDPSession(parsing: SDPFixtures.g711G729Offer)
        s.anchorMedia(at: .ip6("2001:db8::99"), ports: [40000])
        #expect(s.serialized.contains("\r\nc=IN IP6 2001:db8::99\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 8 18 101\r\n"))
    }

    @Test func anchoringKeepsNullHoldAddress() throws {
        var s = try SDPSession(parsing: SDPFixtures.nullAddressHold)
        s.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000])
        #expect(s.connection == .ip4("0.0.0.0"))
        #expect(s.isOnHold)
        #expect(s.media[0].port == 40000)
        var v6 = try SDPSession(parsing: SDPFixtures.nullAddressHold)
        v6.anchorMedia(at: .ip6("2001:db8::99"), ports: [40000])
        #expect(v6.connection == .ip6("::"))
    }

    @Test func anchoringRemovesICEUnlessAskedNotTo() throws {
        let text = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0", "a=ice-lite",
                       "m=audio 5000 RTP/AVP 0", "a=ice-ufrag:F7gI", "a=ice-pwd:x9cml/YzichV2+XlhiMu8g",
                       "a=candidate:1 1 UDP 2130706431 10.0.0.1 5000 typ host", "a=end-of-candidates", "a=sendrecv")
        var s = try SDPSession(parsing: text)
        s.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000])
        #expect(s.attributes.isEmpty)
        #expect(s.media[0].attributes == [SDPAttribute("sendrecv")])
        var kept = try SDPSession(parsing: text)
        kept.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000], removeICE: false)
        #expect(kept.media[0].attributes.count == 5)
    }

    @Test func anchoringAddsSessionConnectionWhenNoneApplies() throws {
        var s = try SDPSession(parsing: sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=audio 5000 RTP/AVP 0"))
        s.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000])
        #expect(s.connection == .ip4("192.0.2.10"))
    }

    @Test func bumpVersion() throws {
        var s = try SDPSession(parsing: SDPFixtures.g711G729Offer)
        s.bumpVersion()
        #expect(s.origin.sessionVersion == 1234567891)
        #expect(s.serialized.contains("o=- 1234567890 1234567891 IN IP4 192.168.1.50\r\n"))
        s.origin.sessionVersion = .max
        s.bumpVersion()
        #expect(s.origin.sessionVersion == 0)
    }

    @Test func updateVersionKeepsVersionWhenUnchangedAndBumpsWhenChanged() throws {
        let sent = try SDPSession(parsing: SDPFixtures.trunkAnswer)

        var same = try SDPSession(parsing: SDPFixtures.trunkAnswer)
        same.origin = SDPOrigin(sessionID: "1", sessionVersion: 1, address: "10.9.9.9")
        same.updateVersion(after: sent)
        #expect(same.origin == sent.origin)
        #expect(same == sent)

        var held = try SDPSession(parsing: SDPFixtures.trunkAnswer)
        held.media[0].direction = .sendonly
        held.updateVersion(after: sent)
        #expect(held.origin.sessionVersion == sent.origin.sessionVersion + 1)
        #expect(held.origin.sessionID == sent.origin.sessionID)
        #expect(held.origin.address == sent.origin.address)

        var anchored = try SDPSession(parsing: SDPFixtures.trunkAnswer)
        anchored.anchorMedia(at: .ip4("192.0.2.10"), ports: [40000])
        anchored.updateVersion(after: sent)
        #expect(anchored.origin.sessionVersion == 1700000002)
    }
}
