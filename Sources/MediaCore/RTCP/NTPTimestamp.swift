// NTPTimestamp: 64-bit NTP time for RTCP sender reports, its compact middle 32 bits, and round-trip time from LSR/DLSR (RFC 3550 §4, §6.4.1).
// Realtime: everything here is arithmetic on integers; no allocation.

/// An NTP timestamp: seconds since 1900-01-01 and a 32-bit binary fraction (RFC 3550 §4).
public struct NTPTimestamp: Sendable, Hashable, Comparable {
    public var seconds: UInt32
    public var fraction: UInt32

    /// Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch).
    @inlinable public static var unixEpochOffset: UInt64 { 2_208_988_800 }

    @inlinable
    public init(seconds: UInt32, fraction: UInt32) {
        self.seconds = seconds
        self.fraction = fraction
    }

    /// From the 64-bit wire form (seconds in the high half).
    @inlinable
    public init(rawValue: UInt64) {
        self.init(seconds: UInt32(truncatingIfNeeded: rawValue >> 32), fraction: UInt32(truncatingIfNeeded: rawValue))
    }

    /// From Unix time; seconds wrap into the next NTP era after 2036 as the wire form does.
    @inlinable
    public init(unixSeconds: UInt64, nanoseconds: UInt32) {
        let ns = UInt64(min(nanoseconds, 999_999_999))
        self.init(seconds: UInt32(truncatingIfNeeded: unixSeconds &+ NTPTimestamp.unixEpochOffset),
                  fraction: UInt32(truncatingIfNeeded: (ns << 32) / 1_000_000_000))
    }

    /// The 64-bit wire form.
    @inlinable
    public var rawValue: UInt64 { UInt64(seconds) << 32 | UInt64(fraction) }

    /// The middle 32 bits (16.16 fixed point seconds): what a report block's LSR carries (§6.4.1).
    @inlinable
    public var compact: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    public static func < (a: NTPTimestamp, b: NTPTimestamp) -> Bool { a.rawValue < b.rawValue }
}

/// Round-trip time from a report block, as the sender of the SR computes it (RFC 3550 §6.4.1).
public enum RTCPRoundTrip {
    /// DLSR for a report block: the time from receiving the last SR to sending this report, in 1/65536 s.
    @inlinable
    public static func delaySinceLastSR(srArrival: NTPTimestamp, now: NTPTimestamp) -> UInt32 {
        now.compact &- srArrival.compact
    }

    /// RTT = A − LSR − DLSR in milliseconds, where A is the arrival time of the report block (compact NTP).
    /// nil when LSR is 0 (the peer has not received an SR yet) or the result is negative (clocks or
    /// values inconsistent).
    @inlinable
    public static func milliseconds(arrival: UInt32, lastSR: UInt32, delaySinceLastSR: UInt32) -> Double? {
        guard lastSR != 0 else { return nil }
        let rtt = Int32(bitPattern: arrival &- lastSR &- delaySinceLastSR)
        guard rtt >= 0 else { return nil }
        return Double(rtt) * 1000 / 65536
    }

    /// `milliseconds(arrival:lastSR:delaySinceLastSR:)` with a full NTP arrival time.
    @inlinable
    public static func milliseconds(arrival: NTPTimestamp, lastSR: UInt32, delaySinceLastSR: UInt32) -> Double? {
        milliseconds(arrival: arrival.compact, lastSR: lastSR, delaySinceLastSR: delaySinceLastSR)
    }
}
