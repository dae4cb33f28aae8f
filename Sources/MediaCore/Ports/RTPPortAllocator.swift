// RTPPortAllocator: RTP/RTCP port pairs from a configured range, with a rest period before a released pair is reused (RFC 3550 §11).
// Not realtime (the control side owns it), but allocate and release are O(1) and allocate nothing after init.

/// Hands out port pairs from a range. A released pair rests for `restTime` before it can be handed out
/// again (late packets of the old call must not reach a new one); pairs are reused in the order they
/// were released (least recently used first), and never-used pairs go out in ascending order first.
/// Times are passed in by the caller on any monotonic clock (no clock is read here); a time earlier than
/// one already seen is treated as that one.
public struct RTPPortAllocator: Sendable {
    /// Lowest RTP port (even).
    public let firstPort: UInt16
    /// Number of pairs in the range.
    public let capacity: Int
    public let restTime: Duration

    /// Ring of free pair indices, oldest first.
    private var free: [Int32]
    private var freeHead = 0
    private var freeCount: Int
    /// Ring of resting pairs with their release times, in release order.
    private var restingIndex: [Int32]
    private var restingSince: [Duration]
    private var restHead = 0
    private var restCount = 0
    private var allocated: [Bool]
    private var allocatedCount = 0
    private var latest: Duration = .zero

    /// The range's lowest even port and every pair (p, p+1) inside it are used. Throws when the range
    /// holds no pair.
    public init(range: ClosedRange<UInt16>, restTime: Duration) throws(RTPPortAllocatorError) {
        let first = Int(range.lowerBound) + Int(range.lowerBound) % 2
        let pairs = first + 1 <= Int(range.upperBound) ? (Int(range.upperBound) - first + 1) / 2 : 0
        guard pairs > 0 else { throw .noPairInRange(lower: range.lowerBound, upper: range.upperBound) }
        firstPort = UInt16(first)
        capacity = pairs
        self.restTime = restTime
        free = (0..<pairs).map { Int32($0) }
        freeCount = pairs
        restingIndex = Array(repeating: 0, count: pairs)
        restingSince = Array(repeating: .zero, count: pairs)
        allocated = Array(repeating: false, count: pairs)
    }

    /// Pairs handed out and not released.
    public var inUse: Int { allocatedCount }
    /// Pairs released and still resting (as of the latest time passed in).
    public var resting: Int { restCount }
    /// Pairs that can be handed out now (as of the latest time passed in).
    public var available: Int { freeCount }

    /// Moves every pair whose rest is over at `now` to the free list. Amortised O(1): each release is
    /// moved once.
    public mutating func advance(to now: Duration) {
        if now > latest { latest = now }
        while restCount > 0, latest - restingSince[restHead] >= restTime {
            let index = restingIndex[restHead]
            restHead = (restHead + 1) % capacity
            restCount -= 1
            free[(freeHead + freeCount) % capacity] = index
            freeCount += 1
        }
    }

    /// The next pair, or nil when every pair is in use or resting.
    public mutating func allocate(now: Duration) -> RTPPortPair? {
        advance(to: now)
        guard freeCount > 0 else { return nil }
        let index = Int(free[freeHead])
        freeHead = (freeHead + 1) % capacity
        freeCount -= 1
        allocated[index] = true
        allocatedCount += 1
        return RTPPortPair(rtp: firstPort + UInt16(index * 2))
    }

    /// Returns a pair; it rests until `now + restTime`. False (and nothing changes) when `rtpPort` is
    /// not a pair of this allocator or is not allocated (a double release).
    @discardableResult
    public mutating func release(_ rtpPort: UInt16, now: Duration) -> Bool {
        let offset = Int(rtpPort) - Int(firstPort)
        guard offset >= 0, offset % 2 == 0, offset / 2 < capacity, allocated[offset / 2] else { return false }
        advance(to: now)
        let index = offset / 2
        allocated[index] = false
        allocatedCount -= 1
        let slot = (restHead + restCount) % capacity
        restingIndex[slot] = Int32(index)
        restingSince[slot] = latest
        restCount += 1
        if restTime <= .zero { advance(to: latest) }
        return true
    }

    /// `release(_:now:)` for a pair.
    @discardableResult
    public mutating func release(_ pair: RTPPortPair, now: Duration) -> Bool { release(pair.rtp, now: now) }
}
