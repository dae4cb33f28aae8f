// DigestBlockBuffer: the 64-byte block framing and length padding MD5 (RFC 1321 §3.1-3.2) and SHA-256 (FIPS 180-4 §5.1.1) share.

/// Cuts a byte stream into 64-byte blocks for a compression function, keeping a partial block inline so
/// feeding never allocates, and appends the 0x80 / zeros / 64-bit bit-length padding at the end.
struct DigestBlockBuffer {
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var totalBytes: UInt64 = 0

    /// Feeds `buffer`, calling `compress` for every whole 64-byte block.
    mutating func absorb(_ buffer: UnsafeRawBufferPointer, _ compress: (UnsafeRawBufferPointer) -> Void) {
        guard var cursor = buffer.baseAddress, buffer.count > 0 else { return }
        var remaining = buffer.count
        totalBytes &+= UInt64(remaining)
        if pendingCount > 0 {
            let take = min(64 - pendingCount, remaining)
            let offset = pendingCount
            withUnsafeMutableBytes(of: &pending) { block in
                guard let base = block.baseAddress else { return }
                (base + offset).copyMemory(from: cursor, byteCount: take)
            }
            pendingCount += take
            cursor += take
            remaining -= take
            guard pendingCount == 64 else { return }
            let block = pending
            withUnsafeBytes(of: block) { compress($0) }
            pendingCount = 0
        }
        while remaining >= 64 {
            compress(UnsafeRawBufferPointer(start: cursor, count: 64))
            cursor += 64
            remaining -= 64
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &pending) { block in
                block.baseAddress?.copyMemory(from: cursor, byteCount: remaining)
            }
            pendingCount = remaining
        }
    }

    /// Feeds the final padding: 0x80, zeros up to 56 mod 64, then the message length in bits.
    mutating func pad(bigEndianLength: Bool, _ compress: (UnsafeRawBufferPointer) -> Void) {
        let bitLength = totalBytes &* 8
        let padLength = pendingCount < 56 ? 56 - pendingCount : 120 - pendingCount
        var tail: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &tail) { bytes in
            bytes[0] = 0x80
            bytes.storeBytes(of: bigEndianLength ? bitLength.bigEndian : bitLength.littleEndian, toByteOffset: padLength, as: UInt64.self)
        }
        withUnsafeBytes(of: tail) { bytes in
            absorb(UnsafeRawBufferPointer(rebasing: bytes[0..<(padLength + 8)]), compress)
        }
    }
}
