// SIPTimerWheelTests: the hashed timing wheel fires each timer once, never early, in due order, across rounds and gaps.
import Testing
@testable import SIPTransaction

@Suite("Timer wheel")
struct SIPTimerWheelTests {
    /// Advances one tick at a time up to `end`, recording the tick each token came out at.
    func run(_ wheel: inout SIPTimerWheel<Int>, from: Int64, to end: Int64) -> [Int: Int64] {
        var fired: [Int: Int64] = [:]
        var out: [Int] = []
        var t = from
        while t < end {
            t += 1
            out.removeAll()
            wheel.advance(to: t, into: &out)
            for token in out {
                #expect(fired[token] == nil, "token \(token) fired twice")
                fired[token] = t
            }
        }
        return fired
    }

    @Test func durationsRoundUpToWholeTicks() {
        let wheel = SIPTimerWheel<Int>(tick: .milliseconds(10))
        #expect(wheel.ticks(for: .milliseconds(500)) == 50)
        #expect(wheel.ticks(for: .milliseconds(501)) == 51)
        #expect(wheel.ticks(for: .microseconds(1)) == 1)
        #expect(wheel.ticks(for: .zero) == 1)
        #expect(wheel.ticks(for: .seconds(32)) == 3200)
    }

    @Test func eachTimerFiresOnceAtItsDueTick() {
        var wheel = SIPTimerWheel<Int>(tick: .milliseconds(10), slotCount: 64)
        // 50 ms, 500 ms (several rounds of a 64-slot wheel), 32 s, and two at the same tick.
        wheel.schedule(1, after: .milliseconds(50), now: 0)
        wheel.schedule(2, after: .milliseconds(500), now: 0)
        wheel.schedule(3, after: .seconds(32), now: 0)
        wheel.schedule(4, after: .milliseconds(50), now: 0)
        wheel.schedule(5, after: .milliseconds(15), now: 3)
        #expect(wheel.count == 5)
        let fired = run(&wheel, from: 0, to: 4000)
        #expect(fired == [1: 5, 4: 5, 2: 50, 3: 3200, 5: 5])
        #expect(wheel.count == 0)
    }

    @Test func sameTickTokensComeOutInStartOrder() {
        var wheel = SIPTimerWheel<Int>(slotCount: 16)
        for token in 0..<100 { wheel.schedule(token, after: .milliseconds(30), now: 0) }
        var out: [Int] = []
        wheel.advance(to: 2, into: &out)
        #expect(out.isEmpty)
        wheel.advance(to: 3, into: &out)
        #expect(out == Array(0..<100))
    }

    @Test func aLongGapHandsOutEverythingDueInOrderAndKeepsTheRest() {
        var wheel = SIPTimerWheel<Int>(tick: .milliseconds(10), slotCount: 16)
        wheel.schedule(30, after: .milliseconds(300), now: 0)
        wheel.schedule(10, after: .milliseconds(100), now: 0)
        wheel.schedule(20, after: .milliseconds(200), now: 0)
        wheel.schedule(90, after: .milliseconds(900), now: 0)
        var out: [Int] = []
        wheel.advance(to: 50, into: &out)       // 50 ticks > 16 slots: the one-pass path
        #expect(out == [10, 20, 30])
        #expect(wheel.count == 1)
        out.removeAll()
        wheel.advance(to: 89, into: &out)
        #expect(out.isEmpty)
        wheel.advance(to: 90, into: &out)
        #expect(out == [90])
    }

    @Test func startingAfterAnIdleSpellCountsFromNow() {
        var wheel = SIPTimerWheel<Int>(slotCount: 16)
        var out: [Int] = []
        wheel.advance(to: 1_000_000, into: &out)
        wheel.schedule(7, after: .milliseconds(20), now: 1_000_500)
        wheel.advance(to: 1_000_501, into: &out)
        #expect(out.isEmpty)
        wheel.advance(to: 1_000_502, into: &out)
        #expect(out == [7])
    }

    @Test func aTimerNeverFiresBeforeItsDurationHasPassed() {
        // Property over many random starts and durations: fired tick - start tick >= ceil(duration / tick).
        var rng = SplitMix(seed: 42)
        var wheel = SIPTimerWheel<Int>(tick: .milliseconds(10), slotCount: 128)
        var started: [Int: (at: Int64, ticks: Int64)] = [:]
        var out: [Int] = []
        var t: Int64 = 0
        var token = 0
        while t < 20_000 {
            t += 1
            out.removeAll()
            wheel.advance(to: t, into: &out)
            for f in out {
                let s = started.removeValue(forKey: f)!
                #expect(t - s.at == s.ticks, "token \(f) fired after \(t - s.at) ticks, wanted \(s.ticks)")
            }
            if t < 15_000 && rng.next() % 3 == 0 {
                let ms = Int(rng.next() % 40_000) + 1
                wheel.schedule(token, after: .milliseconds(ms), now: t)
                started[token] = (t, (Int64(ms) + 9) / 10)
                token += 1
            }
        }
        #expect(started.isEmpty, "\(started.count) timers never fired")
        #expect(token > 1000)
    }

