// RTPBytes: big-endian integer reads and writes at an offset of a packet buffer (network byte order, RFC 3550 §5.1).
// Realtime: no allocation; callers check bounds first.

/// Big-endian reads and writes at an offset; callers check bounds first.
public enum RTPBytes {
    @inlinable @inline(__always)
    public static func readUInt16(_ p: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(p[offset]) << 8 | UInt16(p[offset + 1])
    }

    @inlinable @inline(__always)
    public static func readUInt32(_ p: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(p[offset]) << 24 | UInt32(p[offset + 1]) << 16 | UInt32(p[offset + 2]) << 8 | UInt32(p[offset + 3])
    }

    @inlinable @inline(__always)
    public static func writeUInt16(_ p: UnsafeMutableRawBufferPointer, _ offset: Int, _ v: UInt16) {
        p[offset] = UInt8(truncatingIfNeeded: v >> 8)
        p[offset + 1] = UInt8(truncatingIfNeeded: v)
    }

    @inlinable @inline(__always)
    public static func writeUInt32(_ p: UnsafeMutableRawBufferPointer, _ offset: Int, _ v: UInt32) {
        p[offset] = UInt8(truncatingIfNeeded: v >> 24)
        p[offset + 1] = UInt8(truncatingIfNeeded: v >> 16)
        p[offset + 2] = UInt8(truncatingIfNeeded: v >> 8)
        p[offset + 3] = UInt8(truncatingIfNeeded: v)
    }
}
