// RTCPIntervalTests: the A.7 report interval: 5 s minimum (halved at first), randomised by 0.5...1.5 and compensated by e − 3/2 (RFC 3550 §6.2, §6.3, A.7).
import Testing
@testable import MediaCore

@Suite struct RTCPIntervalTests {
    @Test func aTwoPartyCallReportsAroundTheFiveSecondMinimum() {
        // 64 kbit/s of G.711 plus headers is ~10,600 octets/s each way; RTCP gets 5 %: 530 octets/s.
        func t(_ r: Double, initial: Bool = false) -> Double {
            RTCPInterval.seconds(members: 2, senders: 2, bandwidth: 530, weSent: true, averageSize: 120, initial: initial, random: r)
        }
        let c = 2.71828 - 1.5
        #expect(abs(t(0.5) - 5 / c) < 1e-12, "centre: 5 s / (e − 1.5) = 4.10 s")
        #expect(abs(t(0) - 2.5 / c) < 1e-12 && abs(t(1) - 7.5 / c) < 1e-12, "0.5 to 1.5 times")
        #expect(abs(t(0.5, initial: true) - 2.5 / c) < 1e-12, "first report: half the minimum")
    }

    @Test func largeSessionsScaleWithMembersAndSendersShareAQuarter() {
        let c = 2.71828 - 1.5
        // 100 members, 10 senders (≤ 25 %): a sender divides 1/4 of the bandwidth among the 10 senders.
        let sender = RTCPInterval.seconds(members: 100, senders: 10, bandwidth: 100, weSent: true, averageSize: 200, initial: false, random: 0.5)
        #expect(abs(sender - (200.0 * 10 / 25) / c) < 1e-9)
        // A receiver divides 3/4 among the 90 receivers.
        let receiver = RTCPInterval.seconds(members: 100, senders: 10, bandwidth: 100, weSent: false, averageSize: 200, initial: false, random: 0.5)
        #expect(abs(receiver - (200.0 * 90 / 75) / c) < 1e-9)
        // More than a quarter sending: everybody shares the whole bandwidth.
        let all = RTCPInterval.seconds(members: 100, senders: 60, bandwidth: 100, weSent: true, averageSize: 200, initial: false, random: 0.5)
        #expect(abs(all - (200.0 * 100 / 100) / c) < 1e-9)
    }

    @Test func degenerateInputsStillGiveTheMinimum() {
        let c = 2.71828 - 1.5
        #expect(RTCPInterval.seconds(members: 0, senders: 0, bandwidth: 0, weSent: false, averageSize: 0, initial: false, random: 0.5) == 5 / c)
        #expect(RTCPInterval.seconds(members: 2, senders: 1, bandwidth: .nan, weSent: true, averageSize: 100, initial: false, random: .nan) == 5 / c)
        #expect(RTCPInterval.seconds(members: 2, senders: 2, bandwidth: 500, weSent: true, averageSize: 100, initial: false, random: 7) == 7.5 / c)
    }

    @Test func averageSizeMovesASixteenthOfTheWay() {
        #expect(RTCPInterval.updatedAverageSize(100, packetSize: 260) == 110)
        var avg = 0.0
        for _ in 0..<400 { avg = RTCPInterval.updatedAverageSize(avg, packetSize: 96) }
        #expect(abs(avg - 96) < 1e-6)
    }
}
