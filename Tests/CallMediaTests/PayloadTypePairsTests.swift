// PayloadTypePairsTests: payload type translation between the PBX leg and the trunk leg.

import Testing
import SIPCore
@testable import CallMedia

@Suite("Payload type pairs")
struct PayloadTypePairsTests {
    typealias F = CallMediaFixtures

    @Test func telephoneEventIsRenumbered() throws {
        let offer = try F.parse(F.pbxOffer)
        let forwarded = try B2BOffer(forwarding: offer, to: F.trunkLeg, keys: F.keys)
        let trunkAnswer = try F.parse(F.trunkAnswer)
        let answer = try B2BAnswer(answering: offer, with: trunkAnswer, forwarded: forwarded, on: F.pbxLeg, keys: F.keys)
        let map = try PayloadTypePairs(legA: answer.session, legB: trunkAnswer)
        #expect(map.pairs.map { [$0.legA, $0.legB] } == [[18, 18], [101, 96]])
        #expect(map.legB(forLegA: 101) == 96)
        #expect(map.legA(forLegB: 96) == 101)
        #expect(map.legB(forLegA: 0) == nil)
        #expect(!map.isIdentity)
        #expect(map.entries[1].codec.isTelephoneEvent)
    }

    @Test func staticTypesCaseAndClockRate() throws {
        let a = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                    "m=audio 5000 RTP/AVP 0 8 97 98 13",
                                    "a=rtpmap:97 telephone-event/16000", "a=rtpmap:98 telephone-event/8000"))
        let b = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.2", "s=-", "c=IN IP4 10.0.0.2", "t=0 0",
                                    "m=audio 6000 RTP/AVP 8 0 100",
                                    "a=rtpmap:8 pcma/8000", "a=rtpmap:0 PCMU/8000", "a=rtpmap:100 TELEPHONE-EVENT/8000"))
        let map = try PayloadTypePairs(legA: a, legB: b)
        // 97 (16 kHz events) and CN (absent on B) have no partner.
        #expect(map.pairs.map { [$0.legA, $0.legB] } == [[0, 0], [8, 8], [98, 100]])
        #expect(map.legA(forLegB: 100) == 98)
    }

    @Test func identicalLegsAreIdentity() throws {
        let s = try F.parse(F.pbxOffer)
        let map = try PayloadTypePairs(legA: s, legB: s)
        #expect(map.isIdentity)
        #expect(map.entries.count == 4)
        let none = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                       "m=video 5000 RTP/AVP 96"))
        #expect(throws: CallMediaError.noAudioStream) { try PayloadTypePairs(legA: none, legB: s) }
    }
}
