// DigestChallenge: a Digest challenge from WWW-Authenticate / Proxy-Authenticate, RFC 7616 §3.3 with RFC 3261 §25 (digest-cln) and RFC 8760.

/// A parsed (or to-be-issued) Digest challenge.
public struct DigestChallenge: Sendable, Hashable {
    /// The protection space; required.
    public var realm: String
    /// URIs in the protection space (`domain`, space-separated on the wire); empty when absent.
    public var domain: [String]
    /// The server nonce; required.
    public var nonce: String
    /// Opaque server data to be echoed back unchanged; nil when absent (an empty string is kept distinct).
    public var opaque: String?
    /// True when the previous request was refused only because its nonce had expired (RFC 7616 §3.3).
    public var stale: Bool
    /// The algorithm as sent; nil when the challenge named none, which means MD5.
    public var algorithm: DigestAlgorithm?
    /// The offered `qop` values in server order; empty when the challenge offered none (RFC 2069 mode).
    public var qopOptions: [DigestQop]
    /// True when the server asks for the username to be hashed (RFC 7616 §3.4.4).
    public var userhash: Bool
    /// The `charset` parameter as sent (RFC 7616 allows only "UTF-8"); nil when absent.
    public var charset: String?
    /// Parameters not interpreted here, in the order received.
    public var extensionParameters: [DigestAuthParameter]

    /// A challenge to issue. RFC 7616 makes `qop` mandatory, hence the default of `[.auth]`.
    public init(
        realm: String,
        nonce: String,
        opaque: String? = nil,
        algorithm: DigestAlgorithm? = nil,
        qopOptions: [DigestQop] = [.auth],
        stale: Bool = false,
        domain: [String] = [],
        userhash: Bool = false,
        charset: String? = nil,
        extensionParameters: [DigestAuthParameter] = []
    ) {
        self.realm = realm
        self.domain = domain
        self.nonce = nonce
        self.opaque = opaque
        self.stale = stale
        self.algorithm = algorithm
        self.qopOptions = qopOptions
        self.userhash = userhash
        self.charset = charset
        self.extensionParameters = extensionParameters
    }

    /// The algorithm in force: the one named, or MD5 when none was.
    public var effectiveAlgorithm: DigestAlgorithm { algorithm ?? .md5 }

    /// True when a response can be computed: a supported algorithm, a supported qop (or none offered)
    /// and no charset other than UTF-8.
    public var isSupported: Bool {
        guard effectiveAlgorithm.isSupported else { return false }
        if let charset, charset.lowercased() != "utf-8" { return false }
        return qopOptions.isEmpty || qopOptions.contains { $0.isSupported }
    }

    /// Parses a header value holding exactly one Digest challenge, such as
    /// `Digest realm="atlanta.example.com", nonce="84a4cc6f", qop="auth"`.
    /// Throws for other schemes, several challenges, or malformed input.
    public static func parse(_ headerValue: String) throws -> DigestChallenge {
        switch try DigestAuthChallenge.parse(headerValue) {
        case .digest(let challenge):
            return challenge
        case .other(let scheme, _, _):
            throw SIPParseError("expected a Digest challenge, found scheme '\(scheme)'", column: 1)
        }
    }

    /// The strongest supported Digest challenge (SHA-256 family over MD5 family, RFC 8760);
    /// among equals the first, i.e. the server's order. Nil when none is usable.
    public static func preferred(from challenges: [DigestAuthChallenge]) -> DigestChallenge? {
        preferred(among: challenges.compactMap(\.digest))
    }

    /// The strongest supported challenge in `challenges`, first wins ties; nil when none is usable.
    public static func preferred(among challenges: [DigestChallenge]) -> DigestChallenge? {
        var best: DigestChallenge?
        for candidate in challenges where candidate.isSupported {
            if let current = best, current.effectiveAlgorithm.strength >= candidate.effectiveAlgorithm.strength {
                continue
            }
            best = candidate
        }
        return best
    }

    /// The header value, e.g. `Digest realm="x", nonce="y", algorithm=SHA-256, qop="auth"`.
    /// Throws when a field cannot be represented (line breaks, non-token tokens, blank domain entries).
    public func serialized() throws -> String {
        var writer = DigestHeaderWriter(scheme: "Digest")
        try writer.quoted("realm", realm)
        if !domain.isEmpty {
            for uri in domain where uri.isEmpty || uri.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 }) {
                throw SIPParseError("domain entry '\(uri)' is empty or contains whitespace")
            }
            try writer.quoted("domain", domain.joined(separator: " "))
        }
        try writer.quoted("nonce", nonce)
        if let opaque {
            try writer.quoted("opaque", opaque)
        }
        if stale {
            try writer.token("stale", "true")
        }
        if let algorithm {
            try writer.token("algorithm", algorithm.token)
        }
        if !qopOptions.isEmpty {
            for option in qopOptions where !DigestHeaderWriter.isToken(option.token) {
                throw SIPParseError("qop option '\(option.token)' is not a token")
            }
            try writer.quoted("qop", qopOptions.map(\.token).joined(separator: ","))
        }
        if let charset {
            try writer.token("charset", charset)
        }
        if userhash {
            try writer.token("userhash", "true")
        }
        for parameter in extensionParameters {
            try writer.parameter(parameter)
        }
        return writer.value
    }

    // Builds a challenge from scanned auth-params; the scheme has already been checked.
    init(scanned: DigestHeaderScanner.Challenge) throws {
        var realm: String?
        var nonce: String?
        self.init(realm: "", nonce: "", qopOptions: [])
        for parameter in scanned.parameters {
            switch parameter.lowercasedName {
            case "realm":
                realm = parameter.value
            case "nonce":
                nonce = parameter.value
            case "domain":
                domain = parameter.value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            case "opaque":
                opaque = parameter.value
            case "stale":
                stale = parameter.value.lowercased() == "true"
            case "algorithm":
                algorithm = DigestAlgorithm(token: parameter.value)
            case "qop":
                qopOptions = try Self.parseQopOptions(parameter)
            case "userhash":
                userhash = parameter.value.lowercased() == "true"
            case "charset":
                charset = parameter.value
            default:
                extensionParameters.append(parameter.authParameter)
            }
        }
        guard let realm else {
            throw SIPParseError("Digest challenge has no realm", column: scanned.column)
        }
        guard let nonce else {
            throw SIPParseError("Digest challenge has no nonce", column: scanned.column)
        }
        guard !nonce.isEmpty else {
            throw SIPParseError("Digest challenge has an empty nonce", column: scanned.column)
        }
        self.realm = realm
        self.nonce = nonce
    }

    // `qop="auth,auth-int"`: a comma-separated token list inside the quotes.
    private static func parseQopOptions(_ parameter: DigestHeaderScanner.Parameter) throws -> [DigestQop] {
        var options: [DigestQop] = []
        for item in parameter.value.split(separator: ",", omittingEmptySubsequences: true) {
            let token = DigestHeaderScanner.trimmingWhitespace(item)
            if token.isEmpty { continue }
            guard DigestHeaderWriter.isToken(token) else {
                throw SIPParseError("qop option '\(token)' is not a token", column: parameter.column)
            }
            options.append(DigestQop(token: token))
        }
        guard !options.isEmpty else {
            throw SIPParseError("qop lists no options", column: parameter.column)
        }
        return options
    }
}
