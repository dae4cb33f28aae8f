// SPSCQueueTests: the lock-free command/event ring: order, capacity, full refusal, two threads.
import Testing
@testable import Media

@Suite struct SPSCQueueTests {
    @Test func keepsOrderAndRefusesWhenFull() {
        let q = SPSCQueue<Int>(capacity: 4)
        #expect(q.capacity == 4)
        for i in 0..<4 { #expect(q.push(i)) }
        #expect(!q.push(99))
        #expect(q.count == 4)
        for i in 0..<4 { #expect(q.pop() == i) }
        #expect(q.pop() == nil)
        #expect(q.push(7))
        #expect(q.pop() == 7)
    }
}

extension SPSCQueueTests {
    struct Item: Equatable {
        var n: Int
        var check: UInt64
    }

    @Test func twoThreadsPassEveryElementInOrder() async {
        let q = SPSCQueue<Item>(capacity: 64)
        let total = 50_000
        let producer = Task.detached {
            var i = 0
            while i < total {
                if q.push(Item(n: i, check: UInt64(i) &* 0x9E37_79B9_7F4A_7C15)) { i += 1 }
            }
        }
        var expected = 0
        var bad = 0
        while expected < total {
            if let item = q.pop() {
                if item.n != expected || item.check != UInt64(expected) &* 0x9E37_79B9_7F4A_7C15 { bad += 1 }
                expected += 1
            }
        }
        await producer.value
        #expect(bad == 0)
        #expect(q.pop() == nil)
    }
}
