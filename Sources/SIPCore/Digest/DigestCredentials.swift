// DigestCredentials: the Digest credentials of Authorization / Proxy-Authorization, RFC 7616 §3.4 with RFC 3261 §25 (digest-response) quoting.

/// Parsed (or to-be-sent) Digest credentials. Holds no password: `response` is the computed digest.
public struct DigestCredentials: Sendable, Hashable {
    /// The username, or its userhash when `userhash` is true.
    public var username: String
    /// The realm of the challenge being answered.
    public var realm: String
    /// The nonce of the challenge being answered.
    public var nonce: String
    /// The digest-uri: the Request-URI of the request (RFC 3261 §22.4).
    public var uri: String
    /// The request-digest in hex.
    public var response: String
    /// The algorithm as sent; nil when absent, which means MD5.
    public var algorithm: DigestAlgorithm?
    /// The client nonce; required with a qop and with the -sess algorithms.
    public var cnonce: String?
    /// The challenge's opaque value, echoed.
    public var opaque: String?
    /// The chosen qop; nil for RFC 2069-style responses.
    public var qop: DigestQop?
    /// The nonce count (`nc`), sent as eight hex digits; required with a qop.
    public var nonceCount: UInt32?
    /// True when `username` is the RFC 7616 §3.4.4 userhash.
    public var userhash: Bool
    /// Parameters not interpreted here, in the order received.
    public var extensionParameters: [DigestAuthParameter]

    /// Credentials from their fields.
    public init(
        username: String,
        realm: String,
        nonce: String,
        uri: String,
        response: String,
        algorithm: DigestAlgorithm? = nil,
        cnonce: String? = nil,
        opaque: String? = nil,
        qop: DigestQop? = nil,
        nonceCount: UInt32? = nil,
        userhash: Bool = false,
        extensionParameters: [DigestAuthParameter] = []
    ) {
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response
        self.algorithm = algorithm
        self.cnonce = cnonce
        self.opaque = opaque
        self.qop = qop
        self.nonceCount = nonceCount
        self.userhash = userhash
        self.extensionParameters = extensionParameters
    }

    /// The algorithm in force: the one named, or MD5 when none was.
    public var effectiveAlgorithm: DigestAlgorithm { algorithm ?? .md5 }

    /// Parses an Authorization / Proxy-Authorization header value carrying Digest credentials.
    /// Requires username (or RFC 7616 `username*`), realm, nonce, uri and response; `nc` must be
    /// eight hex digits. Throws for other schemes and malformed input.
    public static func parse(_ headerValue: String) throws -> DigestCredentials {
        let scanned = try DigestHeaderScanner.scan(headerValue)
        guard scanned.count == 1, let only = scanned.first else {
            throw SIPParseError("expected one set of credentials, found \(scanned.count)",
                                column: scanned.count > 1 ? scanned[1].column : 0)
        }
        guard only.isDigest else {
            throw SIPParseError("expected Digest credentials, found scheme '\(only.scheme)'", column: only.column)
        }

        var credentials = DigestCredentials(username: "", realm: "", nonce: "", uri: "", response: "")
        var username: String?
        var realm: String?
        var nonce: String?
        var uri: String?
        var response: String?
        var extendedUsernameColumn: Int?
        for parameter in only.parameters {
            switch parameter.lowercasedName {
            case "username":
                username = parameter.value
            case "username*":
                guard !parameter.isQuoted, let decoded = decodeExtValue(parameter.value) else {
                    throw SIPParseError("username* is not a UTF-8 ext-value (RFC 8187)", column: parameter.column)
                }
                username = decoded
                extendedUsernameColumn = parameter.column
            case "realm":
                realm = parameter.value
            case "nonce":
                nonce = parameter.value
            case "uri":
                uri = parameter.value
            case "response":
                response = parameter.value
            case "algorithm":
                credentials.algorithm = DigestAlgorithm(token: parameter.value)
            case "cnonce":
                credentials.cnonce = parameter.value
            case "opaque":
                credentials.opaque = parameter.value
            case "qop":
                guard DigestHeaderWriter.isToken(parameter.value) else {
                    throw SIPParseError("qop is not a token", column: parameter.column)
                }
                credentials.qop = DigestQop(token: parameter.value)
            case "nc":
                guard let count = DigestHex.parseNonceCount(parameter.value) else {
                    throw SIPParseError("nc must be exactly eight hex digits", column: parameter.column)
                }
                credentials.nonceCount = count
            case "userhash":
                credentials.userhash = parameter.value.lowercased() == "true"
            default:
                credentials.extensionParameters.append(parameter.authParameter)
            }
        }
        if let column = extendedUsernameColumn,
           only.parameters.contains(where: { $0.lowercasedName == "username" }) {
            throw SIPParseError("both username and username* present", column: column)
        }
        func required(_ value: String?, _ name: String) throws -> String {
            guard let value else {
                throw SIPParseError("Digest credentials have no \(name)", column: only.column)
            }
            return value
        }
        credentials.username = try required(username, "username")
        credentials.realm = try required(realm, "realm")
        credentials.nonce = try required(nonce, "nonce")
        credentials.uri = try required(uri, "uri")
        credentials.response = try required(response, "response")
        return credentials
    }

    /// The header value, quoted as RFC 3261 §25 has it: username, realm, nonce, uri, response, cnonce
    /// and opaque quoted; algorithm, qop, nc and userhash bare. A username that cannot be quoted (it
    /// holds a line break) is sent as RFC 7616 `username*`. Throws when another field cannot be carried.
    public func serialized() throws -> String {
        var writer = DigestHeaderWriter(scheme: "Digest")
        if username.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
            writer.raw("username*", Self.encodeExtValue(username))
        } else {
            try writer.quoted("username", username)
        }
        try writer.quoted("realm", realm)
        try writer.quoted("nonce", nonce)
        try writer.quoted("uri", uri)
        try writer.quoted("response", response)
        if let algorithm {
            try writer.token("algorithm", algorithm.token)
        }
        if let cnonce {
            try writer.quoted("cnonce", cnonce)
        }
        if let opaque {
            try writer.quoted("opaque", opaque)
        }
        if let qop {
            try writer.token("qop", qop.token)
        }
        if let nonceCount {
            writer.raw("nc", DigestHex.nonceCount(nonceCount))
        }
        if userhash {
            try writer.token("userhash", "true")
        }
        for parameter in extensionParameters {
            try writer.parameter(parameter)
        }
        return writer.value
    }

    // MARK: - RFC 8187 ext-value (UTF-8 only)

    // `UTF-8'[language]'percent-encoded` to text; nil for another charset or bad encoding.
    private static func decodeExtValue(_ text: String) -> String? {
        let parts = text.utf8.split(separator: UInt8(ascii: "'"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3,
              String(decoding: parts[0], as: UTF8.self).lowercased() == "utf-8" else { return nil }
        var bytes: [UInt8] = []
        var iterator = parts[2].makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(DigestHex.nibble), let low = iterator.next().flatMap(DigestHex.nibble) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else if isAttrChar(byte) {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        let decoded = String(decoding: bytes, as: UTF8.self)
        // Invalid UTF-8 would have been repaired with U+FFFD, changing the bytes.
        guard decoded.utf8.elementsEqual(bytes) else { return nil }
        return decoded
    }

    // `UTF-8''` followed by the percent-encoded UTF-8 of `text`.
    private static func encodeExtValue(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = Array("UTF-8''".utf8)
        for byte in text.utf8 {
            if isAttrChar(byte) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // RFC 8187 attr-char.
    private static func isAttrChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
             UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
