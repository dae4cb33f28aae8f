// RTPStreamRewriter: one continuous outgoing stream (fixed SSRC, sequence, timestamp) across changes of the incoming source (RFC 3550 §5.1, §8.2).
// Realtime: no allocation, no lock; the state is a handful of integers.

/// Re-originates an RTP stream for one leg. The outgoing SSRC is fixed for the leg. Within one incoming
/// source, sequence and timestamp keep their offsets, so gaps and reordering pass through unchanged.
/// When the incoming SSRC changes (a re-INVITE moved the far end, a new media server answered), the
/// outgoing sequence continues at the highest sent + 1 and the timestamp at the one sent with it plus
/// the arrival time elapsed since (in RTP units), so the receiver sees one stream with a pause, not a new
/// source. The first packet after such a change carries the marker bit (start of a talkspurt, RFC 3551
/// §4.1), which lets the far end's jitter buffer re-synchronise. Late packets of the source just replaced
/// keep that source's mapping (they do not count as another change).
public struct RTPStreamRewriter: Sendable {
    /// The SSRC every outgoing packet carries.
    public let outgoingSSRC: UInt32

    @usableFromInline var started = false
    @usableFromInline var incomingSSRC: UInt32 = 0
    @usableFromInline var sequenceOffset: UInt16
    @usableFromInline var timestampOffset: UInt32
    /// The source before the last change and its offsets, for its late packets.
    @usableFromInline var hasPrevious = false
    @usableFromInline var previousSSRC: UInt32 = 0
    @usableFromInline var previousSequenceOffset: UInt16 = 0
    @usableFromInline var previousTimestampOffset: UInt32 = 0
    /// Highest outgoing sequence sent, with its timestamp and arrival time.
    @usableFromInline var lastSequence: UInt16
    @usableFromInline var lastTimestamp: UInt32
    @usableFromInline var lastArrival: UInt32 = 0

    /// `initialSequence` and `initialTimestamp` are what the first outgoing packet carries; RFC 3550 §5.1
    /// wants both random (pass values from a CSPRNG).
    public init(outgoingSSRC: UInt32, initialSequence: UInt16, initialTimestamp: UInt32) {
        self.outgoingSSRC = outgoingSSRC
        self.sequenceOffset = initialSequence
        self.timestampOffset = initialTimestamp
        self.lastSequence = initialSequence &- 1
        self.lastTimestamp = initialTimestamp
    }

    /// Rewrites SSRC, sequence, timestamp (and the marker after a source change) of `h`. `arrival` is the
    /// packet's arrival time in RTP timestamp units on any wrapping clock.
    @inlinable
    public mutating func rewrite(_ h: inout RTPHeader, arrival: UInt32) {
        if !started {
            started = true
            incomingSSRC = h.ssrc
            sequenceOffset = sequenceOffset &- h.sequence
            timestampOffset = timestampOffset &- h.timestamp
        } else if h.ssrc != incomingSSRC {
            if hasPrevious && h.ssrc == previousSSRC {
                // A late packet of the source before the change: its old mapping, no re-anchoring.
                h.sequence = h.sequence &+ previousSequenceOffset
                h.timestamp = h.timestamp &+ previousTimestampOffset
                h.ssrc = outgoingSSRC
                return
            }
            hasPrevious = true
            previousSSRC = incomingSSRC
            previousSequenceOffset = sequenceOffset
            previousTimestampOffset = timestampOffset
            incomingSSRC = h.ssrc
            let elapsed = arrival &- lastArrival
            let outSequence = lastSequence &+ 1
            // A clock that ran backwards counts as no time elapsed; at least one sample keeps timestamps moving.
            let step = Int32(bitPattern: elapsed) > 0 ? elapsed : 1
            let outTimestamp = lastTimestamp &+ step
            sequenceOffset = outSequence &- h.sequence
            timestampOffset = outTimestamp &- h.timestamp
            h.marker = true
        }
        let outSequence = h.sequence &+ sequenceOffset
        let outTimestamp = h.timestamp &+ timestampOffset
        // Remember the newest packet (serial-number order), so a late packet does not pull the continuation back.
        if Int16(bitPattern: outSequence &- lastSequence) > 0 {
            lastSequence = outSequence
            lastTimestamp = outTimestamp
            lastArrival = arrival
        }
        h.sequence = outSequence
        h.timestamp = outTimestamp
        h.ssrc = outgoingSSRC
    }

    /// Rewrites the packet in place: parses nothing, uses the `header` the caller already parsed from
    /// `packet`, writes SSRC, sequence, timestamp and marker. Returns the rewritten header.
    @inlinable @discardableResult
    public mutating func rewrite(packet: UnsafeMutableRawBufferPointer, header: RTPHeader, arrival: UInt32) -> RTPHeader {
        var h = header
        rewrite(&h, arrival: arrival)
        RTPWrite.setSequence(packet, h.sequence)
        RTPWrite.setTimestamp(packet, h.timestamp)
        RTPWrite.setSSRC(packet, h.ssrc)
        if h.marker != header.marker { RTPWrite.setMarker(packet, h.marker) }
        return h
    }
}
