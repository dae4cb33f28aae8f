// IPv6Address: a 16-octet address as carried in AAAA records (RFC 3596 §2.2), text per RFC 4291 §2.2 and RFC 5952.

/// An IPv6 address. Parsing accepts every RFC 4291 §2.2 text form (full, `::`-compressed, trailing
/// dotted IPv4); `description` is the RFC 5952 canonical form.
public struct IPv6Address: Hashable, Sendable, CustomStringConvertible {
    /// The first and last 64 bits, in host order.
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The address from exactly sixteen octets in network order; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { high = high << 8 | UInt64(b) } else { low = low << 8 | UInt64(b) }
        }
        self.init(high: high, low: low)
    }

    /// The address from eight 16-bit groups; nil for any other count.
    public init?(groups: [UInt16]) {
        guard groups.count == 8 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, g) in groups.enumerated() {
            if i < 4 { high = high << 16 | UInt64(g) } else { low = low << 16 | UInt64(g) }
        }
        self.init(high: high, low: low)
    }

    /// Parses RFC 4291 text such as `2001:db8::1` or `::ffff:192.0.2.1`, without brackets or a zone;
    /// nil if it is anything else.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 45 else { return nil }
        var gap: Int?
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x3A, bytes[i + 1] == 0x3A {
                gap = i
                break
            }
            i += 1
        }
        var groups: [UInt16]
        if let gap {
            guard let head = Self.groups(bytes[..<gap], ipv4Tail: false),
                  let tail = Self.groups(bytes[(gap + 2)...], ipv4Tail: true),
                  head.count + tail.count <= 7 else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = Self.groups(bytes[...], ipv4Tail: true), all.count == 8 else { return nil }
            groups = all
        }
        self.init(groups: groups)
    }

    /// The sixteen octets in network order.
    public var bytes: [UInt8] {
        (0..<16).map { i in
            let word = i < 8 ? high : low
            return UInt8(truncatingIfNeeded: word >> (56 - 8 * UInt64(i % 8)))
        }
    }

    /// The eight 16-bit groups, first to last.
    public var groups: [UInt16] {
        (0..<8).map { i in
            let word = i < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (48 - 16 * UInt64(i % 4)))
        }
    }

    /// RFC 5952 text: lowercase hex, no leading zeros, the longest run of two or more zero groups
    /// (the first on a tie) as `::`, and IPv4-mapped addresses as `::ffff:a.b.c.d` (§5).
    public var description: String {
        let g = groups
        if high == 0, low >> 32 == 0xFFFF {
            return "::ffff:" + IPv4Address(value: UInt32(truncatingIfNeeded: low)).description
        }
        var bestStart = -1, bestLength = 1
        var i = 0
        while i < 8 {
            guard g[i] == 0 else { i += 1; continue }
            var j = i
            while j < 8, g[j] == 0 { j += 1 }
            if j - i > bestLength {
                bestStart = i
                bestLength = j - i
            }
            i = j
        }
        func hex(_ part: ArraySlice<UInt16>) -> String { part.map { String($0, radix: 16) }.joined(separator: ":") }
        guard bestStart >= 0 else { return hex(g[...]) }
        return hex(g[..<bestStart]) + "::" + hex(g[(bestStart + bestLength)...])
    }

    // The colon-separated hex groups of `part`; the last may be dotted IPv4 when `ipv4Tail` is set.
    private static func groups(_ part: ArraySlice<UInt8>, ipv4Tail: Bool) -> [UInt16]? {
        guard !part.isEmpty else { return [] }
        var result: [UInt16] = []
        let fields = part.split(separator: 0x3A, omittingEmptySubsequences: false)
        for (n, field) in fields.enumerated() {
            if ipv4Tail, n == fields.count - 1, field.contains(0x2E) {
                guard let v4 = IPv4Address(String(decoding: field, as: UTF8.self)) else { return nil }
                result.append(UInt16(truncatingIfNeeded: v4.value >> 16))
                result.append(UInt16(truncatingIfNeeded: v4.value))
                continue
            }
            guard (1...4).contains(field.count) else { return nil }
            var value: UInt16 = 0
            for b in field {
                guard let digit = hexValue(b) else { return nil }
                value = value << 4 | digit
            }
            result.append(value)
        }
        return result.count <= 8 ? result : nil
    }

    private static func hexValue(_ b: UInt8) -> UInt16? {
        switch b {
        case 0x30...0x39: UInt16(b - 0x30)
        case 0x41...0x46: UInt16(b - 0x41 + 10)
        case 0x61...0x66: UInt16(b - 0x61 + 10)
        default: nil
        }
    }
}
