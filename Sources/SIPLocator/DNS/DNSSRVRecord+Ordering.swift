// DNSSRVRecord+Ordering: the order in which to contact SRV targets (RFC 2782, "Usage rules").

extension DNSSRVRecord {
    /// Orders `records` for contacting: ascending priority; within one priority, repeated weighted
    /// draws from `rng` by the RFC 2782 algorithm: weight-0 records placed first, a number `r` drawn
    /// from 0...sum of weights, the first record whose running sum is >= `r` taken next. So a
    /// weight-0 record is taken only on `r == 0` (a 1-in-(sum+1) chance). When no weight-0 record
    /// remains, `r` is drawn from 1...sum instead: the RFC's `r == 0` would otherwise hand the first
    /// record an extra 1/(sum+1) share (its own example, weights 1 and 3 "three quarters", would
    /// come out 2/5 and 3/5). When every remaining weight is 0 the pick is uniform. Records whose
    /// target is `.` are left out.
    ///
    /// Draws are `rng.next() % n`: deterministic for a given generator, with a bias below 2^-32
    /// for any sum of 16-bit weights.
    public static func ordered(_ records: [DNSSRVRecord], using rng: inout some RandomNumberGenerator) -> [DNSSRVRecord] {
        let usable = records.filter { !$0.isServiceUnavailable }
        let priorities = Set(usable.map(\.priority)).sorted()
        var result: [DNSSRVRecord] = []
        result.reserveCapacity(usable.count)
        for priority in priorities {
            let group = usable.filter { $0.priority == priority }
            var remaining = group.filter { $0.weight == 0 } + group.filter { $0.weight != 0 }
            while !remaining.isEmpty {
                let total = remaining.reduce(UInt64(0)) { $0 + UInt64($1.weight) }
                var index = 0
                if total == 0 {
                    index = Int(rng.next() % UInt64(remaining.count))
                } else {
                    let hasZero = remaining[0].weight == 0
                    let pick = hasZero ? rng.next() % (total + 1) : 1 + rng.next() % total
                    var running: UInt64 = 0
                    for (i, record) in remaining.enumerated() {
                        running += UInt64(record.weight)
                        if running >= pick {
                            index = i
                            break
                        }
                    }
                }
                result.append(remaining.remove(at: index))
            }
        }
        return result
    }
}
