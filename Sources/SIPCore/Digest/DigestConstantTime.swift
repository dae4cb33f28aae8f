// DigestConstantTime: timing-safe comparison of request-digests for the server-side check of RFC 7616 §3.6.

// Comparisons whose running time does not depend on where two secrets differ.
enum DigestConstantTime {
    // True when `a` and `b` hold the same bytes, ASCII letters compared case-insensitively so that
    // upper-case hex from a peer matches. Time depends only on the lengths, which are public.
    static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<left.count {
            difference |= fold(left[index]) ^ fold(right[index])
        }
        return difference == 0
    }

    // Lower-cases an ASCII letter without a data-dependent branch.
    private static func fold(_ byte: UInt8) -> UInt8 {
        // 0x20 when byte is in "A"..."Z", else 0, computed arithmetically.
        let aboveA = UInt16(byte) &+ (0x100 - 0x41)          // bit 8 set when byte >= 0x41
        let aboveZ = UInt16(byte) &+ (0x100 - 0x5B)          // bit 8 set when byte >= 0x5B
        let isUpper = UInt8(truncatingIfNeeded: ((aboveA & ~aboveZ) >> 8) & 1)
        return byte | (isUpper << 5)
    }
}
