// JitterBufferTests: the adaptive jitter buffer against arrival traces: in order, reordered, lost, duplicated, jittery, clock skew.
import Testing
@testable import MediaCore

struct JitterBufferTests {
    struct Arrival {
        var ts: UInt32
        var atMicroseconds: Int
        var marker = false
    }

    struct Run {
        var played: [UInt32] = []
        var concealed = 0
        var silence = 0
        var maxDepthAfterStart = 0
        var stats = JitterBufferStats()
        // Stats when the last packet was played.
        var statsAtLastPacket = JitterBufferStats()
    }

    /// Plays `arrivals` through a buffer pulled by a consumer moving one 10 ms period (80 samples) per
    /// 10 ms of its own clock, 1 ms steps, for `durationMs`.
    static func run(_ arrivals: [Arrival], durationMs: Int, configuration: JitterBufferConfiguration = JitterBufferConfiguration(),
                    depthFromMs: Int = 2000) -> Run {
        var jb = JitterBuffer(configuration)
        defer { jb.deallocate() }
        var r = Run()
        let sorted = arrivals.enumerated().sorted { ($0.element.atMicroseconds, $0.offset) < ($1.element.atMicroseconds, $1.offset) }.map(\.element)
        var next = 0
        var fifo = 0
        let lastTS = arrivals.map(\.ts).max() ?? 0
        for ms in 0..<durationMs {
            while next < sorted.count && sorted[next].atMicroseconds <= ms * 1000 {
                let a = sorted[next]
                var payload = [UInt8](repeating: 0, count: 160)
                payload[0] = UInt8(a.ts >> 24); payload[1] = UInt8(a.ts >> 16 & 0xFF)
                payload[2] = UInt8(a.ts >> 8 & 0xFF); payload[3] = UInt8(a.ts & 0xFF)
                _ = payload.withUnsafeBytes {
                    jb.insert(timestamp: a.ts, marker: a.marker, samples: 160, payload: $0, arrival: UInt32(a.atMicroseconds * 8 / 1000))
                }
                next += 1
            }
            guard ms % 10 == 0 else { continue }
            while fifo < 80 {
                switch jb.next(upTo: 80 - fifo) {
                case .packet(let slot, let samples):
                    let p = jb.payload(ofSlot: slot)
                    let ts = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
                    r.played.append(ts)
                    if ts == lastTS { r.statsAtLastPacket = jb.stats }
                    fifo += samples
                case .conceal(let k):
                    r.concealed += k
                    fifo += k
                case .silence(let k):
                    r.silence += k
                    fifo += k
                }
            }
            fifo -= 80
            if ms >= depthFromMs { r.maxDepthAfterStart = max(r.maxDepthAfterStart, jb.stats.depthSamples) }
        }
        r.stats = jb.stats
        return r
    }

    static func steady(_ n: Int, intervalMicroseconds: Int = 20_000) -> [Arrival] {
        (0..<n).map { Arrival(ts: UInt32($0 * 160), atMicroseconds: $0 * intervalMicroseconds, marker: $0 == 0) }
    }

    @Test func inOrderPlaysEverythingAtTheMinimumDelay() {
        let r = Self.run(Self.steady(100), durationMs: 2200)
        #expect(r.played == (0..<100).map { UInt32($0 * 160) })
        #expect(r.statsAtLastPacket.concealedSamples == 0)
        #expect(r.stats.late == 0 && r.stats.duplicates == 0 && r.stats.skewDrops == 0)
        #expect(r.stats.targetSamples == 160, "no jitter: 20 ms target")
        #expect(r.stats.talkSpurts == 1)
        #expect(r.stats.underruns == 1, "the stream's end: concealed 60 ms, then stopped")
    }

    @Test func reorderedPacketsComeOutInOrder() {
        // Every even packet arrives 25 ms late, after its successor.
        var trace = Self.steady(100)
        for i in stride(from: 2, to: 100, by: 2) { trace[i].atMicroseconds += 25_000 }
        let r = Self.run(trace, durationMs: 2500)
        #expect(r.played == r.played.sorted(), "played in timestamp order")
        #expect(r.played.count >= 97, "played \(r.played.count)")
        #expect(r.stats.late <= 3)
        #expect(r.stats.targetSamples > 160, "jitter raised the target: \(r.stats.targetSamples)")
    }

