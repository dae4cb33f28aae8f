// SIPRandomTests: the pooled CSPRNG behind tags and branches never repeats a value, within a thread or
// across threads, and its bits are balanced (a pool that was never filled would give zeros).
import Foundation
import Testing
@testable import SIPStack

@Suite("Pooled random values")
struct SIPRandomTests {
    @Test func drawsAcrossSeveralRefillsAreDistinctAndBalanced() {
        var random = SIPRandom()
        let draws = (0..<(3 * SIPRandomPool.words + 7)).map { _ in random.next() }
        #expect(Set(draws).count == draws.count)
        for bit in 0..<64 {
            let ones = draws.reduce(0) { $0 + Int($1 >> UInt64(bit) & 1) }
            #expect((draws.count * 2 / 5)...(draws.count * 3 / 5) ~= ones, "bit \(bit) set in \(ones) of \(draws.count) draws")
        }
    }

    final class Draws: @unchecked Sendable {
        let lock = NSLock()
        var lists: [[UInt64]] = []
        func add(_ list: [UInt64]) { lock.withLock { lists.append(list) } }
        var all: [[UInt64]] { lock.withLock { lists } }
    }

    @Test func threadsDrawFromTheirOwnPools() {
        let draws = Draws()
        let threads = (0..<4).map { _ in
            Thread {
                var random = SIPRandom()
                draws.add((0..<600).map { _ in random.next() })
            }
        }
        for t in threads { t.start() }
        for _ in 0..<500 where draws.all.count < 4 { usleep(10_000) }
        let all = draws.all
        #expect(all.count == 4)
        #expect(Set(all.joined()).count == 4 * 600, "no value is handed out twice across threads")
    }
}
