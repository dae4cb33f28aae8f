// Calls tests: the controller's pure helpers (source ACL, failure mapping, SRTP policy) and the INVITE the box builds for each direction.
@testable import Calls
import CallMedia
import Media
import MediaCore
import Config
import NIOCore
import SIPCore
import SIPStack
import SIPTransaction
import Store
import Testing

@Suite struct SourceACLTests {
    @Test(arguments: [
        ("192.168.1.0/24", "192.168.1.77", true),
        ("192.168.1.0/24", "192.168.2.1", false),
        ("10.0.0.5", "10.0.0.5", true),
        ("10.0.0.5", "10.0.0.6", false),
        ("0.0.0.0/0", "203.0.113.9", true),
        ("172.16.0.0/12", "172.31.255.255", true),
        ("172.16.0.0/12", "172.32.0.1", false),
        ("2001:db8::/32", "2001:db8:1::7", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("192.168.1.0/24", "::ffff:192.168.1.9", true),
        ("192.168.1.0/24", "not-an-address", false),
    ])
    func cidr(_ network: String, _ address: String, _ inside: Bool) throws {
        let cidr = try #require(CIDR(network))
        #expect(cidr.contains(address) == inside)
    }

    @Test(arguments: ["192.168.1.0/33", "300.1.1.1", "fe80::/129", "", "10.0.0.0/x"])
    func badNetworksAreRefused(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test func theACLOrTheAddressDecides() {
        var pbx = PBXConfig(address: "192.168.1.10")
        #expect(CallController.pbxAllows("192.168.1.10", pbx))
        #expect(!CallController.pbxAllows("192.168.1.11", pbx))
        pbx.acl = ["192.168.1.0/24", "10.9.9.9"]
        #expect(CallController.pbxAllows("192.168.1.11", pbx))
        #expect(CallController.pbxAllows("10.9.9.9", pbx))
        #expect(!CallController.pbxAllows("10.9.9.8", pbx))
        #expect(!CallController.pbxAllows("192.168.1.10", PBXConfig()))   // factory default: nobody
    }
}

@Suite struct FailureMappingTests {
    @Test(arguments: [(401, 403), (407, 403), (302, 480), (486, 486), (404, 404), (503, 503), (408, 408), (482, 500), (603, 603)])
    func whatTheFirstLegHears(_ code: Int, _ mapped: Int) {
        #expect(CallController.mapFailure(code) == mapped)
    }

    @Test(arguments: [(486, CallDisposition.busy), (600, .busy), (408, .noAnswer), (480, .noAnswer), (487, .cancelled),
                      (404, .refused), (488, .refused), (500, .failed), (503, .failed)])
    func dispositions(_ code: Int, _ disposition: CallDisposition) {
        #expect(CallController.disposition(for: code) == disposition)
    }

    @Test func hostPort() {
        #expect(CallController.hostPort("sip.skype.com") == ("sip.skype.com", nil))
        #expect(CallController.hostPort("10.0.0.1:5070") == ("10.0.0.1", 5070))
        #expect(CallController.hostPort("[2001:db8::1]:5061") == ("[2001:db8::1]", 5061))
        #expect(CallController.hostPort("[2001:db8::1]") == ("[2001:db8::1]", nil))
    }
}

@Suite struct SRTPPolicyTests {
    @Test func keysTravelOnlyOverTLSUnlessAllowed() {
        var p = ProfileConfig(name: "sales", transport: .udp, srtp: .optional)
        #expect(CallSDPPlan.trunkPolicy(p) == .off)          // optional over UDP falls back to RTP
        #expect(CallSDPPlan.unusable(p) == nil)
        p.srtp = .required
        #expect(CallSDPPlan.trunkPolicy(p) == .required)
        #expect(CallSDPPlan.unusable(p)?.contains("requires SRTP") == true)   // never plain, never keys in clear: refused
        p.srtpPlainSignalling = .allow
        #expect(CallSDPPlan.unusable(p) == nil)
        p = ProfileConfig(name: "eng", transport: .tls, srtp: .optional)
        #expect(CallSDPPlan.trunkPolicy(p) == .optional)
        p.srtp = .off
        #expect(CallSDPPlan.trunkPolicy(p) == .off)
    }

    @Test func freshKeysHaveTheSuitesLengthAndDiffer() {
        let a = CallSDPPlan.freshKey(.aesCM128HmacSHA1_80)
        let b = CallSDPPlan.freshKey(.aesCM128HmacSHA1_80)
        #expect(a.count == 30)
        #expect(a != b)
    }
}

@Suite struct SecondInviteTests {
    static func inbound(_ text: String, side: SIPSide) throws -> SIPInbound {
        let message = try SIPMessage(parsing: text.replacingOccurrences(of: "\n", with: "\r\n"))
        return SIPInbound(message: message, source: try SocketAddress(ipAddress: "192.168.1.10", port: 5060), transport: .udp, side: side)
    }

    static let pbxInvite = """
        INVITE sip:912025550143@192.168.1.2 SIP/2.0
        Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-pbx1
        Record-Route: <sip:192.168.1.10;lr>
        From: "Reception" <sip:201@192.168.1.10>;tag=p1
        To: <sip:912025550143@192.168.1.2>
        Call-ID: pbx-call-1@192.168.1.10
        CSeq: 1 INVITE
        Contact: <sip:201@192.168.1.10:5060>
        Max-Forwards: 70
        Content-Length: 0


        """

    static func call(_ inbound: SIPInbound, direction: CallDirection, plan: CallPlan) throws -> Call {
        let key = try SIPTransactionKey(serverRequest: inbound.message)
        let peer = SIPDestination(ip: "192.168.1.10", port: 5060, transport: .udp, side: inbound.side)
        return Call(number: 1, direction: direction, profile: plan.profile, first: CallLeg(side: inbound.side, peer: peer),
                    second: CallLeg(side: inbound.side == .lan ? .wan : .lan, peer: peer), firstInvite: inbound, firstKey: key,
                    firstTag: "box1", caller: plan.caller, called: plan.called, billing: plan.billing, start: UTCTime(secondsSince1970: 0))
    }

    static let sdp = try! SDPSession(parsing: "v=0\r\no=- 1 1 IN IP4 203.0.113.2\r\ns=-\r\nc=IN IP4 203.0.113.2\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n")

    @Test func outgoingCarriesTheSIPUserNameTheCallerIDAndNoLANTopology() throws {
        let inbound = try Self.inbound(Self.pbxInvite, side: .lan)
        let plan = CallPlan(profile: "sales", caller: "201", called: "+12025550143", requestUser: "0012025550143",
                            callerID: "+12025550100", assertIdentity: true, billing: .usBundle)
        let call = try Self.call(inbound, direction: .outgoing, plan: plan)
        let profile = ProfileConfig(name: "sales", registrar: "sip.skype.com", sipUser: "99051000012345")
        let contact = SIPNameAddress(uri: .sip(SIPURI(user: "trunkbox", host: "203.0.113.2", port: 5080)))
        let invite = CallRouting.secondInvite(plan: plan, call: call, profile: profile,
                                              destination: SIPDestination(ip: "198.51.100.1", port: 5060, transport: .udp, side: .wan),
                                              contact: contact, callID: "box-call@trunkbox", tag: "t9", sdp: Self.sdp,
                                              original: inbound.message, userAgent: "trunkbox/test", config: GatewayConfig())
        #expect(invite.requestURI?.description == "sip:0012025550143@sip.skype.com")
        let from = try #require(try invite.headers.from)
        #expect(from.uri.userOrNumber == "99051000012345")
        #expect(from.decodedDisplayName == "+12025550100")
        #expect(from.tag == "t9")
        #expect(invite.headers[.pAssertedIdentity] == "<sip:+12025550100@sip.skype.com>")
        #expect(invite.headers[.callID] == "box-call@trunkbox")
        #expect(invite.headers[.maxForwards] == "69")
        #expect(invite.headers[.sessionExpires] == "1800;refresher=uac")
        let text = String(decoding: invite.serialized(), as: UTF8.self)
        #expect(!text.contains("192.168.1."), "a LAN address leaked toward the trunk")
        #expect(!invite.headers.contains(.via) && !invite.headers.contains(.recordRoute))
    }

    @Test func outgoingWithoutCallerIDAsksForPrivacy() throws {
        let inbound = try Self.inbound(Self.pbxInvite, side: .lan)
        let plan = CallPlan(profile: "sales", caller: "201", called: "+442071234567", requestUser: "00442071234567", billing: .credit)
        let call = try Self.call(inbound, direction: .outgoing, plan: plan)
        let invite = CallRouting.secondInvite(plan: plan, call: call, profile: ProfileConfig(name: "sales", sipUser: "99051000012345"),
                                              destination: SIPDestination(ip: "198.51.100.1", port: 5060, transport: .udp, side: .wan),
                                              contact: SIPNameAddress(uri: .sip(SIPURI(host: "203.0.113.2"))), callID: "c", tag: "t",
                                              sdp: Self.sdp, original: inbound.message, userAgent: "ua", config: GatewayConfig())
        #expect(invite.headers[.privacy] == "id")
        #expect(invite.headers[.pAssertedIdentity] == nil)
        #expect(try invite.headers.from?.displayName == nil)
    }

    @Test func incomingGoesToTheExtensionAndHonoursPrivacy() throws {
        let trunkInvite = Self.pbxInvite.replacingOccurrences(of: "INVITE sip:912025550143@192.168.1.2", with: "INVITE sip:99051000012345@203.0.113.2")
        let inbound = try Self.inbound(trunkInvite, side: .wan)
        var plan = CallPlan(profile: "sales", caller: "+442071234567", called: "+12025550100", requestUser: "201",
                            onlineNumber: "+12025550100", pbxExtension: "201", billing: .free)
        plan.privacy = ["id"]
        let call = try Self.call(inbound, direction: .incoming, plan: plan)
        let contact = SIPNameAddress(uri: .sip(SIPURI(user: "trunkbox", host: "192.168.1.2", port: 5060)))
        let invite = CallRouting.secondInvite(plan: plan, call: call, profile: ProfileConfig(name: "sales"),
                                              destination: SIPDestination(ip: "192.168.1.10", port: 5060, transport: .udp, side: .lan),
                                              contact: contact, callID: "c2", tag: "t2", sdp: Self.sdp, original: inbound.message,
                                              userAgent: "ua", config: GatewayConfig())
        #expect(invite.requestURI?.description == "sip:201@192.168.1.10")
        #expect(try invite.headers.to?.uri.userOrNumber == "+12025550100")
        #expect(try invite.headers.from?.uri.userOrNumber == "anonymous")
        #expect(invite.headers[.pAssertedIdentity] == "<sip:+442071234567@192.168.1.2>")
        #expect(invite.headers[.privacy] == "id")
        plan.privacy = []
        let shown = CallRouting.secondInvite(plan: plan, call: call, profile: ProfileConfig(name: "sales"),
                                             destination: SIPDestination(ip: "192.168.1.10", port: 5070, transport: .udp, side: .lan),
                                             contact: contact, callID: "c3", tag: "t3", sdp: Self.sdp, original: inbound.message,
                                             userAgent: "ua", config: GatewayConfig())
        #expect(try shown.headers.from?.uri.userOrNumber == "+442071234567")
        #expect(shown.requestURI?.description == "sip:201@192.168.1.10:5070")
        #expect(shown.headers[.pAssertedIdentity] == nil)
    }
}

@Suite struct TranscodingPlanTests {
    static func sdp(_ lines: [String]) throws -> SDPSession { try SDPSession(parsing: lines.joined(separator: "\r\n") + "\r\n") }

    @Test func legsWithoutACommonCodecAreTranscoded() throws {
        let inbound = try SecondInviteTests.inbound(SecondInviteTests.pbxInvite, side: .lan)
        let plan = CallPlan(profile: "sales", caller: "201", called: "+12025550143", requestUser: "0012025550143", billing: .credit)
        let call = try SecondInviteTests.call(inbound, direction: .outgoing, plan: plan)
        call.legs[0].b2b = B2BLeg(connection: .ip4("192.168.1.2"), rtpPort: 30_000, sessionID: "1", srtp: .optional)
        call.legs[1].b2b = B2BLeg(connection: .ip4("203.0.113.2"), rtpPort: 30_002, sessionID: "2", srtp: .off,
                                  codecs: [.g729, .telephoneEvent], g729AnnexBOff: true)
        let pbxOffer = try Self.sdp(["v=0", "o=pbx 1 1 IN IP4 192.168.1.10", "s=-", "c=IN IP4 192.168.1.10", "t=0 0",
                                     "m=audio 4000 RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000",
                                     "a=fmtp:101 0-16"])
        let offer = try CallSDPPlan.forward(pbxOffer, from: 0, call: call)
        #expect(offer.media[0].formats == ["18", "101"])
        #expect(offer.media[0].port == 30_002)
        #expect(offer.media[0].fmtp(forPayloadType: 18)?.parameters == "annexb=no")
        let trunkAnswer = try Self.sdp(["v=0", "o=trunk 1 1 IN IP4 198.51.100.7", "s=-", "c=IN IP4 198.51.100.7", "t=0 0",
                                        "m=audio 5000 RTP/AVP 18 101", "a=rtpmap:18 G729/8000", "a=fmtp:18 annexb=no",
                                        "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16"])
        let answer = try CallSDPPlan.answer(trunkAnswer, call: call)
        #expect(answer.media[0].formats == ["0", "101"])
        #expect(answer.media[0].port == 30_000)
        #expect(answer.connection?.address == "192.168.1.2")
        let t = try #require(call.transcoding)
        #expect(t.legs[0].codec == .pcmu && t.legs[0].payloadType == 0)
        #expect(t.legs[1].codec == .g729 && t.legs[1].payloadType == 18)
        #expect(call.codec == "PCMU/G729")
        #expect(call.payloadTypes?.pairs.pairs.contains { $0.legA == 101 && $0.legB == 101 } == true)
    }

    @Test func aCommonCodecIsNeverTranscoded() throws {
        let inbound = try SecondInviteTests.inbound(SecondInviteTests.pbxInvite, side: .lan)
        let plan = CallPlan(profile: "sales", caller: "201", called: "+12025550143", requestUser: "0012025550143", billing: .credit)
        let call = try SecondInviteTests.call(inbound, direction: .outgoing, plan: plan)
        call.legs[0].b2b = B2BLeg(connection: .ip4("192.168.1.2"), rtpPort: 30_000, sessionID: "1", srtp: .optional)
        call.legs[1].b2b = B2BLeg(connection: .ip4("203.0.113.2"), rtpPort: 30_002, sessionID: "2")
        let pbxOffer = try Self.sdp(["v=0", "o=pbx 1 1 IN IP4 192.168.1.10", "s=-", "c=IN IP4 192.168.1.10", "t=0 0",
                                     "m=audio 4000 RTP/AVP 8 0", "a=rtpmap:8 PCMA/8000", "a=rtpmap:0 PCMU/8000"])
        _ = try CallSDPPlan.forward(pbxOffer, from: 0, call: call)
        let trunkAnswer = try Self.sdp(["v=0", "o=trunk 1 1 IN IP4 198.51.100.7", "s=-", "c=IN IP4 198.51.100.7", "t=0 0",
                                        "m=audio 5000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000"])
        let answer = try CallSDPPlan.answer(trunkAnswer, call: call)
        #expect(answer.media[0].formats == ["0"])
        #expect(call.transcoding == nil)
    }
}

@Suite struct CallQualityTests {
    static func leg(received: UInt64 = 5000, lost: Int64 = 0, jitter: UInt32 = 40, rtt: Double? = nil) -> MediaLegStats {
        var s = MediaLegStats()
        s.packetsReceived = received
        s.packetsSent = received
        s.packetsLost = lost
        s.jitter = jitter            // 40 units at 8 kHz: 5 ms
        s.roundTripMilliseconds = rtt
        s.roundTripMeanMilliseconds = rtt
        s.roundTripSamples = rtt == nil ? 0 : 1
        return s
    }

    @Test func withoutRoundTripsTheNominalDelayStays() {
        // 20 ms network + 2 × 5 ms jitter buffer + 20 ms packet.
        #expect(CallController.oneWayDelayMilliseconds(Self.leg()) == 50)
    }

    @Test func measuredRoundTripsOfBothLegsMakeTheOneWayDelay() {
        // Half of (120 + 280) ms across the box, + 10 ms jitter buffer + 20 ms packet.
        #expect(CallController.oneWayDelayMilliseconds(Self.leg(rtt: 120), otherLeg: Self.leg(rtt: 280)) == 230)
        // Only one leg measured: half its round trip.
        #expect(CallController.oneWayDelayMilliseconds(Self.leg(rtt: 120), otherLeg: Self.leg()) == 90)
    }

    @Test func aLongRoundTripLowersTheMOSAndTheRecordCarriesIt() throws {
        let near = try #require(CallController.mos(Self.leg(rtt: 20), codec: "PCMU", otherLeg: Self.leg(rtt: 20)))
        let far = try #require(CallController.mos(Self.leg(rtt: 600), codec: "PCMU", otherLeg: Self.leg(rtt: 400)))
        // 500 ms one way is well past G.107's 100 ms knee of Idd; 40 ms is not.
        #expect(near > 4.3 && far < 3.6 && far < near)
        #expect(far == EModel.mos(oneWayDelayMs: 500 + 10 + 20, codec: .g711PLC, packetLossPercent: 0))
        let record = try #require(CallController.callLegStats(Self.leg(rtt: 123.456), codec: "PCMU"))
        #expect(record.roundTripMilliseconds == 123.5)
        #expect(CallController.callLegStats(Self.leg(), codec: "PCMU")?.roundTripMilliseconds == nil)
    }
}
