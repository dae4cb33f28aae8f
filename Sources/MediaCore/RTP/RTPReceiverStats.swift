// RTPReceiverStats: per-source sequence validation, loss and interarrival jitter (RFC 3550 A.1, A.3, A.8).
// Realtime: `update` allocates nothing and locks nothing; the struct holds only fixed-size fields.

/// Receive statistics for one RTP source, following RFC 3550's reference algorithms:
/// - A.1 sequence validation: a new source is on probation until `minSequential` packets arrive in
///   sequence; a jump of `maxDropout` or more (forward) or more than `maxMisorder` (backward) is rejected
///   unless the next packet confirms it, and then the statistics restart at the new sequence.
/// - A.3 expected, lost and fraction lost per report interval.
/// - A.8 interarrival jitter, integer form (kept ×16, reported as `jitter` in RTP timestamp units).
///
/// Duplicates and late (reordered) packets are counted as received, as A.1 does, so `cumulativeLost`
/// can go negative.
public struct RTPReceiverStats: Sendable {
    /// A.1 MAX_DROPOUT, MAX_MISORDER, MIN_SEQUENTIAL.
    @inlinable public static var maxDropout: UInt16 { 3000 }
    @inlinable public static var maxMisorder: UInt16 { 100 }
    @inlinable public static var minSequential: Int { 2 }

    /// RTP clock rate of the payload (8000 for G.711/G.729), for `jitterMilliseconds`.
    public let clockRate: UInt32

    @usableFromInline var started = false
    @usableFromInline var maxSeq: UInt16 = 0
    /// Sequence-number cycles ×65536 (A.1 `cycles`), kept wide so it does not wrap.
    @usableFromInline var cycles: UInt64 = 0
    @usableFromInline var baseSeq: UInt32 = 0
    /// A.1 `bad_seq`: 65537 means "none".
    @usableFromInline var badSeq: UInt32 = 65537
    @usableFromInline var probation = 0
    @usableFromInline var receivedCount: UInt64 = 0
    @usableFromInline var expectedPrior: Int64 = 0
    @usableFromInline var receivedPrior: UInt64 = 0
    /// A.8 `transit` of the previous counted packet, and whether there is one.
    @usableFromInline var lastTransit: UInt32 = 0
    @usableFromInline var hasTransit = false
    /// A.8 `jitter`, scaled by 16.
    @usableFromInline var jitterScaled: UInt32 = 0

    public init(clockRate: UInt32) {
        self.clockRate = clockRate
    }

    /// Feeds one packet: its sequence number, RTP timestamp and arrival time in RTP timestamp units (any
    /// origin, wrapping). Returns false when A.1 does not count the packet: the source is still on
    /// probation, or the sequence jumped and the jump is not yet confirmed. A relay may still forward
    /// such packets; they only do not enter the statistics. Jitter is updated for counted packets only.
    @inlinable @discardableResult
    public mutating func update(sequence seq: UInt16, rtpTimestamp: UInt32, arrival: UInt32) -> Bool {
        if !started {
            started = true
            initSequence(seq)
            maxSeq = seq &- 1
            probation = RTPReceiverStats.minSequential
        }
        guard updateSequence(seq) else { return false }
        // A.8: transit = arrival - timestamp; D = transit - previous transit; J += (|D| - J/16), ×16 form.
        let transit = arrival &- rtpTimestamp
        if hasTransit {
            let d = Int64(Int32(bitPattern: transit &- lastTransit)).magnitude
            let j = Int64(jitterScaled) + Int64(d) - Int64((UInt64(jitterScaled) + 8) >> 4)
            jitterScaled = UInt32(clamping: j)
        }
        lastTransit = transit
        hasTransit = true
        return true
    }

    /// A.1 `init_seq`.
    @inlinable
    mutating func initSequence(_ seq: UInt16) {
        baseSeq = UInt32(seq)
        maxSeq = seq
        badSeq = 65537
        cycles = 0
        receivedCount = 0
        receivedPrior = 0
        expectedPrior = 0
        hasTransit = false
    }

    /// A.1 `update_seq`.
    @inlinable
    mutating func updateSequence(_ seq: UInt16) -> Bool {
        let udelta = seq &- maxSeq
        if probation > 0 {
            // Compared modulo 2^16 (A.1's C code promotes to int and would reset probation at a wrap).
            if seq == maxSeq &+ 1 {
                probation -= 1
                maxSeq = seq
                if probation == 0 {
                    initSequence(seq)
                    receivedCount += 1
                    return true
                }
            } else {
                probation = RTPReceiverStats.minSequential - 1
                maxSeq = seq
            }
            return false
        } else if udelta < RTPReceiverStats.maxDropout {
            if seq < maxSeq { cycles += 65536 }   // in order, with permissible gap; wrapped
            maxSeq = seq
        } else if UInt32(udelta) <= 65536 - UInt32(RTPReceiverStats.maxMisorder) {
            // RTP_SEQ_MOD - MAX_MISORDER: a very large jump.
            if UInt32(seq) == badSeq {
                // Two sequential packets: the source restarted without telling us.
                initSequence(seq)
            } else {
                badSeq = UInt32(seq &+ 1)
                return false
            }
        } else {
            // Duplicate or reordered packet: counted, max unchanged.
        }
        receivedCount += 1
        return true
    }

    /// True once the source has left probation (A.1).
    public var isValid: Bool { started && probation == 0 }

    /// Packets counted since the statistics (re)started.
    public var received: UInt64 { receivedCount }

    /// A.3 extended highest sequence number received (cycles + max_seq), truncated to 32 bits.
    public var extendedHighestSequence: UInt32 { UInt32(truncatingIfNeeded: cycles + UInt64(maxSeq)) }

    /// A.3 packets expected: extended highest − base + 1 (0 before the source is valid).
    public var expected: Int64 {
        guard isValid else { return 0 }
        return Int64(cycles) + Int64(maxSeq) - Int64(baseSeq) + 1
    }

    /// A.3 cumulative packets lost: expected − received (negative with duplicates).
    public var cumulativeLost: Int64 { isValid ? expected - Int64(receivedCount) : 0 }

    /// A.8 interarrival jitter in RTP timestamp units (the value an RTCP report block carries).
    public var jitter: UInt32 { jitterScaled >> 4 }

    /// Interarrival jitter in milliseconds, from the ×16 value so no precision is lost to the shift.
    public var jitterMilliseconds: Double {
        guard clockRate > 0 else { return 0 }
        return Double(jitterScaled) / 16 / Double(clockRate) * 1000
    }

    /// The report-block fields for an RTCP SR/RR about this source, and the start of a new report interval
    /// (A.3): fraction lost is the interval's lost/expected in 1/256 (0 when none or negative);
    /// cumulative lost is clamped to the 24-bit signed range the report block carries.
    public mutating func reportBlockFields() -> (fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequence: UInt32, jitter: UInt32) {
        let expectedNow = expected
        let expectedInterval = expectedNow - expectedPrior
        expectedPrior = expectedNow
        let receivedInterval = Int64(receivedCount) - Int64(receivedPrior)
        receivedPrior = receivedCount
        let lostInterval = expectedInterval - receivedInterval
        let fraction: UInt8
        if expectedInterval == 0 || lostInterval <= 0 {
            fraction = 0
        } else {
            fraction = UInt8(clamping: (lostInterval << 8) / expectedInterval)
        }
        let lost = Int32(clamping: min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF))
        return (fraction, lost, isValid ? extendedHighestSequence : 0, jitter)
    }
}
