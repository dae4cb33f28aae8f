// B2BAnswerTests: the answer the box sends back: m= lines as offered, payload types mapped back, SDES answer.

import Testing
import SIPCore
@testable import CallMedia

@Suite("B2BUA answer")
struct B2BAnswerTests {
    typealias F = CallMediaFixtures

    // PBX -> box -> Skype Connect, and the trunk's answer back to the PBX.
    func outbound(_ pbxOfferText: String = F.pbxOffer, trunkAnswerText: String = F.trunkAnswer,
                  pbxLeg: B2BLeg = F.pbxLeg) throws -> (offer: SDPSession, forwarded: B2BOffer, answer: B2BAnswer) {
        let offer = try F.parse(pbxOfferText)
        let forwarded = try B2BOffer(forwarding: offer, to: F.trunkLeg, keys: F.keys)
        let answer = try B2BAnswer(answering: offer, with: F.parse(trunkAnswerText), forwarded: forwarded,
                                   on: pbxLeg, keys: F.keys)
        return (offer, forwarded, answer)
    }

    @Test func trunkAnswerIsMappedBackToPBXPayloadTypes() throws {
        let (_, forwarded, answer) = try outbound()
        #expect(answer.session.serialized == sdpText(
            "v=0",
            "o=trunkbox 5001 1 IN IP4 192.168.1.2",
            "s=trunkbox",
            "c=IN IP4 192.168.1.2",
            "t=0 0",
            "m=audio 20000 RTP/AVP 18 101",
            "a=rtpmap:18 G729/8000",
            "a=fmtp:18 annexb=no",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-15",
            "a=ptime:20",
            "a=sendrecv"
        ))
        // The PBX offered plain RTP: no key toward it; the trunk chose the box's tag 1 key.
        #expect(answer.localKey == nil)
        #expect(answer.peerKey == nil)
        #expect(answer.forwardedOfferKey == forwarded.localKey(tag: 1))
        #expect(answer.anchoredIndex == 0)
    }

    @Test func answerHasOneMediaLinePerOfferedLine() throws {
        // The Yealink offered audio + video over SRTP; the box forwarded audio + rejected video.
        let trunkAnswer = F.trunkAnswer + "m=video 0 RTP/AVP 99\r\n"
        var pbxLeg = F.pbxLeg
        pbxLeg.srtp = .optional
        let (offer, _, answer) = try outbound(F.pbxOfferWithExtras, trunkAnswerText: trunkAnswer, pbxLeg: pbxLeg)
        #expect(answer.session.media.count == offer.media.count)
        #expect(answer.session.media.map(\.mediaType) == ["audio", "video"])
        let video = answer.session.media[1]
        #expect(video.port == 0)
        #expect(video.proto == "RTP/SAVP")
        #expect(video.formats == ["99"])
        let audio = answer.session.media[0]
        #expect(audio.port == 20000)
        #expect(audio.proto == "RTP/SAVP")
        #expect(audio.formats == ["18", "101"])
        // The PBX's G.729 was offered annexb=yes, but the trunk runs without Annex B: the answer says so.
        #expect(audio.fmtp(forPayloadType: 18)?.parameters == "annexb=no")
    }

    @Test func srtpAnswerChoosesFirstSupportedSuiteWithItsTag() throws {
        // Inbound: Skype Connect offers tags 1 (_80) and 2 (_32); this box supports only _32 toward the trunk.
        let trunkOffer = try F.parse(F.trunkOffer)
        var trunkLeg = F.trunkLeg
        trunkLeg.cryptoSuites = [.aesCM128HmacSHA1_32]
        let forwarded = try B2BOffer(forwarding: trunkOffer, to: F.pbxLeg, keys: F.keys)
        let answer = try B2BAnswer(answering: trunkOffer, with: F.parse(F.pbxAnswer), forwarded: forwarded,
                                   on: trunkLeg, keys: F.keys)
        let audio = answer.session.media[0]
        #expect(audio.proto == "RTP/SAVP")
        #expect(audio.cryptos.count == 1)
        #expect(audio.cryptos.first?.tag == 2)
        #expect(audio.cryptos.first?.suite == .aesCM128HmacSHA1_32)
        #expect(audio.cryptos.first?.keySalt == Array(repeating: 0x22, count: 30))
        #expect(answer.localKey == SRTPKey(tag: 2, suite: .aesCM128HmacSHA1_32, keySalt: Array(repeating: 0x22, count: 30)))
        #expect(answer.peerKey == SRTPKey(tag: 2, suite: .aesCM128HmacSHA1_32, keySalt: Array(100..<130)))
        #expect(answer.forwardedOfferKey == nil)
        // The PBX answered 18 and telephone-event 101; the trunk gets its own numbers 18 and 96.
        #expect(audio.formats == ["18", "96"])
        #expect(audio.rtpMap(forPayloadType: 96)?.isTelephoneEvent == true)
        #expect(audio.fmtp(forPayloadType: 96)?.parameters == "0-16")
        #expect(audio.fmtp(forPayloadType: 18)?.parameters == "annexb=no")
        #expect(answer.session.connection == .ip4("198.51.100.2"))
        #expect(audio.port == 40000)
        #expect(!answer.session.serialized.contains("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"))

        // With both suites supported, the first offered line (tag 1, _80) wins.
        let both = try B2BAnswer(answering: trunkOffer, with: F.parse(F.pbxAnswer), forwarded: forwarded,
                                 on: F.trunkLeg, keys: F.keys)
        #expect(both.session.media[0].cryptos.map(\.tag) == [1])
        #expect(both.peerKey?.keySalt == Array(0..<30))
    }

    @Test func srtpOfferWithoutSupportedSuiteIs488() throws {
        let trunkOffer = try F.parse(F.trunkOffer)
        var leg = F.trunkLeg
        leg.cryptoSuites = [.aeadAES128GCM]
        #expect(throws: CallMediaError.noSupportedCryptoSuite) { try B2BAnswer.checkOffer(trunkOffer, on: leg) }
        let forwarded = try B2BOffer(forwarding: trunkOffer, to: F.pbxLeg, keys: F.keys)
        #expect(throws: CallMediaError.noSupportedCryptoSuite) {
            try B2BAnswer(answering: trunkOffer, with: F.parse(F.pbxAnswer), forwarded: forwarded, on: leg, keys: F.keys)
        }
        leg = F.trunkLeg
        leg.srtp = .off
        #expect(throws: CallMediaError.noSupportedCryptoSuite) { try B2BAnswer.checkOffer(trunkOffer, on: leg) }
        #expect(CallMediaError.noSupportedCryptoSuite.responseCode == 488)
    }

    @Test func plainOfferOnRequiredLegIs488() throws {
        var leg = F.trunkLeg
        leg.srtp = .required
        #expect(throws: CallMediaError.srtpRequired) { try B2BAnswer.checkOffer(F.parse(F.pbxOffer), on: leg) }
        #expect(try B2BAnswer.checkOffer(F.parse(F.pbxOffer), on: F.pbxLeg) == 0)
    }

    @Test func farEndRejectingAudioIs488() throws {
        var rejected = try F.parse(F.trunkAnswer)
        rejected.media[0] = SDPOfferAnswer.rejectedMedia(for: rejected.media[0])
        #expect(throws: CallMediaError.audioRejectedByFarEnd) {
            try outbound(trunkAnswerText: rejected.serialized)
        }
        // An answer that lists no codec of the offer.
        var foreign = try F.parse(F.trunkAnswer)
        foreign.media[0].formats = ["9", "96"]
        #expect(throws: CallMediaError.noCommonCodec) {
            try outbound(trunkAnswerText: foreign.serialized)
        }
    }

    @Test func answerDirectionAndNullAddressAreCarried() throws {
        var held = try F.parse(F.trunkAnswer)
        held.media[0].direction = .recvonly
        let (_, _, answer) = try outbound(trunkAnswerText: held.serialized)
        #expect(answer.session.media[0].direction == .recvonly)

        var nullHold = try F.parse(F.trunkAnswer)
        nullHold.connection = .ip4("0.0.0.0")
        let (_, _, old) = try outbound(trunkAnswerText: nullHold.serialized)
        #expect(old.session.connection == .ip4("0.0.0.0"))
        #expect(old.session.isOnHold)
    }

    @Test func answerWithoutRtpmapUsesTheForwardedOffersMapping() throws {
        // The trunk answers with the box's numbers and no rtpmap lines (RFC 3264 allows relying on the offer).
        let bare = sdpText("v=0", "o=- 1 1 IN IP4 203.0.113.50", "s=-", "c=IN IP4 203.0.113.50", "t=0 0",
                           "m=audio 30000 RTP/AVP 8 101")
        let (_, _, answer) = try outbound(trunkAnswerText: bare)
        #expect(answer.session.media[0].formats == ["8", "101"])
        #expect(answer.session.media[0].rtpMap(forPayloadType: 101)?.isTelephoneEvent == true)
    }

    @Test func reanswerKeepsVersionAndKeyWhenUnchanged() throws {
        let trunkOffer = try F.parse(F.trunkOffer)
        let forwarded = try B2BOffer(forwarding: trunkOffer, to: F.pbxLeg, keys: F.keys)
        let first = try B2BAnswer(answering: trunkOffer, with: F.parse(F.pbxAnswer), forwarded: forwarded,
                                  on: F.trunkLeg, keys: F.keys)
        let second = try B2BAnswer(answering: trunkOffer, with: F.parse(F.pbxAnswer), forwarded: forwarded,
                                   on: F.trunkLeg, previous: first.session) { _ in Array(repeating: 0x99, count: 30) }
        #expect(second.session == first.session)
        #expect(second.session.origin.sessionVersion == 1)

        var held = try F.parse(F.pbxAnswer)
        held.media[0].direction = .sendonly
        let third = try B2BAnswer(answering: trunkOffer, with: held, forwarded: forwarded, on: F.trunkLeg,
                                  previous: second.session, keys: F.keys)
        #expect(third.session.origin.sessionVersion == 2)
        #expect(third.localKey == first.localKey)
    }

    @Test func mismatchedForwardedOfferIsRefused() throws {
        let pbxOffer = try F.parse(F.pbxOffer)
        let otherForwarded = try B2BOffer(forwarding: F.parse(F.pbxOfferWithExtras), to: F.trunkLeg, keys: F.keys)
        #expect(throws: CallMediaError.self) {
            try B2BAnswer(answering: pbxOffer, with: F.parse(F.trunkAnswer), forwarded: otherForwarded,
                          on: F.pbxLeg, keys: F.keys)
        }
    }

    @Test func producedAnswersRoundTrip() throws {
        let (_, _, answer) = try outbound()
        #expect(try SDPSession(parsing: answer.session.serialized) == answer.session)
        let trunkOffer = try F.parse(F.trunkOffer)
        let forwarded = try B2BOffer(forwarding: trunkOffer, to: F.pbxLeg, keys: F.keys)
        let inbound = try B2BAnswer(answering: trunkOffer, with: F.parse(F.pbxAnswer), forwarded: forwarded,
                                    on: F.trunkLeg, keys: F.keys)
        #expect(try SDPSession(parsing: inbound.session.serialized) == inbound.session)
    }
}
