// DigestAuthChallenge: one challenge of any scheme in a WWW-Authenticate / Proxy-Authenticate list, RFC 7235 §4.1 and RFC 3261 §25 (challenge).

/// A challenge: Digest, parsed in full, or another scheme kept as received.
public enum DigestAuthChallenge: Sendable, Hashable {
    /// A Digest challenge.
    case digest(DigestChallenge)
    /// Any other scheme (Basic, Bearer, Negotiate, ...), with either its token68 or its auth-params.
    case other(scheme: String, token68: String?, parameters: [DigestAuthParameter])

    /// The scheme name ("Digest" for `.digest`).
    public var scheme: String {
        switch self {
        case .digest: "Digest"
        case .other(let scheme, _, _): scheme
        }
    }

    /// The Digest challenge, or nil for another scheme.
    public var digest: DigestChallenge? {
        if case .digest(let challenge) = self { return challenge }
        return nil
    }

    /// Parses every challenge in one header value (RFC 7235 `1#challenge`), for example
    /// `Digest realm="a", nonce="1", algorithm=SHA-256, Digest realm="a", nonce="1", algorithm=MD5`.
    /// Values from several header fields can be parsed one by one and concatenated.
    public static func parseList(_ headerValue: String) throws -> [DigestAuthChallenge] {
        try DigestHeaderScanner.scan(headerValue).map(make)
    }

    /// Parses a header value that must hold exactly one challenge.
    public static func parse(_ headerValue: String) throws -> DigestAuthChallenge {
        let scanned = try DigestHeaderScanner.scan(headerValue)
        guard scanned.count == 1, let only = scanned.first else {
            throw SIPParseError("expected one challenge, found \(scanned.count)", column: scanned.count > 1 ? scanned[1].column : 0)
        }
        return try make(only)
    }

    /// The header value for this challenge.
    public func serialized() throws -> String {
        switch self {
        case .digest(let challenge):
            return try challenge.serialized()
        case .other(let scheme, let token68, let parameters):
            guard DigestHeaderWriter.isToken(scheme) else {
                throw SIPParseError("authentication scheme '\(scheme)' is not a token")
            }
            if let token68 {
                guard DigestHeaderScanner.isToken68(token68) else {
                    throw SIPParseError("token68 of scheme '\(scheme)' has characters outside the token68 alphabet")
                }
                return scheme + " " + token68
            }
            var writer = DigestHeaderWriter(scheme: scheme)
            for parameter in parameters {
                try writer.parameter(parameter)
            }
            return writer.value
        }
    }

    private static func make(_ scanned: DigestHeaderScanner.Challenge) throws -> DigestAuthChallenge {
        if scanned.isDigest {
            return .digest(try DigestChallenge(scanned: scanned))
        }
        return .other(scheme: scanned.scheme, token68: scanned.token68,
                      parameters: scanned.parameters.map(\.authParameter))
    }
}
