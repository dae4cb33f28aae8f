// RegistrationRandomSource: the driver-supplied randomness behind Call-ID, From tag, cnonce (RFC 3261 §8.1.1.4, §19.3; RFC 7616 §3.4) and retry jitter.

/// Where the registration client gets its random values; the client has no randomness of its own, so
/// tests pass a scripted source and get the same messages and delays every run.
///
/// A driver wraps the system generator in a type of its own, which then gets both requirements from the
/// extension below:
///
///     struct SystemRegistrationRandom: RegistrationRandomSource, RandomNumberGenerator {
///         var base = SystemRandomNumberGenerator()
///         mutating func next() -> UInt64 { base.next() }
///     }
public protocol RegistrationRandomSource: Sendable {
    /// A fresh, unguessable token of letters and digits for a Call-ID, From tag or cnonce; at least
    /// 64 random bits (RFC 3261 §19.3 asks 32 for tags, Call-IDs must be globally unique).
    mutating func token() -> String
    /// A uniformly distributed value in 0 ..< 1, used to spread retries.
    mutating func fraction() -> Double
}

extension RegistrationRandomSource where Self: RandomNumberGenerator {
    /// 32 lowercase hex digits (128 bits).
    public mutating func token() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for _ in 0..<2 {
            let word = next()
            for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int((word >> UInt64(shift)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// 53 random bits scaled into 0 ..< 1.
    public mutating func fraction() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
