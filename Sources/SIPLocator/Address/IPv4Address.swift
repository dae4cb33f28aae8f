// IPv4Address: a 4-octet address as carried in A records (RFC 1035 §3.4.1), written in dotted-decimal.

/// An IPv4 address. Text form is dotted-decimal; parsing accepts one to three digits per part, as the
/// SIP host grammar does (RFC 3261 §25.1 IPv4address).
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The address in host order: `192.0.2.1` is `0xC000_0201`.
    public var value: UInt32

    public init(value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// The address from exactly four octets in network order; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Parses dotted-decimal text such as `192.0.2.1`; nil if it is anything else.
    public init?(_ text: some StringProtocol) {
        var result: UInt32 = 0
        var parts = 0
        var part: UInt32 = 0
        var digits = 0
        for b in text.utf8 {
            if b == 0x2E {
                guard digits > 0, parts < 3 else { return nil }
                result = result << 8 | part
                parts += 1
                part = 0
                digits = 0
            } else if (0x30...0x39).contains(b) {
                digits += 1
                guard digits <= 3 else { return nil }
                part = part * 10 + UInt32(b - 0x30)
                guard part <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard parts == 3, digits > 0 else { return nil }
        value = result << 8 | part
    }

    /// The four octets in network order.
    public var bytes: [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    public var description: String { bytes.map { String($0) }.joined(separator: ".") }
}
