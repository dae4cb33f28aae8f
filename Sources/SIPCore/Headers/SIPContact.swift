// SIPContact: one Contact value, `*` or an address with expires, q and +sip.instance (RFC 3261 §20.10, RFC 5626).

public enum SIPContact: Sendable, Hashable, CustomStringConvertible {
    /// `Contact: *`, valid only in a REGISTER with Expires: 0.
    case wildcard
    case address(SIPNameAddress)

    public var address: SIPNameAddress? { if case .address(let a) = self { return a }; return nil }

    /// The expires parameter in seconds.
    public var expires: UInt32? { address?.parameters.value("expires").flatMap { UInt32($0) } }
    /// The q parameter, 0.0 to 1.0.
    public var q: Double? { address?.parameters.value("q").flatMap { Double($0) } }
    /// The +sip.instance parameter without its quotes and angle brackets (RFC 5626 §4.1).
    public var instanceID: String? {
        guard var v = address?.parameters.first("+sip.instance")?.unquotedValue else { return nil }
        if v.hasPrefix("<") && v.hasSuffix(">") { v = String(v.dropFirst().dropLast()) }
        return v
    }

    public var description: String {
        switch self {
        case .wildcard: return "*"
        case .address(let a): return a.description
        }
    }

    public static func parseList(_ value: String) throws(SIPParseError) -> [SIPContact] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            if s.consume(ASCII.star) {
                try s.expectEnd("'*'")
                return [.wildcard]
            }
            return try s.commaList("Contact") { (s: inout SIPScanner) throws(SIPParseError) in
                let a = try SIPNameAddress.parse(&s)
                for p in a.parameters {
                    switch p.name.asciiLowercased {
                    case "expires":
                        guard let v = p.value, v.utf8.allSatisfy({ $0.isIn(.digit) }), let n = UInt64(v), n <= UInt64(UInt32.max)
                        else { throw s.error("Contact expires must be 0 to 4294967295 seconds") }
                    case "q":
                        guard let v = p.value, let q = Double(v), (0...1).contains(q), v.utf8.count <= 5,
                              v.utf8.allSatisfy({ $0.isIn(.digit) || $0 == ASCII.dot })
                        else { throw s.error("Contact q must be 0 to 1 with at most three decimals") }
                    default: break
                    }
                }
                return .address(a)
            }
        }
    }
}
