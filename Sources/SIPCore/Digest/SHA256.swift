// SHA256: the FIPS 180-4 §6.2 SHA-256 hash, used by the SHA-256 and SHA-256-sess digest algorithms (RFC 7616 §3.4, RFC 8760).

/// Streaming SHA-256 (FIPS 180-4).
public struct SHA256: DigestHashFunction {
    /// SHA-256 digests are 32 bytes.
    public static let byteCount = 32

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    )
    private var blocks = DigestBlockBuffer()

    /// A hasher that has seen no input.
    public init() {}

    /// Appends the bytes of `buffer` to the message.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var state = self.state
        blocks.absorb(buffer) { Self.compress(&state, $0) }
        self.state = state
    }

    /// The 32-byte digest of everything fed so far; the hasher is unchanged.
    public func finalize() -> [UInt8] {
        var copy = self
        var state = copy.state
        copy.blocks.pad(bigEndianLength: true) { Self.compress(&state, $0) }
        copy.state = state
        var digest = [UInt8](repeating: 0, count: 32)
        let words = copy.state
        withUnsafeBytes(of: words) { source in
            digest.withUnsafeMutableBytes { out in
                for index in 0..<8 {
                    let word = source.load(fromByteOffset: index * 4, as: UInt32.self)
                    out.storeBytes(of: word.bigEndian, toByteOffset: index * 4, as: UInt32.self)
                }
            }
        }
        return digest
    }

    // First 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2).
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    // Processes one 64-byte block (FIPS 180-4 §6.2.2).
    private static func compress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
        _ block: UnsafeRawBufferPointer
    ) {
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
            (x &>> n) | (x &<< (32 &- n))
        }
        roundConstants.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for t in 0..<16 {
                    w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self))
                }
                for t in 16..<64 {
                    let x = w[t &- 15], y = w[t &- 2]
                    let sigma0 = rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3)
                    let sigma1 = rotr(y, 17) ^ rotr(y, 19) ^ (y &>> 10)
                    w[t] = sigma1 &+ w[t &- 7] &+ sigma0 &+ w[t &- 16]
                }
                var (a, b, c, d, e, f, g, h) = state
                // One round updates d and h; the others are renamed by rotating arguments,
                // so eight calls make a full register rotation (FIPS 180-4 §6.2.2 step 3).
                @inline(__always) func round(
                    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ t: Int
                ) {
                    let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
                    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                    d = d &+ t1
                    h = t1 &+ t2
                }
                var t = 0
                while t < 64 {
                    round(a, b, c, &d, e, f, g, &h, t)
                    round(h, a, b, &c, d, e, f, &g, t &+ 1)
                    round(g, h, a, &b, c, d, e, &f, t &+ 2)
                    round(f, g, h, &a, b, c, d, &e, t &+ 3)
                    round(e, f, g, &h, a, b, c, &d, t &+ 4)
                    round(d, e, f, &g, h, a, b, &c, t &+ 5)
                    round(c, d, e, &f, g, h, a, &b, t &+ 6)
                    round(b, c, d, &e, f, g, h, &a, t &+ 7)
                    t &+= 8
                }
                state.0 &+= a
                state.1 &+= b
                state.2 &+= c
                state.3 &+= d
                state.4 &+= e
                state.5 &+= f
                state.6 &+= g
                state.7 &+= h
            }
        }
    }
}
