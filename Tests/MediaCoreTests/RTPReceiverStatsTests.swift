// RTPReceiverStatsTests: sequence validation, loss accounting and interarrival jitter (RFC 3550 A.1, A.3, A.8).
import Testing
@testable import MediaCore

@Suite struct RTPReceiverStatsTests {
    /// Feeds sequences with 20 ms of G.711 (160 timestamp units) per packet and a constant transit.
    @discardableResult
    static func feed(_ s: inout RTPReceiverStats, _ seqs: [UInt16]) -> [Bool] {
        seqs.map { seq in s.update(sequence: seq, rtpTimestamp: UInt32(seq) &* 160, arrival: UInt32(seq) &* 160 &+ 5000) }
    }

    @Test func newSourceIsOnProbationForOnePacket() {
        var s = RTPReceiverStats(clockRate: 8000)
        let r1 = s.update(sequence: 100, rtpTimestamp: 0, arrival: 0)
        #expect(r1 == false, "MIN_SEQUENTIAL = 2: the first is not counted")
        #expect(!s.isValid)
        let r2 = s.update(sequence: 101, rtpTimestamp: 160, arrival: 160)
        #expect(r2 == true)
        #expect(s.isValid && s.received == 1 && s.expected == 1 && s.cumulativeLost == 0)
        #expect(s.extendedHighestSequence == 101)
    }

    @Test func outOfOrderPacketDuringProbationRestartsIt() {
        var s = RTPReceiverStats(clockRate: 8000)
        #expect(Self.feed(&s, [100, 102, 104, 105]) == [false, false, false, true])
        #expect(s.received == 1 && s.extendedHighestSequence == 105)
    }

    @Test func lossIsExpectedMinusReceivedAndFractionIsPerInterval() {
        var s = RTPReceiverStats(clockRate: 8000)
        // 0...99 minus ten packets in the middle. Counting starts at 1 (0 was on probation).
        let missing: Set<UInt16> = [10, 11, 12, 30, 40, 50, 60, 61, 70, 80]
        Self.feed(&s, (0...99).filter { !missing.contains($0) })
        #expect(s.expected == 99 && s.received == 89 && s.cumulativeLost == 10)
        let first = s.reportBlockFields()
        #expect(first.fractionLost == UInt8((10 * 256) / 99), "10/99 in 1/256: 25")
        #expect(first.fractionLost == 25)
        #expect(first.cumulativeLost == 10 && first.extendedHighestSequence == 99)
        // Next interval: no loss; cumulative unchanged, fraction back to 0.
        Self.feed(&s, Array(100...149))
        let second = s.reportBlockFields()
        #expect(second.fractionLost == 0 && second.cumulativeLost == 10 && second.extendedHighestSequence == 149)
        // An interval with half lost: 150...169 sends only the even ones (10 of 20, the highest 168 → 19 expected).
        Self.feed(&s, (150...169).filter { $0 % 2 == 0 })
        let third = s.reportBlockFields()
        #expect(third.fractionLost == UInt8((9 * 256) / 19), "9 lost of 19 expected (151...169 odd up to 167)")
        #expect(third.cumulativeLost == 19)
        // An empty interval reports fraction 0.
        let r3 = s.reportBlockFields()
        #expect(r3.fractionLost == 0)
    }

    @Test func duplicatesCountAsReceivedSoLossCanGoNegative() {
        var s = RTPReceiverStats(clockRate: 8000)
        Self.feed(&s, [1, 2, 3, 3, 3, 4])
        #expect(s.expected == 3 && s.received == 5 && s.cumulativeLost == -2)
        let r4 = s.reportBlockFields()
        #expect(r4.fractionLost == 0, "negative interval loss reports 0")
    }

