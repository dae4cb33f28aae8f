// URI: any URI a SIP message may carry: sip/sips, tel, or another scheme kept as text (RFC 3261 §19, §25.1).

public enum URI: Sendable, Hashable, CustomStringConvertible {
    case sip(SIPURI)
    case tel(TelURI)
    /// An absolute URI of another scheme (http:, urn:, ...), kept as written.
    case other(scheme: String, text: String)

    public var description: String {
        switch self {
        case .sip(let u): return u.description
        case .tel(let u): return u.description
        case .other(_, let text): return text
        }
    }

    public var scheme: String {
        switch self {
        case .sip(let u): return u.scheme
        case .tel: return "tel"
        case .other(let scheme, _): return scheme.asciiLowercased
        }
    }

    public var sipURI: SIPURI? { if case .sip(let u) = self { return u }; return nil }
    public var telURI: TelURI? { if case .tel(let u) = self { return u }; return nil }

    /// The user part of a SIP URI or the number of a tel URI: what a B2BUA calls "the number".
    public var userOrNumber: String? {
        switch self {
        case .sip(let u): return u.decodedUser
        case .tel(let u): return u.number
        case .other: return nil
        }
    }

    public static func parse(_ text: String) throws(SIPParseError) -> URI {
        guard text.utf8.count <= SIPLimits.maxURIBytes else { throw SIPParseError("URI longer than \(SIPLimits.maxURIBytes) bytes") }
        return try text.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in try URI.parse(&s, limit: s.end) }
    }

    /// Parses a URI occupying exactly `scanner.pos ..< limit`.
    static func parse(_ s: inout SIPScanner, limit: Int) throws(SIPParseError) -> URI {
        guard limit - s.pos <= SIPLimits.maxURIBytes else { throw s.error("URI longer than \(SIPLimits.maxURIBytes) bytes") }
        let start = s.pos
        guard s.pos < limit, s.bytes[s.pos].isIn(.alpha) else { throw s.error("expected a URI") }
        while s.pos < limit, s.bytes[s.pos].isIn(.scheme) { s.pos += 1 }
        let schemeRange = start..<s.pos
        guard s.consume(ASCII.colon) else { throw s.error("expected ':' after the URI scheme") }
        let scheme = s.string(schemeRange).asciiLowercased
        switch scheme {
        case "sip", "sips":
            return .sip(try SIPURI.parse(&s, limit: limit, secure: scheme == "sips"))
        case "tel":
            return .tel(try TelURI.parse(&s, limit: limit))
        default:
            // absoluteURI: uric characters only (reserved / unreserved / escaped, plus "[" "]" for hosts).
            let body = try s.takeEscaped([.reserved, .unreserved, .paramUnreserved], limit: limit)
            guard !body.isEmpty, s.pos == limit else { throw s.error("invalid character in URI") }
            return .other(scheme: s.string(schemeRange), text: s.string(start..<limit))
        }
    }

    /// Comparison by the rules of each scheme (RFC 3261 §19.1.4, RFC 3966 §4); other schemes by text.
    public func isEquivalent(to other: URI) -> Bool {
        switch (self, other) {
        case (.sip(let a), .sip(let b)): return a.isEquivalent(to: b)
        case (.tel(let a), .tel(let b)): return a.isEquivalent(to: b)
        case (.other(let sa, let ta), .other(let sb, let tb)):
            return sa.caseInsensitiveEquals(sb) && ta.utf8.dropFirst(sa.utf8.count).elementsEqual(tb.utf8.dropFirst(sb.utf8.count))
        default: return false
        }
    }
}
