// TelURI: tel: URIs for telephone numbers (RFC 3966 §3 syntax, §4 comparison).

/// A telephone number URI. `number` is as written, with visual separators; `digits` drops them.
public struct TelURI: Sendable, Hashable, CustomStringConvertible {
    public var number: String
    public var parameters: [SIPParameter]

    public init(number: String, parameters: [SIPParameter] = []) {
        self.number = number
        self.parameters = parameters
    }

    public var isGlobal: Bool { number.utf8.first == ASCII.plus }
    /// The number without visual separators (`-`, `.`, `(`, `)`), `+` kept.
    public var digits: String { String(number.filter { !"-.()".contains($0) }) }
    public var phoneContext: String? { parameters.value("phone-context") }
    public var description: String { "tel:" + number + parameters.serialized }

    static func parse(_ s: inout SIPScanner, limit: Int) throws(SIPParseError) -> TelURI {
        let start = s.pos
        let global = s.consume(ASCII.plus)
        var digitCount = 0
        while s.pos < limit {
            let b = s.bytes[s.pos]
            if b.isIn(.digit) || (!global && (b.isIn(.hex) || b == ASCII.star || b == 0x23)) {
                digitCount += 1
            } else if !(b == 0x2D || b == ASCII.dot || b == ASCII.lparen || b == ASCII.rparen) {
                break
            }
            s.pos += 1
        }
        guard digitCount > 0 else { throw s.error("tel URI has no digits", at: start) }
        let number = s.string(start..<s.pos)
        var parameters: [SIPParameter] = []
        while s.pos < limit, s.consume(ASCII.semicolon) {
            guard parameters.count < SIPLimits.maxParameters else { throw s.error("too many tel URI parameters") }
            let n = s.take(while: .token)
            guard !n.isEmpty else { throw s.error("empty tel URI parameter") }
            var value: String?
            if s.consume(ASCII.equals) {
                let v = try s.takeEscaped([.unreserved, .paramUnreserved], limit: limit)
                guard !v.isEmpty else { throw s.error("empty tel URI parameter value") }
                value = s.string(v)
            }
            parameters.append(SIPParameter(s.string(n), value))
        }
        guard s.pos == limit else { throw s.error("invalid character in tel URI") }
        if !global && !parameters.contains("phone-context") {
            throw s.error("a local tel number needs a phone-context parameter", at: start)
        }
        return TelURI(number: number, parameters: parameters)
    }

    /// Equality by RFC 3966 §4: same digits (separators ignored, hex case-insensitive) and the same
    /// set of parameters, names case-insensitive, values case-insensitive except where escaped.
    public func isEquivalent(to other: TelURI) -> Bool {
        guard digits.caseInsensitiveEquals(other.digits), parameters.count == other.parameters.count else { return false }
        func norm(_ p: [SIPParameter]) -> [String: String] {
            var d: [String: String] = [:]
            for x in p { d[x.name.asciiLowercased] = URIEscaping.unescape(x.value ?? "").asciiLowercased }
            return d
        }
        return norm(parameters) == norm(other.parameters)
    }
}
