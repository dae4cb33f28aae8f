// SIPMediaType: type/subtype with parameters, for Content-Type and Accept (RFC 3261 §20.1, §20.15).

public struct SIPMediaType: Sendable, Hashable, CustomStringConvertible {
    public var type: String
    public var subtype: String
    public var parameters: [SIPParameter]

    public init(_ type: String, _ subtype: String, parameters: [SIPParameter] = []) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    public static let sdp = SIPMediaType("application", "sdp")

    /// Same type and subtype, case-insensitively, with `*` matching anything (Accept ranges).
    public func matches(_ other: SIPMediaType) -> Bool {
        (type == "*" || other.type == "*" || type.caseInsensitiveEquals(other.type))
            && (subtype == "*" || other.subtype == "*" || subtype.caseInsensitiveEquals(other.subtype))
    }

    public var description: String { "\(type)/\(subtype)\(parameters.serialized)" }

    static func parse(_ s: inout SIPScanner) throws(SIPParseError) -> SIPMediaType {
        let type = try s.token("a media type")
        guard s.consumeSeparator(ASCII.slash) else { throw s.error("expected '/' in the media type") }
        let subtype = try s.token("a media subtype")
        return SIPMediaType(type, subtype, parameters: try s.genericParameters())
    }

    public static func parse(_ value: String) throws(SIPParseError) -> SIPMediaType {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            let v = try parse(&s)
            try s.expectEnd("the media type")
            return v
        }
    }

    /// An Accept value: a possibly empty list of media ranges.
    public static func parseList(_ value: String) throws(SIPParseError) -> [SIPMediaType] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            try s.commaList("media type", allowEmpty: true) { (s: inout SIPScanner) throws(SIPParseError) in try parse(&s) }
        }
    }
}
