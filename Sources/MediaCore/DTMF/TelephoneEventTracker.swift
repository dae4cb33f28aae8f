// TelephoneEventTracker: one report per key press from a stream of RFC 4733 event packets (RFC 4733 §2.5.2).
// Realtime: `receive` allocates nothing; the state is a few integers.

/// Turns the packets of RFC 4733 events into one report per event.
///
/// An event is identified by its RTP timestamp (§2.5.1.1: every packet of an event carries the event's
/// start time; a new event has a new timestamp); a change of event code under the same timestamp also
/// starts a new event. Reports:
/// - when the first end packet (E bit) of an event arrives: `(event, durationMs, ended: true)`; its
///   retransmissions (§2.5.1.4 sends the end three times) report nothing;
/// - when a new event begins while the previous one never showed its end (all end packets lost):
///   the previous one, `(event, durationMs, ended: false)` with the last duration seen;
/// - `flush()` reports a current event that has not ended (for RTP time-out or session end).
/// Packets older than the current event (serial-number comparison of timestamps, so a wrap of the
/// 32-bit timestamp is handled) are ignored. A long event split into segments (§2.5.1.3: the next
/// segment's timestamp is the previous one's plus its duration, same event code) continues the
/// same event; its duration accumulates.
///
/// If a new event's very first packet is already an end packet while the previous event is still
/// unreported, the previous one is reported and the new one on the next packet of it (its end
/// retransmission) or by `flush()`.
public struct TelephoneEventTracker: Sendable {
    /// RTP clock rate of the telephone-event payload type (8000 unless negotiated otherwise).
    public let clockRate: UInt32

    @usableFromInline var active = false
    @usableFromInline var timestamp: UInt32 = 0
    @usableFromInline var event: UInt8 = 0
    /// Duration of earlier segments of a long event, plus the current segment's.
    @usableFromInline var priorDuration: UInt64 = 0
    @usableFromInline var duration: UInt16 = 0
    @usableFromInline var ended = false
    @usableFromInline var reported = false

    public init(clockRate: UInt32 = 8000) {
        self.clockRate = clockRate
    }

    @inlinable
    var durationMs: Int {
        guard clockRate > 0 else { return 0 }
        return Int((priorDuration + UInt64(duration)) * 1000 / UInt64(clockRate))
    }

    /// Feeds one telephone-event payload with its packet's RTP timestamp. See the type's documentation
    /// for when this returns a report.
    @inlinable
    public mutating func receive(_ e: TelephoneEvent, rtpTimestamp: UInt32) -> (event: UInt8, durationMs: Int, ended: Bool)? {
        if active {
            let delta = Int32(bitPattern: rtpTimestamp &- timestamp)
            if delta < 0 { return nil }                    // a packet of an older event
            if delta == 0 && e.event == event {
                return continueEvent(e)
            }
            // A later segment of the same long event: starts where the previous segment ended.
            if delta > 0, e.event == event, !ended, UInt32(delta) == UInt32(duration) {
                priorDuration += UInt64(duration)
                timestamp = rtpTimestamp
                duration = 0
                return continueEvent(e)
            }
            // A new event. Report the previous one first when its end never arrived.
            let previous = (!reported) ? (event: event, durationMs: durationMs, ended: false) : nil
            start(e, rtpTimestamp)
            if let previous { return previous }
            return continueEvent(e)
        }
        start(e, rtpTimestamp)
        return continueEvent(e)
    }

    @inlinable
    mutating func start(_ e: TelephoneEvent, _ ts: UInt32) {
        active = true
        timestamp = ts
        event = e.event
        priorDuration = 0
        duration = e.duration
        ended = false
        reported = false
    }

    @inlinable
    mutating func continueEvent(_ e: TelephoneEvent) -> (event: UInt8, durationMs: Int, ended: Bool)? {
        if ended || reported { return nil }               // end retransmission or already reported
        if e.duration > duration { duration = e.duration }
        guard e.end else { return nil }
        ended = true
        reported = true
        return (event, durationMs, true)
    }

    /// Reports the current event if it has not been reported (its end never arrived); later packets of it
    /// report nothing.
    public mutating func flush() -> (event: UInt8, durationMs: Int, ended: Bool)? {
        defer { reported = true }
        guard active, !reported else { return nil }
        return (event, durationMs, ended)
    }
}
