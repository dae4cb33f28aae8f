// SPSCQueue: a bounded lock-free single-producer single-consumer ring of plain values (swift-atomics).
// Realtime: push and pop allocate nothing, take no lock and never block.
import Atomics

/// A fixed-capacity ring between exactly one producer thread and one consumer thread.
///
/// Storage is allocated once at creation. `Element` must be a plain value (POD: no references, no
/// heap storage; checked at creation), so slots need no destruction and a pop is a plain copy. The producer publishes a slot with a release store of
/// `tail`; the consumer frees it with a release store of `head`; each side reads the other's index
/// with acquire ordering.
public final class SPSCQueue<Element>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Element>
    private let mask: Int
    /// Usable slots.
    public let capacity: Int
    // Next slot to read; written by the consumer only.
    private let head = ManagedAtomic<Int>(0)
    // Next slot to write; written by the producer only.
    private let tail = ManagedAtomic<Int>(0)

    /// Creates a queue holding at least `capacity` elements (rounded up to a power of two, minimum 2).
    public init(capacity: Int) {
        precondition(_isPOD(Element.self), "SPSCQueue elements must be plain values (POD)")
        var size = 2
        while size < capacity { size <<= 1 }
        self.capacity = size
        self.mask = size - 1
        self.storage = UnsafeMutablePointer<Element>.allocate(capacity: size)
    }

    deinit {
        storage.deallocate()
    }

    /// Producer side: appends `element`; false (and nothing changes) when the queue is full.
    @inline(__always)
    public func push(_ element: Element) -> Bool {
        let t = tail.load(ordering: .relaxed)
        let h = head.load(ordering: .acquiring)
        guard t &- h < capacity else { return false }
        (storage + (t & mask)).initialize(to: element)
        tail.store(t &+ 1, ordering: .releasing)
        return true
    }

    /// Consumer side: removes and returns the oldest element, nil when empty.
    @inline(__always)
    public func pop() -> Element? {
        let h = head.load(ordering: .relaxed)
        let t = tail.load(ordering: .acquiring)
        guard h != t else { return nil }
        let element = (storage + (h & mask)).pointee
        head.store(h &+ 1, ordering: .releasing)
        return element
    }

    /// Elements queued now (exact only on a quiescent queue; either side may read it).
    public var count: Int {
        tail.load(ordering: .acquiring) &- head.load(ordering: .acquiring)
    }
}