    @Test func lostPacketsAreConcealed() {
        let trace = Self.steady(100).filter { ![10, 11, 50].contains($0.ts / 160) }
        let r = Self.run(trace, durationMs: 2200)
        #expect(r.played.count == 97)
        #expect(r.played == r.played.sorted())
        let c = Int(r.statsAtLastPacket.concealedSamples)
        #expect(c >= 3 * 160 && c <= 3 * 160 + 160, "concealed \(c) samples for three lost packets")
        #expect(r.stats.late == 0)
    }

    @Test func duplicatesAreDropped() {
        let trace = Self.steady(100).flatMap { [$0, Arrival(ts: $0.ts, atMicroseconds: $0.atMicroseconds + 3_000)] }
        let r = Self.run(trace, durationMs: 2200)
        #expect(r.played == (0..<100).map { UInt32($0 * 160) })
        // A copy arriving after its original was played counts as late, not duplicate.
        #expect(r.stats.duplicates + r.stats.late == 100)
        #expect(r.stats.late <= 1)
    }

    @Test func jitteryNetworkRaisesTheTargetAndKeepsLossLow() {
        var rng = SeededGenerator(seed: 8)
        let n = 1000
        let trace = (0..<n).map { i in
            Arrival(ts: UInt32(i * 160), atMicroseconds: i * 20_000 + Int.random(in: 0...60_000, using: &rng), marker: i == 0)
        }
        let r = Self.run(trace, durationMs: n * 20 + 400)
        let missing = n - r.played.count
        #expect(r.played == r.played.sorted())
        #expect(r.stats.jitterSamples > 80, "jitter \(r.stats.jitterSamples) samples")
        #expect(r.stats.targetSamples > 160 && r.stats.targetSamples <= 1600)
        #expect(missing * 100 <= 5 * n, "\(missing) of \(n) packets not played (late \(r.stats.late))")
    }

    @Test func targetStaysWithinBounds() {
        var rng = SeededGenerator(seed: 9)
        let trace = (0..<500).map { i in Arrival(ts: UInt32(i * 160), atMicroseconds: i * 20_000 + Int.random(in: 0...600_000, using: &rng)) }
        let r = Self.run(trace, durationMs: 11_000)
        #expect(r.stats.targetSamples == 1600, "capped at 200 ms")
        let calm = Self.run(Self.steady(50), durationMs: 1200,
                            configuration: { var c = JitterBufferConfiguration(); c.minimumMilliseconds = 40; return c }())
        #expect(calm.stats.targetSamples == 320, "floor of 40 ms")
    }

    @Test func fastSenderClockIsHeldAtTargetBySkewDrops() {
        // The sender's clock runs 1% fast: 3000 packets in 59.4 s.
        let r = Self.run(Self.steady(3000, intervalMicroseconds: 19_800), durationMs: 60_000)
        #expect(r.stats.skewDrops >= 20, "skew drops \(r.stats.skewDrops)")
        #expect(r.maxDepthAfterStart <= r.stats.targetSamples + 3 * 160, "depth \(r.maxDepthAfterStart) stays near target")
        #expect(r.played.count >= 3000 - Int(r.stats.skewDrops))
    }

    @Test func slowSenderClockStretchesInsteadOfLosing() {
        // The sender's clock runs 1% slow: the buffer drains; playout waits rather than dropping packets.
        let r = Self.run(Self.steady(3000, intervalMicroseconds: 20_200), durationMs: 61_000)
        #expect(r.played.count == 3000, "played \(r.played.count); late \(r.stats.late)")
        #expect(r.stats.late == 0)
        #expect(r.statsAtLastPacket.concealedSamples > 0, "the waits were concealed")
        #expect(r.statsAtLastPacket.concealedSamples <= 3000 * 160 / 100 + 800)
    }

    @Test func talkSpurtReanchorsAfterSilence() {
        // Two spurts with 1 s of silence between (DTX): the second starts with a marker bit.
        let first = (0..<50).map { Arrival(ts: UInt32($0 * 160), atMicroseconds: $0 * 20_000, marker: $0 == 0) }
        let second = (0..<50).map { Arrival(ts: UInt32((100 + $0) * 160), atMicroseconds: (100 + $0) * 20_000 + 7_000, marker: $0 == 0) }
        let r = Self.run(first + second, durationMs: 3200)
        #expect(r.played.count == 100)
        #expect(r.stats.talkSpurts == 2)
        #expect(r.stats.late == 0)
    }
}