    /// Jumps straight from one `nextDueTick` to the next, as the driver's wake-ups do, recording each token's tick.
    func runByNextDue(_ wheel: inout SIPTimerWheel<Int>) -> (fired: [Int: Int64], wakeUps: Int) {
        var fired: [Int: Int64] = [:]
        var out: [Int] = []
        var wakeUps = 0
        while let next = wheel.nextDueTick() {
            #expect(next > wheel.currentTick)
            wakeUps += 1
            out.removeAll()
            wheel.advance(to: next, into: &out)
            for token in out {
                #expect(fired[token] == nil, "token \(token) fired twice")
                fired[token] = next
            }
            if wakeUps > 10_000 { Issue.record("the wheel never empties"); break }
        }
        return (fired, wakeUps)
    }

    @Test func nextDueTickSkipsEmptyBucketsAndIsNeverLate() {
        for slots in [16, 4096] {  // the per-bucket scan and the bitmap scan
            var wheel = SIPTimerWheel<Int>(tick: .milliseconds(10), slotCount: slots, startTick: 1_000)
            #expect(wheel.nextDueTick() == nil)
            wheel.schedule(1, after: .seconds(32), now: 1_000)        // tick 4200: rounds of a 16-slot wheel
            wheel.schedule(2, after: .milliseconds(500), now: 1_000)  // tick 1050
            wheel.schedule(3, after: .milliseconds(500), now: 1_000)  // same bucket
            wheel.schedule(4, after: .milliseconds(630), now: 1_000)  // tick 1063: crosses a 64-bit word
            // Exact on a wheel longer than the timers; early (a bucket of a later round) on a short one.
            if slots == 4096 { #expect(wheel.nextDueTick() == 1_050) } else { #expect(wheel.nextDueTick()! <= 1_050) }
            let (fired, wakeUps) = runByNextDue(&wheel)
            #expect(fired == [1: 4_200, 2: 1_050, 3: 1_050, 4: 1_063])
            if slots == 4096 { #expect(wakeUps == 3) }  // no wake-up on an empty tick
            #expect(wheel.nextDueTick() == nil && wheel.count == 0)
        }
    }

    @Test func nextDueTickWrapsAroundTheWheel() {
        var wheel = SIPTimerWheel<Int>(tick: .milliseconds(10), slotCount: 4096, startTick: 4_000)
        // Due at tick 4100, whose bucket (4) lies before the current position (4000 & 4095 = 4000).
        wheel.schedule(7, after: .seconds(1), now: 4_000)
        #expect(wheel.nextDueTick() == 4_100)
        var out: [Int] = []
        wheel.advance(to: 4_100, into: &out)
        #expect(out == [7])
    }
}

extension SIPTimerWheelTests {
    /// A burst of timers in one bucket must not leave the bucket holding room for all of them: over
    /// 4,096 buckets a box kept megabytes after a busy hour (found with heaptrack, 1.3 KB per call).
    @Test func aBurstLeavesNoRoomBehindOnceItHasFired() {
        var wheel = SIPTimerWheel<Int>(tick: .milliseconds(10), slotCount: 64)
        let idle = wheel.reservedEntries
        for round in 0..<3 {
            let start = Int64(round * 100)
            for token in 0..<1000 { wheel.schedule(token, after: .milliseconds(50), now: start) }
            wheel.schedule(5000, after: .milliseconds(60), now: start)
            #expect(wheel.reservedEntries >= 1001)
            let fired = run(&wheel, from: start, to: start + 100)
            #expect(fired.count == 1001)
            #expect(fired[999] == start + 5 && fired[5000] == start + 6)
            #expect(wheel.count == 0)
            #expect(wheel.reservedEntries <= idle + 16, "round \(round): room for \(wheel.reservedEntries) entries kept")
        }
        // A few timers per bucket keep their room (no allocation each round for ordinary load).
        for token in 0..<3 { wheel.schedule(token, after: .milliseconds(10), now: 300) }
        _ = run(&wheel, from: 300, to: 302)
        #expect(wheel.reservedEntries >= 3)
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

}
