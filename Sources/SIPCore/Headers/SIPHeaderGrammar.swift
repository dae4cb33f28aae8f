// SIPHeaderGrammar: the scalar and token-list header values (RFC 3261 §20: Call-ID, Max-Forwards, Expires,
// Allow, Supported, Require, Privacy (RFC 3323), Min-SE and RSeq), plus Retry-After, Session-Expires,
// Reason and Warning values.

public enum SIPHeaderGrammar {
    /// callid = word [ "@" word ]
    public static func callID(_ value: String) throws(SIPParseError) -> String {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            let start = s.pos
            guard !s.take(while: .word).isEmpty else { throw s.error("empty Call-ID") }
            if s.consume(ASCII.at) {
                guard !s.take(while: .word).isEmpty else { throw s.error("empty host part in Call-ID") }
            }
            let id = s.string(start..<s.pos)
            try s.expectEnd("Call-ID")
            return id
        }
    }

    /// 1*DIGIT not above `max`: Max-Forwards (255), Expires and Min-Expires (2^32-1), Content-Length.
    public static func number(_ value: String, _ what: String, max: UInt64) throws(SIPParseError) -> UInt64 {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            let n = try s.number(what, max: max)
            try s.expectEnd(what)
            return n
        }
    }

    /// A comma-separated list of tokens: Allow, Supported, Require, Unsupported, Proxy-Require.
    public static func tokenList(_ value: String, allowEmpty: Bool = true) throws(SIPParseError) -> [String] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            try s.commaList("token", allowEmpty: allowEmpty) { (s: inout SIPScanner) throws(SIPParseError) in try s.token("a token") }
        }
    }

    /// Checks a token list's grammar without building it (the parser's validation pass).
    public static func checkTokenList(_ value: String, allowEmpty: Bool) throws(SIPParseError) {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            if s.isAtEnd {
                guard allowEmpty else { throw s.error("empty token list") }
                return
            }
            var count = 0
            repeat {
                count += 1
                guard count <= SIPLimits.maxListValues else { throw s.error("too many values (limit \(SIPLimits.maxListValues))") }
                s.skipWhitespace()
                guard !s.take(while: .token).isEmpty else { throw s.error("expected a token") }
                s.skipWhitespace()
            } while s.consume(ASCII.comma)
            guard s.isAtEnd else { throw s.error("unexpected characters in token list") }
        }
    }

    /// Privacy: priv-value *(";" priv-value) (RFC 3323 §4.2).
    public static func privacy(_ value: String) throws(SIPParseError) -> [String] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            var out = [try s.token("a privacy value")]
            while s.consumeSeparator(ASCII.semicolon) { out.append(try s.token("a privacy value")) }
            try s.expectEnd("Privacy")
            return out
        }
    }

    /// A delta-seconds value with generic parameters: Session-Expires, Min-SE (RFC 4028 §4, §5).
    public static func deltaWithParameters(_ value: String, _ what: String) throws(SIPParseError) -> SIPDeltaSeconds {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            let n = try s.number(what, max: UInt64(UInt32.max))
            let p = try s.genericParameters()
            try s.expectEnd(what)
            return SIPDeltaSeconds(seconds: UInt32(n), comment: nil, parameters: p)
        }
    }

    /// Retry-After: delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 §20.33).
    public static func retryAfter(_ value: String) throws(SIPParseError) -> SIPDeltaSeconds {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            let n = try s.number("Retry-After", max: UInt64(UInt32.max))
            s.skipWhitespace()
            var comment: String?
            if s.peek == ASCII.lparen { comment = s.string(try s.commentRange()) }
            let p = try s.genericParameters()
            try s.expectEnd("Retry-After")
            if let d = p.value("duration"), UInt32(d) == nil { throw s.error("Retry-After duration must be delta-seconds") }
            return SIPDeltaSeconds(seconds: UInt32(n), comment: comment, parameters: p)
        }
    }

    /// Reason: a list of protocol *(SEMI reason-params) (RFC 3326 §2): `SIP;cause=200;text="Call completed"`.
    public static func reasons(_ value: String) throws(SIPParseError) -> [SIPReason] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            try s.commaList("Reason") { (s: inout SIPScanner) throws(SIPParseError) in
                let proto = try s.token("a Reason protocol")
                let p = try s.genericParameters()
                if let c = p.value("cause"), UInt32(c) == nil { throw s.error("Reason cause must be a number") }
                return SIPReason(protocolName: proto, parameters: p)
            }
        }
    }

    /// Warning: warn-code SP warn-agent SP warn-text, comma-separated (RFC 3261 §20.43).
    public static func warnings(_ value: String) throws(SIPParseError) -> [SIPWarning] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            try s.commaList("Warning") { (s: inout SIPScanner) throws(SIPParseError) in
                let start = s.pos
                let codeRange = s.take(while: .digit)
                guard codeRange.count == 3 else { throw s.error("Warning code must be three digits", at: start) }
                guard s.consume(ASCII.sp) else { throw s.error("expected a space after the warning code") }
                let agent: String
                if s.peek == ASCII.lbracket { agent = try s.host() } else { agent = try s.token("a warning agent") }
                if s.consume(ASCII.colon) { _ = try s.number("warning agent port", max: 65_535, maxDigits: 5) }
                guard s.consume(ASCII.sp), s.peek == ASCII.quote else { throw s.error("expected a quoted warning text") }
                let text = SIPScanner.unquote(Substring(s.string(try s.quotedStringRange())).utf8)
                return SIPWarning(code: Int(s.string(codeRange)) ?? 0, agent: agent, text: text)
            }
        }
    }
}

