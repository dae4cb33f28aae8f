// SIPTimerWheel: a hashed timing wheel (Varghese & Lauck, scheme 4) for transaction timers: O(1) start, lazy cancel, expiry in batches.

/// Timers kept in `slotCount` buckets of one tick each. Starting a timer appends to one bucket; the
/// driver advances the wheel once per tick and gets back every token that is due, in due order.
/// Cancelling is lazy: the driver ignores tokens whose transaction no longer wants them (the state
/// machines never restart a timer they cancelled, and each transaction incarnation has its own
/// token), so nothing is searched or removed on cancel. Pure: time is a tick count the caller passes.
public struct SIPTimerWheel<Token: Sendable>: Sendable {
    private struct Entry: Sendable {
        var due: Int64
        var token: Token
    }

    /// Length of one tick; timers are rounded up to whole ticks, so none fires early.
    public let tick: Duration
    private var slots: [[Entry]]
    private let mask: Int64
    /// Every entry due at or before this tick has been handed out.
    public private(set) var currentTick: Int64
    /// Tokens waiting (cancelled ones included until their due tick passes).
    public private(set) var count = 0

    /// Creates a wheel; `slotCount` is rounded up to a power of two. Timers longer than
    /// `slotCount` ticks wait whole extra rounds in their bucket.
    public init(tick: Duration = .milliseconds(10), slotCount: Int = 4096, startTick: Int64 = 0) {
        precondition(tick > .zero, "a timer wheel needs a positive tick")
        var n = 1
        while n < max(slotCount, 2) { n <<= 1 }
        self.tick = tick
        self.slots = Array(repeating: [], count: n)
        self.mask = Int64(n - 1)
        self.currentTick = startTick
    }

    /// Whole ticks in `duration`, rounded up, at least one.
    public func ticks(for duration: Duration) -> Int64 {
        let (s, atto) = duration.components
        let (ts, tatto) = tick.components
        let total = Double(s) * 1e18 + Double(atto)
        let unit = Double(ts) * 1e18 + Double(tatto)
        return max(1, Int64((total / unit).rounded(.up)))
    }

    /// Arms `token` to fire `duration` after `now` (a tick count on the same scale as `advance`).
    public mutating func schedule(_ token: Token, after duration: Duration, now: Int64) {
        if count == 0 && now > currentTick { currentTick = now }
        let due = max(now + ticks(for: duration), currentTick + 1)
        slots[Int(due & mask)].append(Entry(due: due, token: token))
        count += 1
    }

    /// Moves time forward to `now` and appends every token due by then to `expired`, earliest first.
    public mutating func advance(to now: Int64, into expired: inout [Token]) {
        guard now > currentTick else { return }
        if count == 0 { currentTick = now; return }
        let span = Int64(slots.count)
        if now - currentTick >= span {
            // A long gap (the loop stalled): one pass over every bucket, then order by due tick.
            var due: [Entry] = []
            for i in slots.indices { take(from: i, dueBy: now, into: &due) }
            due.sort { $0.due < $1.due }
            expired.append(contentsOf: due.lazy.map(\.token))
            currentTick = now
            return
        }
        var t = currentTick + 1
        var batch: [Entry] = []
        while t <= now {
            batch.removeAll(keepingCapacity: true)
            take(from: Int(t & mask), dueBy: t, into: &batch)
            expired.append(contentsOf: batch.lazy.map(\.token))
            t += 1
            if count == 0 { break }
        }
        currentTick = now
    }

    // Moves the entries of bucket `index` due at or before `tick` into `out`, keeping the rest.
    private mutating func take(from index: Int, dueBy tick: Int64, into out: inout [Entry]) {
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
        count -= n - kept
        slots[index].removeLast(n - kept)
    }
}
