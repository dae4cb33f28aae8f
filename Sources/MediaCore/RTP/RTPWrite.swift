// RTPWrite: in-place writers for the RTP header fields a relay rewrites (RFC 3550 §5.1).
// Realtime: no allocation, no lock; a buffer shorter than the fixed header is left untouched.

/// Field writers on a packet buffer. Each returns false (and writes nothing) when the buffer is shorter
/// than the 12-octet fixed header.
public enum RTPWrite {
    @inlinable @discardableResult
    public static func setPayloadType(_ p: UnsafeMutableRawBufferPointer, _ pt: UInt8) -> Bool {
        guard p.count >= RTPHeader.fixedLength else { return false }
        p[1] = (p[1] & 0x80) | (pt & 0x7F)
        return true
    }

    @inlinable @discardableResult
    public static func setMarker(_ p: UnsafeMutableRawBufferPointer, _ m: Bool) -> Bool {
        guard p.count >= RTPHeader.fixedLength else { return false }
        p[1] = (p[1] & 0x7F) | (m ? 0x80 : 0)
        return true
    }

    @inlinable @discardableResult
    public static func setSequence(_ p: UnsafeMutableRawBufferPointer, _ seq: UInt16) -> Bool {
        guard p.count >= RTPHeader.fixedLength else { return false }
        RTPBytes.writeUInt16(p, 2, seq)
        return true
    }

    @inlinable @discardableResult
    public static func setTimestamp(_ p: UnsafeMutableRawBufferPointer, _ ts: UInt32) -> Bool {
        guard p.count >= RTPHeader.fixedLength else { return false }
        RTPBytes.writeUInt32(p, 4, ts)
        return true
    }

    @inlinable @discardableResult
    public static func setSSRC(_ p: UnsafeMutableRawBufferPointer, _ ssrc: UInt32) -> Bool {
        guard p.count >= RTPHeader.fixedLength else { return false }
        RTPBytes.writeUInt32(p, 8, ssrc)
        return true
    }

    /// Writes a 12-octet header (V=2, no padding, no extension, no CSRC) from `h`'s marker, payload type,
    /// sequence, timestamp and SSRC. Returns 12, or 0 when `p` is shorter than 12 octets.
    @inlinable @discardableResult
    public static func writeHeader(_ h: RTPHeader, into p: UnsafeMutableRawBufferPointer) -> Int {
        guard p.count >= RTPHeader.fixedLength else { return 0 }
        p[0] = RTPHeader.version << 6
        p[1] = (h.marker ? 0x80 : 0) | (h.payloadType & 0x7F)
        RTPBytes.writeUInt16(p, 2, h.sequence)
        RTPBytes.writeUInt32(p, 4, h.timestamp)
        RTPBytes.writeUInt32(p, 8, h.ssrc)
        return RTPHeader.fixedLength
    }
}
