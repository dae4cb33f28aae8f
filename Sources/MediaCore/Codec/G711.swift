// G711: µ-law and A-law companding and transcoding (ITU-T G.711 (11/1988) Tables 1a/1b, 2a/2b).
// Realtime: every function here allocates nothing and locks nothing.

/// G.711 companding in 16-bit linear PCM.
///
/// The code words are computed from the segment structure G.711 defines rather than looked up, which is
/// exact and keeps the realtime thread free of lazily initialised globals:
/// - **µ-law** (Table 2a/2b): 8 segments of 16 steps on a 14-bit scale with bias 33; here on the 16-bit
///   scale (×4: bias 132, clip 32635). The transmitted character is the bit inverse of
///   sign·segment·step, with sign 1 for positive values: 0xFF is +0, 0x7F is −0, 0x80 is +32124,
///   0x00 is −32124 (= ±8031 × 4 on the 14-bit scale).
/// - **A-law** (Table 1a/1b): 8 segments on a 13-bit scale (here ×8), segments 0 and 1 with the same step;
///   the even bits are inverted (XOR 0x55) and sign 1 is positive: 0xD5 is +8, 0x55 is −8,
///   0xAA is +32256, 0x2A is −32256 (= ±4032 × 8).
/// Decoding gives the midpoint of each quantisation interval (G.711's decoder output values), so
/// encode∘decode is the identity on every code, except µ-law −0 (0x7F), which encodes back as +0 (0xFF).
/// µ-law ↔ A-law transcoding goes through linear PCM, not through G.711's direct Tables 3 and 4.
public enum G711 {
    /// µ-law character to 16-bit linear.
    @inlinable
    public static func ulawToLinear(_ c: UInt8) -> Int16 {
        let u = ~c
        let segment = (u & 0x70) >> 4
        let magnitude = ((Int32(u & 0x0F) << 3) + 0x84) << segment
        return Int16(u & 0x80 != 0 ? 0x84 - magnitude : magnitude - 0x84)
    }

    /// 16-bit linear to µ-law character.
    @inlinable
    public static func linearToUlaw(_ s: Int16) -> UInt8 {
        let negative = s < 0
        var m = negative ? -Int32(s) : Int32(s)
        if m > 32635 { m = 32635 }
        m += 0x84
        // m is 132...32767: its highest set bit is bit 7...14, which is segment 0...7.
        let segment = UInt8(truncatingIfNeeded: 24 - m.leadingZeroBitCount)
        let step = UInt8(truncatingIfNeeded: (m >> (Int32(segment) + 3)) & 0x0F)
        return ~((negative ? 0x80 : 0) | segment << 4 | step)
    }

    /// A-law character to 16-bit linear.
    @inlinable
    public static func alawToLinear(_ c: UInt8) -> Int16 {
        let a = c ^ 0x55
        let segment = (a & 0x70) >> 4
        var magnitude = Int32(a & 0x0F) << 4
        if segment == 0 {
            magnitude += 8
        } else {
            magnitude = (magnitude + 0x108) << (segment - 1)
        }
        return Int16(a & 0x80 != 0 ? magnitude : -magnitude)
    }

    /// 16-bit linear to A-law character. Negative values are mirrored with one's complement (−1 → 0), so
    /// the decision thresholds are symmetric about −½ and −32768 needs no special case.
    @inlinable
    public static func linearToAlaw(_ s: Int16) -> UInt8 {
        let positive = s >= 0
        let m = Int32(positive ? s : ~s)   // 0...32767
        let code: UInt8
        if m < 256 {
            code = UInt8(truncatingIfNeeded: m >> 4)
        } else {
            // m is 256...32767: highest set bit 8...14, which is segment 1...7.
            let segment = 24 - m.leadingZeroBitCount
            code = UInt8(truncatingIfNeeded: segment << 4 | Int((m >> (Int32(segment) + 3)) & 0x0F))
        }
        return code ^ (positive ? 0xD5 : 0x55)
    }

    /// µ-law character to A-law character through linear PCM.
    @inlinable
    public static func ulawToAlaw(_ c: UInt8) -> UInt8 { linearToAlaw(ulawToLinear(c)) }

    /// A-law character to µ-law character through linear PCM.
    @inlinable
    public static func alawToUlaw(_ c: UInt8) -> UInt8 { linearToUlaw(alawToLinear(c)) }

    /// Decodes `min(src.count, dst.count)` µ-law characters; returns how many.
    @inlinable @discardableResult
    public static func decodeUlaw(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<Int16>) -> Int {
        let n = min(src.count, dst.count)
        for i in 0..<n { dst[i] = ulawToLinear(src[i]) }
        return n
    }

    /// Decodes `min(src.count, dst.count)` A-law characters; returns how many.
    @inlinable @discardableResult
    public static func decodeAlaw(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<Int16>) -> Int {
        let n = min(src.count, dst.count)
        for i in 0..<n { dst[i] = alawToLinear(src[i]) }
        return n
    }

    /// Encodes `min(src.count, dst.count)` samples to µ-law; returns how many.
    @inlinable @discardableResult
    public static func encodeUlaw(_ src: UnsafeBufferPointer<Int16>, into dst: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = min(src.count, dst.count)
        for i in 0..<n { dst[i] = linearToUlaw(src[i]) }
        return n
    }

    /// Encodes `min(src.count, dst.count)` samples to A-law; returns how many.
    @inlinable @discardableResult
    public static func encodeAlaw(_ src: UnsafeBufferPointer<Int16>, into dst: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = min(src.count, dst.count)
        for i in 0..<n { dst[i] = linearToAlaw(src[i]) }
        return n
    }

    /// Transcodes µ-law to A-law, `min(src.count, dst.count)` characters; returns how many. `src` and
    /// `dst` may be the same memory (the payload rewritten in place).
    @inlinable @discardableResult
    public static func transcodeUlawToAlaw(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(src.count, dst.count)
        for i in 0..<n { dst[i] = ulawToAlaw(src[i]) }
        return n
    }

    /// Transcodes A-law to µ-law, `min(src.count, dst.count)` characters; returns how many (in place allowed).
    @inlinable @discardableResult
    public static func transcodeAlawToUlaw(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(src.count, dst.count)
        for i in 0..<n { dst[i] = alawToUlaw(src[i]) }
        return n
    }
}
