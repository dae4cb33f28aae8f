// DigestClient: the UAC side of digest authentication, RFC 3261 §22.2-§22.4 with RFC 7616 §3.4 responses and RFC 8760 algorithms.

/// Answers Digest challenges for one account. Holds the password (redacted when printed) and a nonce
/// counter per realm. SIPCore has no random source, so the caller supplies each cnonce.
public struct DigestClient: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// What to do with a 401/407 challenge.
    public enum Assessment: Sendable, Hashable {
        /// No credentials for this realm went with the challenged request: answer the challenge.
        case respond
        /// The server marked our nonce stale and sent a fresh one: answer again with the same password.
        case retryWithNewNonce
        /// Our credentials for this realm were refused: the username or password is wrong; do not retry.
        case credentialsRejected
        /// The challenge cannot be answered (unsupported algorithm, qop or charset).
        case unsupported
    }

    /// The account's username (hashed on the wire when a challenge asks for userhash).
    public var username: String
    /// The password or stored HA1.
    public var secret: DigestSecret
    /// Choose qop=auth-int over qop=auth when a challenge offers both.
    public var prefersAuthInt: Bool

    private var counters: [String: DigestNonceCounter] = [:]
    private static let maximumTrackedRealms = 32

    /// A client for `username` with a plain password.
    public init(username: String, password: String, prefersAuthInt: Bool = false) {
        self.init(username: username, secret: .password(password), prefersAuthInt: prefersAuthInt)
    }

    /// A client for `username` with a password or a stored HA1.
    public init(username: String, secret: DigestSecret, prefersAuthInt: Bool = false) {
        self.username = username
        self.secret = secret
        self.prefersAuthInt = prefersAuthInt
    }

    /// Decides how to react to `challenge` (from a 401 or 407). `previous` is the credentials the
    /// challenged request carried, if any. A stale challenge with a fresh nonce is retried without asking
    /// for a new password; a non-stale re-challenge of the same realm means the credentials were refused.
    public func assess(_ challenge: DigestChallenge, previous: DigestCredentials?) -> Assessment {
        guard challenge.isSupported else { return .unsupported }
        guard let previous, previous.realm == challenge.realm else { return .respond }
        if challenge.stale && challenge.nonce != previous.nonce {
            return .retryWithNewNonce
        }
        return .credentialsRejected
    }

    /// Credentials answering `challenge` for a request with `method` and Request-URI `uri` (the
    /// digest-uri). `body` is hashed when qop=auth-int is chosen. Advances the realm's nonce count
    /// (restarting at 1 for a new nonce). Throws when the challenge cannot be answered.
    public mutating func authorize(
        _ challenge: DigestChallenge,
        method: String,
        uri: String,
        body: [UInt8] = [],
        cnonce: String
    ) throws -> DigestCredentials {
        let algorithm = challenge.effectiveAlgorithm
        guard algorithm.isSupported else {
            throw SIPParseError("digest algorithm \(algorithm.token) is not supported")
        }
        if let charset = challenge.charset, charset.lowercased() != "utf-8" {
            throw SIPParseError("charset \(charset) is not supported")
        }
        let qop = try chooseQop(challenge.qopOptions)
        let needsCnonce = qop != nil || algorithm.isSession
        if needsCnonce && cnonce.isEmpty {
            throw SIPParseError("an empty cnonce cannot be used")
        }

        var nonceCount: UInt32?
        var counter = counters[challenge.realm] ?? DigestNonceCounter()
        if qop != nil {
            nonceCount = try counter.next(for: challenge.nonce)
        }

        let response = try DigestCalculator.response(DigestCalculator.Input(
            algorithm: algorithm, username: username, realm: challenge.realm, secret: secret,
            method: method, uri: uri, nonce: challenge.nonce,
            cnonce: needsCnonce ? cnonce : nil, nonceCount: nonceCount, qop: qop, body: body))

        var wireUsername = username
        if challenge.userhash, let hashed = algorithm.userhash(username: username, realm: challenge.realm) {
            wireUsername = hashed
        }
        if qop != nil {
            if counters[challenge.realm] == nil && counters.count >= Self.maximumTrackedRealms {
                counters.removeAll()
            }
            counters[challenge.realm] = counter
        }
        return DigestCredentials(
            username: wireUsername, realm: challenge.realm, nonce: challenge.nonce, uri: uri,
            response: response, algorithm: challenge.algorithm, cnonce: needsCnonce ? cnonce : nil,
            opaque: challenge.opaque, qop: qop, nonceCount: nonceCount, userhash: challenge.userhash)
    }

    /// The nonce counter for `realm`, or nil when no qop response has been made in it.
    public func nonceCounter(forRealm realm: String) -> DigestNonceCounter? {
        counters[realm]
    }

    /// The request-digest (lowercase hex) for the given inputs; the building block of `authorize`.
    /// `cnonce` is needed with a qop or a -sess algorithm, `nonceCount` with a qop; `body` only
    /// matters for qop=auth-int. Throws for unsupported algorithms/qop or missing inputs.
    public static func response(
        algorithm: DigestAlgorithm,
        username: String,
        realm: String,
        secret: DigestSecret,
        method: String,
        uri: String,
        nonce: String,
        cnonce: String? = nil,
        nonceCount: UInt32? = nil,
        qop: DigestQop? = nil,
        body: [UInt8] = []
    ) throws -> String {
        try DigestCalculator.response(DigestCalculator.Input(
            algorithm: algorithm, username: username, realm: realm, secret: secret, method: method,
            uri: uri, nonce: nonce, cnonce: cnonce, nonceCount: nonceCount, qop: qop, body: body))
    }

    /// `DigestClient(username: "...", secret: ********)`.
    public var description: String {
        "DigestClient(username: \(String(reflecting: username)), secret: ********)"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// Username and a redacted secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["username": username, "secret": "********", "prefersAuthInt": prefersAuthInt],
               displayStyle: .struct)
    }

    private func chooseQop(_ options: [DigestQop]) throws -> DigestQop? {
        if options.isEmpty { return nil }
        let auth = options.contains(.auth)
        let authInt = options.contains(.authInt)
        if authInt && (prefersAuthInt || !auth) { return .authInt }
        if auth { return .auth }
        throw SIPParseError("none of the offered qop values (\(options.map(\.token).joined(separator: ","))) is supported")
    }
}