/// A delta-seconds value with its parameters (Retry-After, Session-Expires, Min-SE).
public struct SIPDeltaSeconds: Sendable, Hashable, CustomStringConvertible {
    public var seconds: UInt32
    public var comment: String?
    public var parameters: [SIPParameter]

    public init(seconds: UInt32, comment: String? = nil, parameters: [SIPParameter] = []) {
        self.seconds = seconds
        self.comment = comment
        self.parameters = parameters
    }

    /// Session-Expires `refresher` (uac or uas).
    public var refresher: String? { parameters.value("refresher") }

    public var description: String {
        var s = String(seconds)
        if let comment { s += " "; s += comment }
        return s + parameters.serialized
    }
}

/// One Reason value: protocol (SIP, Q.850) with cause and text parameters.
public struct SIPReason: Sendable, Hashable, CustomStringConvertible {
    public var protocolName: String
    public var parameters: [SIPParameter]

    public init(protocolName: String, cause: Int? = nil, text: String? = nil) {
        self.protocolName = protocolName
        self.parameters = []
        if let cause { parameters.append(SIPParameter("cause", String(cause))) }
        if let text { parameters.append(SIPParameter("text", SIPReason.quote(text))) }
    }

    public init(protocolName: String, parameters: [SIPParameter]) {
        self.protocolName = protocolName
        self.parameters = parameters
    }

    public var cause: Int? { parameters.value("cause").flatMap { Int($0) } }
    public var text: String? { parameters.first("text")?.unquotedValue }
    public var description: String { protocolName + parameters.serialized }

    static func quote(_ text: String) -> String {
        var q = "\""
        for ch in text.unicodeScalars {
            if ch == "\"" || ch == "\\" { q += "\\" }
            q.unicodeScalars.append(ch)
        }
        return q + "\""
    }
}

/// One Warning value.
public struct SIPWarning: Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var agent: String
    public var text: String
    public var description: String { "\(code) \(agent) \(SIPReason.quote(text))" }
}

extension SIPScanner {
    /// comment = LPAREN *(ctext / quoted-pair / comment) RPAREN, nesting bounded.
    mutating func commentRange() throws(SIPParseError) -> Range<Int> {
        let start = pos
        var depth = 0
        while pos < end {
            let b = bytes[pos]
            if b == ASCII.lparen {
                depth += 1
                guard depth <= 16 else { throw error("comment nested too deeply") }
            } else if b == ASCII.rparen {
                depth -= 1
                if depth == 0 { pos += 1; return start..<pos }
            } else if b == ASCII.backslash {
                pos += 1
            }
            pos += 1
        }
        throw error("unterminated comment", at: start)
    }
}
