// RTPPortAllocatorTests: even RTP ports with RTCP + 1, rest before reuse, exhaustion and reuse order (RFC 3550 §11).
import Testing
@testable import MediaCore

/// The allocator behind a reference, so its mutating calls can sit inside `#expect`.
final class Ports {
    var a: RTPPortAllocator
    init(_ a: RTPPortAllocator) { self.a = a }
    func allocate(now: Duration) -> RTPPortPair? { a.allocate(now: now) }
    @discardableResult func release(_ port: UInt16, now: Duration) -> Bool { a.release(port, now: now) }
    @discardableResult func release(_ pair: RTPPortPair, now: Duration) -> Bool { a.release(pair, now: now) }
    var capacity: Int { a.capacity }
    var inUse: Int { a.inUse }
    var resting: Int { a.resting }
    var available: Int { a.available }
}

@Suite struct RTPPortAllocatorTests {
    static func allocator(_ range: ClosedRange<UInt16>, rest: Duration = .seconds(30)) -> Ports {
        do { return Ports(try RTPPortAllocator(range: range, restTime: rest)) } catch { fatalError("\(error)") }
    }

    @Test func pairsAreEvenWithRTCPNextAndStayInTheRange() {
        let a = Self.allocator(10001...10010)   // odd start: first pair 10002/10003; 10010 has no 10011
        #expect(a.capacity == 4)
        var ports: [UInt16] = []
        while let p = a.allocate(now: .zero) {
            #expect(p.rtp % 2 == 0 && p.rtcp == p.rtp + 1 && p.rtcp <= 10010)
            ports.append(p.rtp)
        }
        #expect(ports == [10002, 10004, 10006, 10008], "ascending on first use")
        #expect(a.inUse == 4 && a.available == 0)
        let top = Self.allocator(65530...65535)
        #expect(top.capacity == 3)
        var last: RTPPortPair?
        while let p = top.allocate(now: .zero) { last = p }
        #expect(last?.rtp == 65534 && last?.rtcp == 65535)
    }

    @Test func rangesWithoutAPairAreRefused() {
        #expect(throws: RTPPortAllocatorError.noPairInRange(lower: 10000, upper: 10000)) {
            try RTPPortAllocator(range: 10000...10000, restTime: .zero)
        }
        #expect(throws: RTPPortAllocatorError.self) { try RTPPortAllocator(range: 10001...10002, restTime: .zero) }
        #expect((try? RTPPortAllocator(range: 10000...10001, restTime: .zero))?.capacity == 1)
    }

    @Test func exhaustionReturnsNil() {
        let a = Self.allocator(20000...20005)
        #expect(a.allocate(now: .zero) != nil && a.allocate(now: .zero) != nil && a.allocate(now: .zero) != nil)
        #expect(a.allocate(now: .zero) == nil)
    }

    @Test func releasedPairRestsBeforeReuse() {
        let a = Self.allocator(20000...20001, rest: .seconds(30))
        let p = a.allocate(now: .seconds(1))
        #expect(p?.rtp == 20000)
        #expect(a.release(20000, now: .seconds(10)))
        #expect(a.inUse == 0 && a.resting == 1 && a.available == 0)
        #expect(a.allocate(now: .seconds(39)) == nil, "29 s of rest is not enough")
        #expect(a.allocate(now: .milliseconds(39_999)) == nil)
        #expect(a.allocate(now: .seconds(40))?.rtp == 20000, "rest over at exactly 30 s")
        #expect(a.inUse == 1 && a.resting == 0)
    }

    @Test func reuseFollowsReleaseOrderAfterTheUnusedPairs() {
        let a = Self.allocator(30000...30007, rest: .seconds(5))   // 4 pairs
        let first = (0..<3).compactMap { _ in a.allocate(now: .zero)?.rtp }
        #expect(first == [30000, 30002, 30004])
        a.release(30004, now: .seconds(1))
        a.release(30000, now: .seconds(2))
        a.release(30002, now: .seconds(3))
        let next = (0..<4).compactMap { _ in a.allocate(now: .seconds(100))?.rtp }
        #expect(next == [30006, 30004, 30000, 30002], "never-used first, then least recently released")
    }

    @Test func badReleasesChangeNothing() {
        let a = Self.allocator(40000...40003)
        let p = a.allocate(now: .zero)
        #expect(!a.release(40002, now: .zero), "not allocated")
        #expect(!a.release(40001, now: .zero), "odd port")
        #expect(!a.release(39998, now: .zero) && !a.release(40004, now: .zero), "outside the range")
        #expect(p.map { a.release($0, now: .zero) } == true)
        #expect(!a.release(40000, now: .zero), "double release")
        #expect(a.inUse == 0 && a.resting == 1)
    }

    @Test func clockGoingBackwardsDoesNotShortenTheRest() {
        let a = Self.allocator(50000...50001, rest: .seconds(10))
        _ = a.allocate(now: .seconds(100))
        a.release(50000, now: .seconds(100))
        #expect(a.allocate(now: .seconds(50)) == nil)
        #expect(a.allocate(now: .seconds(109)) == nil)
        #expect(a.allocate(now: .seconds(110)) != nil)
    }

    @Test func zeroRestTimeReusesAtOnceAndLargeRangesCycle() {
        let a = Self.allocator(10000...59999, rest: .zero)
        #expect(a.capacity == 25_000)
        var t = Duration.zero
        for _ in 0..<100_000 {
            guard let p = a.allocate(now: t) else { Issue.record("exhausted"); return }
            a.release(p, now: t)
            t += .milliseconds(1)
        }
        #expect(a.inUse == 0 && a.available == 25_000)
    }
}
