// SIPURI: sip: and sips: URIs (RFC 3261 §19.1), parsed, serialized and compared by §19.1.4.

/// A SIP or SIPS URI. Components are kept as written (escaped), so serializing is byte-identical;
/// the `decoded...` accessors give the %-unescaped text.
public struct SIPURI: Sendable, Hashable, CustomStringConvertible {
    public var isSecure: Bool
    /// The user part as written (may contain %HH escapes), nil when there is no userinfo.
    public var user: String?
    /// The password as written, nil when absent. Never logged by the box.
    public var password: String?
    /// Host name, IPv4 address or bracketed IPv6 reference, as written.
    public var host: String
    public var port: Int?
    public var parameters: [SIPParameter]
    /// `?name=value` headers, as written.
    public var headers: [SIPParameter]

    public init(isSecure: Bool = false, user: String? = nil, password: String? = nil, host: String, port: Int? = nil,
                parameters: [SIPParameter] = [], headers: [SIPParameter] = []) {
        self.isSecure = isSecure
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    public var scheme: String { isSecure ? "sips" : "sip" }
    public var decodedUser: String? { user.map(URIEscaping.unescape) }

    /// `transport`, `user`, `method`, `ttl`, `maddr`, `lr` parameter helpers.
    public var transport: String? { parameters.value("transport") }
    public var maddr: String? { parameters.value("maddr") }
    public var isLooseRouting: Bool { parameters.contains("lr") }
    public var userParameter: String? { parameters.value("user") }

    public var description: String {
        var s = isSecure ? "sips:" : "sip:"
        if let user {
            s += user
            if let password { s += ":"; s += password }
            s += "@"
        }
        s += host
        if let port { s += ":\(port)" }
        s += parameters.serialized
        for (i, h) in headers.enumerated() {
            s += i == 0 ? "?" : "&"
            s += h.name; s += "="; s += h.value ?? ""
        }
        return s
    }

    /// Parses a complete sip:/sips: URI.
    public static func parse(_ text: String) throws(SIPParseError) -> SIPURI {
        guard case .sip(let uri) = try URI.parse(text) else { throw SIPParseError("not a sip or sips URI") }
        return uri
    }

    /// Parses the part after `sip:` / `sips:` in `scanner` up to `limit`, which must be consumed whole.
    static func parse(_ s: inout SIPScanner, limit: Int, secure: Bool) throws(SIPParseError) -> SIPURI {
        var user: String?, password: String?
        // userinfo is present exactly when an '@' occurs: user and password cannot hold a raw '@'.
        var at = -1
        var i = s.pos
        while i < limit { if s.bytes[i] == ASCII.at { at = i; break }; i += 1 }
        if at >= 0 {
            let u = try s.takeEscaped([.unreserved, .userUnreserved], limit: at)
            guard !u.isEmpty else { throw s.error("empty user part in URI") }
            user = s.string(u)
            if s.consume(ASCII.colon) {
                password = s.string(try s.takeEscaped([.unreserved, .passwordExtra], limit: at))
            }
            guard s.pos == at else { throw s.error("invalid character in URI user part") }
            s.pos += 1
        }
        let host = try s.host()
        var port: Int?
        if s.pos < limit, s.consume(ASCII.colon) {
            port = Int(try s.number("port", max: 65_535, maxDigits: 5))
        }
        var parameters: [SIPParameter] = []
        while s.pos < limit, s.consume(ASCII.semicolon) {
            guard parameters.count < SIPLimits.maxParameters else { throw s.error("too many URI parameters") }
            let n = try s.takeEscaped([.unreserved, .paramUnreserved], limit: limit)
            guard !n.isEmpty else { throw s.error("empty URI parameter") }
            var value: String?
            if s.pos < limit, s.consume(ASCII.equals) {
                let v = try s.takeEscaped([.unreserved, .paramUnreserved], limit: limit)
                guard !v.isEmpty else { throw s.error("empty URI parameter value") }
                value = s.string(v)
            }
            parameters.append(SIPParameter(s.string(n), value))
        }
        var headers: [SIPParameter] = []
        if s.pos < limit, s.consume(ASCII.question) {
            repeat {
                guard headers.count < SIPLimits.maxURIHeaders else { throw s.error("too many URI headers") }
                let n = try s.takeEscaped([.unreserved, .headerUnreserved], limit: limit)
                guard !n.isEmpty else { throw s.error("empty URI header name") }
                try s.expect(ASCII.equals, "'=' in URI header")
                let v = try s.takeEscaped([.unreserved, .headerUnreserved], limit: limit)
                headers.append(SIPParameter(s.string(n), s.string(v)))
            } while s.pos < limit && s.consume(ASCII.amp)
        }
        guard s.pos == limit else { throw s.error("invalid character in URI") }
        return SIPURI(isSecure: secure, user: user, password: password, host: host, port: port,
                      parameters: parameters, headers: headers)
    }
}

extension SIPURI {
    /// URI equality by RFC 3261 §19.1.4: scheme, unescaped userinfo case-sensitively, host
    /// case-insensitively, port only when given, the parameters user/ttl/method/maddr/transport when
    /// either side has them, other parameters only when both have them, and all headers.
    public func isEquivalent(to other: SIPURI) -> Bool {
        guard isSecure == other.isSecure,
              decodedUser == other.decodedUser,
              password.map(URIEscaping.unescape) == other.password.map(URIEscaping.unescape),
              host.caseInsensitiveEquals(other.host),
              port == other.port
        else { return false }
        func norm(_ p: SIPParameter) -> (String, String?) {
            (URIEscaping.unescape(p.name).asciiLowercased, p.value.map { URIEscaping.unescape($0).asciiLowercased })
        }
        let mine = parameters.map(norm), theirs = other.parameters.map(norm)
        let mustMatch: Set = ["user", "ttl", "method", "maddr", "transport"]
        for (name, value) in mine {
            if let o = theirs.first(where: { $0.0 == name }) {
                if o.1 != value { return false }
            } else if mustMatch.contains(name) {
                return false
            }
        }
        for (name, _) in theirs where mustMatch.contains(name) && !mine.contains(where: { $0.0 == name }) {
            return false
        }
        func normHeaders(_ hs: [SIPParameter]) -> [String: String] {
            var d: [String: String] = [:]
            for h in hs { d[URIEscaping.unescape(h.name).asciiLowercased] = URIEscaping.unescape(h.value ?? "") }
            return d
        }
        return normHeaders(headers) == normHeaders(other.headers)
    }
}
