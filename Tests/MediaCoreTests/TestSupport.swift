// TestSupport: byte helpers and a seeded generator shared by the MediaCore tests.
@testable import MediaCore

/// Runs `body` on the octets of `bytes`.
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes { try body($0) }
}

/// Parses an RTP header from an array.
func rtp(_ bytes: [UInt8]) -> RTPHeader? { withBytes(bytes) { RTPHeader.parse($0) } }

/// Deterministic generator (SplitMix64) so random tests replay the same way.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