    @Test func sequenceWrapAddsACycle() {
        var s = RTPReceiverStats(clockRate: 8000)
        let seqs: [UInt16] = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5]
        #expect(Self.feed(&s, seqs).dropFirst().allSatisfy { $0 })
        #expect(s.extendedHighestSequence == 65536 + 5)
        #expect(s.expected == 11 && s.received == 11 && s.cumulativeLost == 0)
        // A packet from just before the wrap arriving late is reordering, not a new cycle.
        let r5 = s.update(sequence: 65534, rtpTimestamp: 0, arrival: 0)
        #expect(r5)
        #expect(s.extendedHighestSequence == 65536 + 5)
    }

    @Test func largeJumpIsConfirmedByTheNextPacketAndRestartsTheStatistics() {
        var s = RTPReceiverStats(clockRate: 8000)
        Self.feed(&s, Array(1000...1010))
        #expect(s.received == 10)
        let r6 = s.update(sequence: 30000, rtpTimestamp: 0, arrival: 0)
        #expect(r6 == false, "unconfirmed jump")
        #expect(s.received == 10 && s.extendedHighestSequence == 1010)
        let r7 = s.update(sequence: 30001, rtpTimestamp: 160, arrival: 160)
        #expect(r7 == true, "confirmed: restart")
        #expect(s.received == 1 && s.expected == 1 && s.extendedHighestSequence == 30001)
    }

    @Test func unconfirmedJumpFollowedByTheOldSequenceIsIgnored() {
        var s = RTPReceiverStats(clockRate: 8000)
        Self.feed(&s, Array(1000...1010))
        let r8 = s.update(sequence: 40000, rtpTimestamp: 0, arrival: 0)
        #expect(!r8)
        let r9 = s.update(sequence: 1011, rtpTimestamp: 0, arrival: 0)
        #expect(r9)
        #expect(s.received == 11 && s.extendedHighestSequence == 1011)
    }

    @Test func dropoutAndMisorderLimitsAreTheRFCConstants() {
        func stats() -> RTPReceiverStats {
            var s = RTPReceiverStats(clockRate: 8000)
            Self.feed(&s, [999, 1000])
            return s
        }
        var s = stats()
        let r10 = s.update(sequence: 1000 + 2999, rtpTimestamp: 0, arrival: 0)
        #expect(r10, "gap below MAX_DROPOUT 3000 is in order")
        #expect(s.cumulativeLost == 2998)
        s = stats()
        let r11 = s.update(sequence: 1000 + 3000, rtpTimestamp: 0, arrival: 0)
        #expect(!r11, "gap of MAX_DROPOUT is a jump")
        s = stats()
        let r12 = s.update(sequence: 1000 - 99, rtpTimestamp: 0, arrival: 0)
        #expect(r12, "99 behind is reordering")
        s = stats()
        let r13 = s.update(sequence: 1000 - 100, rtpTimestamp: 0, arrival: 0)
        #expect(!r13, "MAX_MISORDER 100 behind is a jump")
    }

    @Test func constantTransitGivesZeroJitter() {
        var s = RTPReceiverStats(clockRate: 8000)
        for i in 0..<500 {
            s.update(sequence: UInt16(i), rtpTimestamp: 0xFFFF_0000 &+ UInt32(i) * 160, arrival: 77 &+ UInt32(i) * 160)
        }
        #expect(s.jitter == 0 && s.jitterMilliseconds == 0)
    }

    @Test func alternatingTransitConvergesToTheAnalyticValue() {
        // Transit alternates between T and T + D, so |D(i-1, i)| = D for every pair. The real-valued
        // estimator J += (|D| − J)/16 started at 0 gives J_k = D·(1 − (15/16)^k) after k differences.
        let d = 80.0   // 10 ms at 8 kHz
        var s = RTPReceiverStats(clockRate: 8000)
        var differences = 0
        for i in 0..<400 {
            let transit: UInt32 = 1000 + (i % 2 == 0 ? 0 : 80)
            let ts = UInt32(i) * 160
            if s.update(sequence: UInt16(i), rtpTimestamp: ts, arrival: ts &+ transit), i > 1 { differences += 1 }
            if [10, 30, 60, 398].contains(i) {
                let analytic = d * (1 - pow15over16(differences))
                #expect(abs(Double(s.jitter) - analytic) <= 1.5, "after \(differences) differences: \(s.jitter) vs \(analytic)")
            }
        }
        #expect(s.jitter == 79 || s.jitter == 80, "converged to D")
        #expect(abs(s.jitterMilliseconds - 10) < 0.2)
    }

    private func pow15over16(_ k: Int) -> Double {
        var r = 1.0
        for _ in 0..<k { r *= 15.0 / 16.0 }
        return r
    }

    @Test func jitterTracksAFloatingPointReferenceOnRandomDelay() {
        var g = SeededGenerator(seed: 42)
        var s = RTPReceiverStats(clockRate: 8000)
        var reference = 0.0
        var previousTransit: Double?
        for i in 0..<2000 {
            let ts = UInt32(i) * 160
            let delay = UInt32.random(in: 0...400, using: &g)   // up to 50 ms of delay variation
            let counted = s.update(sequence: UInt16(i), rtpTimestamp: ts, arrival: ts &+ 10_000 &+ delay)
            guard counted else { continue }
            let transit = Double(10_000 + delay)
            if let p = previousTransit { reference += (abs(transit - p) - reference) / 16 }
            previousTransit = transit
        }
        #expect(abs(Double(s.jitter) - reference) <= 2, "\(s.jitter) vs \(reference)")
        // Uniform delay on 0...400: E|X − Y| = 400/3 ≈ 133.
        #expect(reference > 100 && reference < 170)
    }

    @Test func jitterHandlesTimestampAndArrivalWrap() {
        var s = RTPReceiverStats(clockRate: 8000)
        for i in 0..<100 {
            let ts = UInt32.max - 5000 &+ UInt32(i) * 160
            let arrival = UInt32.max - 100 &+ UInt32(i) * 160 &+ (i % 2 == 0 ? 0 : 16)
            s.update(sequence: UInt16(65500) &+ UInt16(i), rtpTimestamp: ts, arrival: arrival)
        }
        #expect(s.jitter > 10 && s.jitter <= 16, "wrap does not produce a huge D: \(s.jitter)")
    }

    @Test func reportedCumulativeLossIsClampedTo24Bits() {
        var s = RTPReceiverStats(clockRate: 8000)
        Self.feed(&s, [0, 1])
        // Walk forward in gaps under MAX_DROPOUT, receiving one packet per 2,999: loss grows past 2^23.
        var seq: UInt16 = 1
        for _ in 0..<3000 {
            seq &+= 2999
            s.update(sequence: seq, rtpTimestamp: 0, arrival: 0)
        }
        #expect(s.cumulativeLost > 0x7F_FFFF)
        let r14 = s.reportBlockFields()
        #expect(r14.cumulativeLost == 0x7F_FFFF)
    }
}
