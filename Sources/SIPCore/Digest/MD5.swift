// MD5: the RFC 1321 message digest, used by the MD5 and MD5-sess digest algorithms (RFC 2617 §3.2.1, RFC 7616 §3.4).

/// Streaming MD5 (RFC 1321). MD5 is broken for collision resistance; it is here only because SIP
/// digest authentication still requires it for interoperability.
public struct MD5: DigestHashFunction {
    /// MD5 digests are 16 bytes.
    public static let byteCount = 16

    private struct State {
        var a: UInt32 = 0x6745_2301
        var b: UInt32 = 0xEFCD_AB89
        var c: UInt32 = 0x98BA_DCFE
        var d: UInt32 = 0x1032_5476
    }

    private var state = State()
    private var blocks = DigestBlockBuffer()

    /// A hasher that has seen no input.
    public init() {}

    /// Appends the bytes of `buffer` to the message.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var state = self.state
        blocks.absorb(buffer) { Self.compress(&state, $0) }
        self.state = state
    }

    /// The 16-byte digest of everything fed so far; the hasher is unchanged.
    public func finalize() -> [UInt8] {
        var copy = self
        var state = copy.state
        copy.blocks.pad(bigEndianLength: false) { Self.compress(&state, $0) }
        copy.state = state
        var digest = [UInt8](repeating: 0, count: 16)
        digest.withUnsafeMutableBytes { out in
            out.storeBytes(of: copy.state.a.littleEndian, toByteOffset: 0, as: UInt32.self)
            out.storeBytes(of: copy.state.b.littleEndian, toByteOffset: 4, as: UInt32.self)
            out.storeBytes(of: copy.state.c.littleEndian, toByteOffset: 8, as: UInt32.self)
            out.storeBytes(of: copy.state.d.littleEndian, toByteOffset: 12, as: UInt32.self)
        }
        return digest
    }

    // T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 §3.4.
    private static let sines: [UInt32] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ]

    // Per-step left-rotation amounts, four per round (RFC 1321 §3.4).
    private static let shifts: [UInt32] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]

    // Processes one 64-byte block.
    private static func compress(_ state: inout State, _ block: UnsafeRawBufferPointer) {
        sines.withUnsafeBufferPointer { t in
            shifts.withUnsafeBufferPointer { s in
                @inline(__always) func word(_ index: Int) -> UInt32 {
                    UInt32(littleEndian: block.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
                }
                @inline(__always) func rotate(_ x: UInt32, _ n: UInt32) -> UInt32 {
                    (x &<< n) | (x &>> (32 &- n))
                }
                var a = state.a, b = state.b, c = state.c, d = state.d
                for i in 0..<64 {
                    let f: UInt32
                    let g: Int
                    switch i >> 4 {
                    case 0:
                        f = (b & c) | (~b & d)
                        g = i
                    case 1:
                        f = (d & b) | (~d & c)
                        g = (5 &* i &+ 1) & 15
                    case 2:
                        f = b ^ c ^ d
                        g = (3 &* i &+ 5) & 15
                    default:
                        f = c ^ (b | ~d)
                        g = (7 &* i) & 15
                    }
                    let sum = a &+ f &+ t[i] &+ word(g)
                    a = d
                    d = c
                    c = b
                    b = b &+ rotate(sum, s[(i >> 4) << 2 | (i & 3)])
                }
                state.a &+= a
                state.b &+= b
                state.c &+= c
                state.d &+= d
            }
        }
    }
}
