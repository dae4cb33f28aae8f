// TelephoneEvent: the 4-octet payload of an RFC 4733 named telephone event (RFC 4733 §2.3).
// Realtime: parse and write allocate nothing.

/// One telephone-event payload: event code, end bit, volume and duration.
public struct TelephoneEvent: Sendable, Equatable {
    /// Event code (RFC 4733 §3.2: 0-9 digits, 10 `*`, 11 `#`, 12-15 A-D, 16 flash).
    public var event: UInt8
    /// E: the last packets of the event.
    public var end: Bool
    /// Power level in −dBm0, 0...63 (six bits).
    public var volume: UInt8
    /// Duration so far in RTP timestamp units, counted from the event's timestamp.
    public var duration: UInt16

    /// Octets of one event payload.
    @inlinable public static var length: Int { 4 }

    @inlinable
    public init(event: UInt8, end: Bool = false, volume: UInt8 = 10, duration: UInt16) {
        self.event = event
        self.end = end
        self.volume = volume & 0x3F
        self.duration = duration
    }

    /// Reads the first event of `payload`; nil when it is shorter than 4 octets. The reserved R bit is
    /// ignored as §2.3 asks of receivers.
    @inlinable
    public static func parse(_ payload: UnsafeRawBufferPointer) -> TelephoneEvent? {
        guard payload.count >= length else { return nil }
        let flags = payload[1]
        return TelephoneEvent(event: payload[0], end: flags & 0x80 != 0, volume: flags & 0x3F,
                              duration: RTPBytes.readUInt16(payload, 2))
    }

    /// Writes the 4-octet payload (R = 0); returns 4, or 0 when `p` is too short.
    @inlinable @discardableResult
    public func write(into p: UnsafeMutableRawBufferPointer) -> Int {
        guard p.count >= TelephoneEvent.length else { return 0 }
        p[0] = event
        p[1] = (end ? 0x80 : 0) | (volume & 0x3F)
        RTPBytes.writeUInt16(p, 2, duration)
        return TelephoneEvent.length
    }

    /// The character for a DTMF event code (0-9, *, #, A-D), nil for other events.
    public var dtmfCharacter: Character? {
        switch event {
        case 0...9: Character(Unicode.Scalar(48 + event))
        case 10: "*"
        case 11: "#"
        case 12...15: Character(Unicode.Scalar(65 + event - 12))
        default: nil
        }
    }
}
