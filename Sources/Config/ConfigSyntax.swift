// ConfigSyntax: checks of single values (IPv4/IPv6, CIDR, host names, E.164, extensions, Skype Names).

/// Pure checks of the value forms the config uses. Each answers whether a string is of the form.
public enum ConfigSyntax {
    /// A dotted-quad IPv4 address (no leading zeros), as 32 bits.
    public static func ipv4(_ s: some StringProtocol) -> UInt32? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for p in parts {
            guard (1...3).contains(p.utf8.count), p.utf8.allSatisfy(isDigit), p == "0" || !p.hasPrefix("0"),
                  let n = UInt32(p), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    /// An IPv6 address (RFC 4291 §2.2 text forms, `::` and a trailing IPv4 allowed; no zone), as 8 groups.
    public static func ipv6(_ s: some StringProtocol) -> [UInt16]? {
        let text = String(s)
        guard text.utf8.count <= 45, text.contains(":") else { return nil }
        let halves = text.components(separatedByString: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowV4: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, f) in fields.enumerated() {
                if allowV4, i == fields.count - 1, f.contains("."), let v4 = ipv4(f) {
                    out += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                    continue
                }
                guard (1...4).contains(f.utf8.count), f.utf8.allSatisfy(isHex), let g = UInt16(f, radix: 16) else { return nil }
                out.append(g)
            }
            return out
        }
        if halves.count == 1 {
            guard let g = groups(halves[0], allowV4: true), g.count == 8 else { return nil }
            return g
        }
        guard let head = groups(halves[0], allowV4: false), let tail = groups(halves[1], allowV4: true),
              head.count + tail.count <= 7 else { return nil }
        return head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// Either form of IP address.
    public static func isIPAddress(_ s: some StringProtocol) -> Bool {
        ipv4(s) != nil || ipv6(s) != nil
    }

    /// Whether an address means "all addresses" (0.0.0.0 or ::).
    public static func isWildcard(_ s: String) -> Bool {
        ipv4(s) == 0 || ipv6(s) == [0, 0, 0, 0, 0, 0, 0, 0]
    }

    /// Checks an ACL entry: an address, or address/prefix with no host bits set. Returns nil when valid,
    /// else what is wrong.
    public static func cidrProblem(_ s: String) -> String? {
        let parts = s.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let address = parts[0]
        var bits: [Bool]
        if let v4 = ipv4(address) {
            bits = (0..<32).map { v4 & (1 << (31 - UInt32($0))) != 0 }
        } else if let v6 = ipv6(address) {
            bits = v6.flatMap { g in (0..<16).map { g & (1 << (15 - UInt16($0))) != 0 } }
        } else {
            return "'\(s)' is not an address or network (e.g. 192.168.1.0/24)"
        }
        guard parts.count == 2 else { return nil }
        guard (1...3).contains(parts[1].utf8.count), parts[1].utf8.allSatisfy(isDigit), let prefix = Int(parts[1]),
              prefix <= bits.count, parts[1] == "0" || !parts[1].hasPrefix("0") else {
            return "'\(s)' has a bad prefix length (0-\(bits.count))"
        }
        if bits[prefix...].contains(true) {
            for i in prefix..<bits.count { bits[i] = false }
            return "'\(s)' has host bits set; the network is \(render(bits))/\(prefix)"
        }
        return nil
    }

    private static func render(_ bits: [Bool]) -> String {
        func value(_ range: Range<Int>) -> Int { range.reduce(0) { $0 << 1 | (bits[$1] ? 1 : 0) } }
        if bits.count == 32 { return (0..<4).map { String(value($0 * 8..<$0 * 8 + 8)) }.joined(separator: ".") }
        return (0..<8).map { String(value($0 * 16..<$0 * 16 + 16), radix: 16) }.joined(separator: ":")
    }

    /// A DNS host name (RFC 1123 labels, at most 253 characters).
    public static func isHostName(_ s: some StringProtocol) -> Bool {
        guard (1...253).contains(s.utf8.count) else { return false }
        for label in s.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count), !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.utf8.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") }) else { return false }
        }
        return true
    }

    /// `host`, `host:port`, `IPv4[:port]`, `[IPv6][:port]` or a bare IPv6 address.
    public static func isHostPort(_ s: String) -> Bool {
        if s.hasPrefix("[") {
            guard let close = s.firstIndex(of: "]"), ipv6(s[s.index(after: s.startIndex)..<close]) != nil else { return false }
            let rest = s[s.index(after: close)...]
            return rest.isEmpty || (rest.hasPrefix(":") && isPort(rest.dropFirst()))
        }
        if ipv6(s) != nil { return true }
        let parts = s.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard isHostName(parts[0]) || ipv4(parts[0]) != nil else { return false }
        return parts.count == 1 || isPort(parts[1])
    }

    private static func isPort(_ s: some StringProtocol) -> Bool {
        guard (1...5).contains(s.utf8.count), s.utf8.allSatisfy(isDigit), !s.hasPrefix("0"), let p = Int(s) else { return false }
        return ConfigLimits.ports.contains(p)
    }

    /// `+` and 6 to 15 digits, the first not 0 (E.164 international form).
    public static func isE164(_ s: String) -> Bool {
        guard s.hasPrefix("+") else { return false }
        let digits = s.utf8.dropFirst()
        return (6...15).contains(digits.count) && digits.allSatisfy(isDigit) && digits.first != UInt8(ascii: "0")
    }

    /// Skype Connect's SIP user name form: `99051` and 9 more digits.
    public static func isSkypeConnectUser(_ s: String) -> Bool {
        s.utf8.count == 14 && s.hasPrefix("99051") && s.utf8.allSatisfy(isDigit)
    }

    /// A PBX extension: 1 to 16 of letters, digits, `*`, `#`, `+`, `.`, `_`, `-`.
    public static func isExtension(_ s: String) -> Bool {
        (1...ConfigLimits.maxExtensionLength).contains(s.utf8.count)
            && s.utf8.allSatisfy { isAlnum($0) || "*#+._-".utf8.contains($0) }
    }

    /// A Skype Name: 6 to 32 characters, a letter first, then letters, digits, `.`, `,`, `_`, `-`;
    /// or a Microsoft-account name `live:` followed by 1 to 32 of those.
    public static func isSkypeName(_ s: String) -> Bool {
        if s.hasPrefix("live:") {
            let rest = s.utf8.dropFirst(5)
            return (1...32).contains(rest.count) && rest.allSatisfy { isAlnum($0) || "._-".utf8.contains($0) }
        }
        guard (6...32).contains(s.utf8.count), let first = s.utf8.first, isAlpha(first) else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || ".,_-".utf8.contains($0) }
    }

    /// A name for a profile or board: 1 to 32 of letters, digits, `.`, `_`, `-`.
    public static func isName(_ s: String) -> Bool {
        (1...ConfigLimits.maxNameLength).contains(s.utf8.count) && s.utf8.allSatisfy { isAlnum($0) || "._-".utf8.contains($0) }
    }

    /// A string of digits of a length within `lengths`.
    public static func isDigits(_ s: String, _ lengths: ClosedRange<Int>) -> Bool {
        lengths.contains(s.utf8.count) && s.utf8.allSatisfy(isDigit)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
}

extension String {
    /// Splits on a multi-character separator (stdlib only; no Foundation).
    func components(separatedByString separator: String) -> [String] {
        var out: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: separator) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}
