// SIPNameAddress: name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §25.1 From/To/Contact).

/// A display name, a URI and header parameters, as in From, To, Contact, Route, Record-Route, Path,
/// P-Asserted-Identity, Diversion and History-Info. The display name is kept as written (quoted or not).
public struct SIPNameAddress: Sendable, Hashable, CustomStringConvertible {
    /// As written: `"Alice Smith"` with quotes, or unquoted tokens, or nil.
    public var displayName: String?
    public var uri: URI
    public var parameters: [SIPParameter]
    /// Whether the URI is written inside `<...>`. Always true on output when the URI or the display name needs it.
    public var usesAngleBrackets: Bool

    public init(displayName: String? = nil, uri: URI, parameters: [SIPParameter] = [], usesAngleBrackets: Bool = true) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
        self.usesAngleBrackets = usesAngleBrackets
    }

    /// A name-addr with a display name quoted for you (quotes and backslashes escaped).
    public init(quotedDisplayName name: String, uri: URI, parameters: [SIPParameter] = []) {
        var q = "\""
        for ch in name.unicodeScalars {
            if ch == "\"" || ch == "\\" { q += "\\" }
            q.unicodeScalars.append(ch)
        }
        q += "\""
        self.init(displayName: q, uri: uri, parameters: parameters)
    }

    /// The display name without quotes and escapes.
    public var decodedDisplayName: String? {
        guard let displayName else { return nil }
        if displayName.utf8.first == ASCII.quote { return SIPScanner.unquote(Substring(displayName).utf8) }
        return displayName
    }

    public var tag: String? {
        get { parameters.value("tag") }
        set { if let newValue { parameters.set("tag", newValue) } else { parameters.remove("tag") } }
    }

    public var description: String {
        var s = ""
        let uriText = uri.description
        let needsBrackets = usesAngleBrackets || displayName != nil
            || uriText.utf8.contains { $0 == ASCII.comma || $0 == ASCII.semicolon || $0 == ASCII.question }
        if let displayName { s += displayName; s += " " }
        if needsBrackets { s += "<"; s += uriText; s += ">" } else { s += uriText }
        s += parameters.serialized
        return s
    }

    /// Parses one value; the scanner stops before a following COMMA or at the end.
    static func parse(_ s: inout SIPScanner, requireBrackets: Bool = false) throws(SIPParseError) -> SIPNameAddress {
        s.skipWhitespace()
        var displayName: String?
        if s.peek == ASCII.quote {
            displayName = s.string(try s.quotedStringRange())
            s.skipWhitespace()
            guard s.peek == ASCII.lt else { throw s.error("expected '<' after the display name") }
        } else if s.peek != ASCII.lt {
            // *(token LWS) followed by '<' is a display name; otherwise this is an addr-spec.
            let save = s.pos
            var last = s.pos
            while true {
                let r = s.take(while: .token)
                if r.isEmpty { break }
                last = r.upperBound
                s.skipWhitespace()
            }
            if s.peek == ASCII.lt, last > save {
                displayName = s.string(save..<last)
            } else {
                s.pos = save
            }
        }
        let uri: URI
        let brackets: Bool
        if s.consume(ASCII.lt) {
            var close = s.pos
            while close < s.end, s.bytes[close] != ASCII.gt { close += 1 }
            guard close < s.end else { throw s.error("missing '>' after the URI") }
            uri = try URI.parse(&s, limit: close)
            s.pos = close + 1
            brackets = true
        } else {
            guard !requireBrackets else { throw s.error("expected '<' (a name-addr)") }
            var limit = s.pos
            while limit < s.end {
                let b = s.bytes[limit]
                if b.isSIPWhitespace || b == ASCII.semicolon || b == ASCII.comma { break }
                limit += 1
            }
            uri = try URI.parse(&s, limit: limit)
            if case .sip(let u) = uri, !u.headers.isEmpty {
                throw s.error("a URI with headers must be enclosed in '<>'")
            }
            brackets = false
        }
        let parameters = try s.genericParameters()
        return SIPNameAddress(displayName: displayName, uri: uri, parameters: parameters, usesAngleBrackets: brackets)
    }

    /// Parses a header value holding exactly one name-addr or addr-spec (From, To, Refer-To, ...).
    public static func parse(_ value: String) throws(SIPParseError) -> SIPNameAddress {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            let v = try parse(&s)
            try s.expectEnd("the address")
            return v
        }
    }

    /// Parses a comma-separated list of name-addr / addr-spec values.
    public static func parseList(_ value: String, requireBrackets: Bool = false) throws(SIPParseError) -> [SIPNameAddress] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            try s.commaList("address") { (s: inout SIPScanner) throws(SIPParseError) in try parse(&s, requireBrackets: requireBrackets) }
        }
    }
}

extension SIPScanner {
    /// element *(COMMA element), refusing empty elements and more than `SIPLimits.maxListValues`.
    mutating func commaList<T>(_ what: String, allowEmpty: Bool = false,
                               _ element: (inout SIPScanner) throws(SIPParseError) -> T) throws(SIPParseError) -> [T] {
        var out: [T] = []
        skipWhitespace()
        if isAtEnd {
            guard allowEmpty else { throw error("empty \(what) list") }
            return out
        }
        repeat {
            guard out.count < SIPLimits.maxListValues else { throw error("too many values (limit \(SIPLimits.maxListValues))") }
            skipWhitespace()
            out.append(try element(&self))
            skipWhitespace()
        } while consume(ASCII.comma)
        guard isAtEnd else { throw error("unexpected characters in \(what)") }
        return out
    }
}
