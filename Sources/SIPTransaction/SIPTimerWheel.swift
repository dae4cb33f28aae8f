// SIPTimerWheel: a hashed timing wheel (Varghese & Lauck, scheme 4) for transaction timers: O(1) start, lazy cancel, expiry in batches.

/// Timers kept in `slotCount` buckets of one tick each. Starting a timer appends to one bucket; the
/// driver advances the wheel when something may be due (`nextDueTick`) and gets back every token that
/// is due, in due order.
/// Cancelling is lazy: the driver ignores tokens whose transaction no longer wants them (the state
/// machines never restart a timer they cancelled, and each transaction incarnation has its own
/// token), so nothing is searched or removed on cancel. Pure: time is a tick count the caller passes.
///
/// Everything is `@inlinable` so the driver's module specialises it for its token type: unspecialised
/// generic code looked up type metadata and a key path on every expiry (about half of the CPU the box
/// spent ending UDP transactions at Timer J).
public struct SIPTimerWheel<Token: Sendable>: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var due: Int64
        @usableFromInline var token: Token
        @inlinable init(due: Int64, token: Token) {
            self.due = due
            self.token = token
        }
    }

    /// Length of one tick; timers are rounded up to whole ticks, so none fires early.
    public let tick: Duration
    @usableFromInline var slots: [[Entry]]
    @usableFromInline let mask: Int64
    /// Every entry due at or before this tick has been handed out.
    public var currentTick: Int64 { tickReached }
    /// Tokens waiting (cancelled ones included until their due tick passes).
    public var count: Int { waiting }
    @usableFromInline var tickReached: Int64
    @usableFromInline var waiting = 0
    // The tick's length in attoseconds (as a Double: ticks(for:) divides by it).
    @usableFromInline let tickAttoseconds: Double
    // Reused by `advance` for one bucket's due entries.
    @usableFromInline var batch: [Entry] = []
    // One bit per bucket, set while the bucket holds entries, so `nextDueTick` skips empty ones 64 at a time.
    @usableFromInline var occupied: [UInt64]

    /// Creates a wheel; `slotCount` is rounded up to a power of two. Timers longer than
    /// `slotCount` ticks wait whole extra rounds in their bucket.
    public init(tick: Duration = .milliseconds(10), slotCount: Int = 4096, startTick: Int64 = 0) {
        precondition(tick > .zero, "a timer wheel needs a positive tick")
        var n = 1
        while n < max(slotCount, 2) { n <<= 1 }
        self.tick = tick
        let (ts, tatto) = tick.components
        self.tickAttoseconds = Double(ts) * 1e18 + Double(tatto)
        self.slots = Array(repeating: [], count: n)
        self.occupied = Array(repeating: 0, count: (n + 63) / 64)
        self.mask = Int64(n - 1)
        self.tickReached = startTick
    }

    /// Whole ticks in `duration`, rounded up, at least one.
    @inlinable
    public func ticks(for duration: Duration) -> Int64 {
        let (s, atto) = duration.components
        let total = Double(s) * 1e18 + Double(atto)
        return max(1, Int64((total / tickAttoseconds).rounded(.up)))
    }

    /// Arms `token` to fire `duration` after `now` (a tick count on the same scale as `advance`) and
    /// returns the tick it is due at.
    @inlinable
    @discardableResult
    public mutating func schedule(_ token: Token, after duration: Duration, now: Int64) -> Int64 {
        if waiting == 0 && now > tickReached { tickReached = now }
        let due = max(now + ticks(for: duration), tickReached + 1)
        let slot = Int(due & mask)
        slots[slot].append(Entry(due: due, token: token))
        occupied[slot >> 6] |= 1 << UInt64(slot & 63)
        waiting += 1
        return due
    }

    /// The first tick after `currentTick` whose bucket holds a timer, nil when none is waiting: nothing
    /// is due before it, so a driver can sleep until then instead of advancing every tick. A bucket
    /// whose timers are due in a later round (longer than `slotCount` ticks) gives an early answer,
    /// never a late one.
    @inlinable
    public func nextDueTick() -> Int64? {
        guard waiting > 0 else { return nil }
        let n = slots.count
        if n < 64 {  // a tiny wheel (tests): look at each bucket
            for d in 0..<n where !slots[Int((tickReached + 1 + Int64(d)) & mask)].isEmpty { return tickReached + 1 + Int64(d) }
            return nil
        }
        // n is a multiple of 64, so words never straddle the wrap-around.
        let start = Int((tickReached + 1) & mask)
        var slot = start
        var scanned = 0
        while scanned < n {
            let bits = occupied[slot >> 6] >> UInt64(slot & 63)
            if bits != 0 {
                let found = scanned + bits.trailingZeroBitCount
                return tickReached + 1 + Int64(min(found, n - 1))
            }
            let step = 64 - (slot & 63)
            scanned += step
            slot = (slot + step) & (n - 1)
        }
        return tickReached + 1  // not reached while timers wait; early is safe
    }

    /// Moves time forward to `now` and appends every token due by then to `expired`, earliest first.
    @inlinable
    public mutating func advance(to now: Int64, into expired: inout [Token]) {
        guard now > tickReached else { return }
        if waiting == 0 { tickReached = now; return }
        let span = Int64(slots.count)
        if now - tickReached >= span {
            // A long gap (the loop stalled): one pass over every bucket, then order by due tick.
            var due: [Entry] = []
            for i in slots.indices { take(from: i, dueBy: now, into: &due) }
            due.sort { $0.due < $1.due }
            for entry in due { expired.append(entry.token) }
            tickReached = now
            return
        }
        var t = tickReached + 1
        var batch = self.batch
        self.batch = []
        while t <= now {
            batch.removeAll(keepingCapacity: true)
            take(from: Int(t & mask), dueBy: t, into: &batch)
            for entry in batch { expired.append(entry.token) }
            t += 1
            if waiting == 0 { break }
        }
        batch.removeAll(keepingCapacity: true)
        self.batch = batch
        tickReached = now
    }

    // Moves the entries of bucket `index` due at or before `tick` into `out`, keeping the rest.
    @inlinable
    mutating func take(from index: Int, dueBy tick: Int64, into out: inout [Entry]) {
        guard !slots[index].isEmpty else { return }
        var kept = 0
        let n = slots[index].count
        slots[index].withUnsafeMutableBufferPointer { bucket in
            for i in 0..<n {
                if bucket[i].due <= tick {
                    out.append(bucket[i])
                } else {
                    bucket.swapAt(kept, i)
                    kept += 1
                }
            }
        }
        waiting -= n - kept
        if kept == 0 && slots[index].capacity > Self.keptBucketCapacity {
            // A bucket kept the room of its busiest moment: over 4,096 buckets of ~80-byte entries that
            // was megabytes held for good after a burst of calls (and up to 5 MB with 16 kept per bucket).
            // An emptied bucket keeps room for a few entries; refilling a busy one costs a handful of
            // mallocs a tick.
            slots[index] = []
        } else {
            slots[index].removeLast(n - kept)
        }
        if kept == 0 { occupied[index >> 6] &= ~(1 << UInt64(index & 63)) }
    }

    /// Room an emptied bucket keeps for the next round (larger ones are freed).
    @usableFromInline static var keptBucketCapacity: Int { 4 }

    /// Entries the buckets have room for, in all (for tests and memory figures).
    public var reservedEntries: Int { slots.reduce(0) { $0 + $1.capacity } }
}
