// DigestVerifier: the UAS / registrar / proxy side of digest authentication, RFC 7616 §3.6 and §5.5 with RFC 3261 §22.3-§22.4.

/// Checks Authorization / Proxy-Authorization credentials against the challenge the server issued.
/// Nonce generation and lifetime, and remembering the last nc per nonce, stay with the caller.
public struct DigestVerifier: Sendable, Hashable {
    /// The realm challenged.
    public var realm: String
    /// The nonce currently valid; credentials for another nonce yield `.stale` or `.rejected`.
    public var nonce: String
    /// The opaque value issued, which must come back unchanged; nil when none was issued.
    public var opaque: String?
    /// The algorithms offered (several when several challenges shared the nonce).
    public var algorithms: [DigestAlgorithm]
    /// The qop values offered; empty means RFC 2069 mode where credentials must carry no qop.
    public var qopOptions: [DigestQop]

    /// A verifier for the given challenge parameters.
    public init(realm: String, nonce: String, opaque: String? = nil, algorithms: [DigestAlgorithm] = [.md5],
                qopOptions: [DigestQop] = [.auth]) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithms = algorithms
        self.qopOptions = qopOptions
    }

    /// A verifier for exactly what `challenge` offered.
    public init(issued challenge: DigestChallenge) {
        self.init(realm: challenge.realm, nonce: challenge.nonce, opaque: challenge.opaque,
                  algorithms: [challenge.effectiveAlgorithm], qopOptions: challenge.qopOptions)
    }

    /// Verifies `credentials` for a request with `method` and `body`.
    ///
    /// - Parameters:
    ///   - username: the account's real username. Required when the credentials carry a userhash;
    ///     when given, the credentials must name this account. When nil, `credentials.username` is used.
    ///   - secret: the account's password or stored HA1.
    ///   - requestURI: when given, the digest-uri must equal it exactly.
    ///   - lastNonceCount: the highest nc already accepted for this nonce (0 if none); `nc` must exceed it.
    /// - Returns: `.accepted` with the nc to remember, `.stale` when only the nonce is outdated, or `.rejected`.
    ///   The response is compared in constant time.
    public func verify(
        _ credentials: DigestCredentials,
        username: String? = nil,
        secret: DigestSecret,
        method: String,
        body: [UInt8] = [],
        requestURI: String? = nil,
        lastNonceCount: UInt32 = 0
    ) -> DigestVerification {
        guard credentials.realm == realm else { return .rejected(.realmMismatch) }

        let algorithm = credentials.effectiveAlgorithm
        guard algorithms.contains(algorithm) else { return .rejected(.algorithmNotOffered) }
        guard let kind = algorithm.hashKind else { return .rejected(.unsupportedAlgorithm) }

        if let qop = credentials.qop {
            guard qopOptions.contains(qop), qop.isSupported else { return .rejected(.qopNotOffered) }
            guard let cnonce = credentials.cnonce, !cnonce.isEmpty else { return .rejected(.missingCnonce) }
            guard credentials.nonceCount != nil else { return .rejected(.missingNonceCount) }
        } else {
            guard qopOptions.isEmpty else { return .rejected(.qopRequired) }
        }
        if algorithm.isSession, credentials.cnonce?.isEmpty ?? true {
            return .rejected(.missingCnonce)
        }
        if let requestURI, credentials.uri != requestURI {
            return .rejected(.uriMismatch)
        }

        let account: String
        if credentials.userhash {
            guard let username else { return .rejected(.unresolvedUserhash) }
            let expected = kind.hex(joining: [username, realm])
            guard DigestConstantTime.equalIgnoringASCIICase(expected, credentials.username) else {
                return .rejected(.usernameMismatch)
            }
            account = username
        } else {
            if let username, username != credentials.username { return .rejected(.usernameMismatch) }
            account = credentials.username
        }
        guard secret.ha1(username: account, realm: realm, kind: kind) != nil else {
            return .rejected(.secretNotUsable)
        }

        let isCurrentNonce = credentials.nonce == nonce
        if isCurrentNonce {
            guard credentials.opaque == opaque else { return .rejected(.opaqueMismatch) }
            if credentials.qop != nil, let count = credentials.nonceCount, count <= lastNonceCount {
                return .rejected(.nonceCountReplayed)
            }
        }

        let expected: String
        do {
            expected = try DigestCalculator.response(DigestCalculator.Input(
                algorithm: algorithm, username: account, realm: realm, secret: secret, method: method,
                uri: credentials.uri, nonce: credentials.nonce, cnonce: credentials.cnonce,
                nonceCount: credentials.nonceCount, qop: credentials.qop, body: body))
        } catch {
            return .rejected(.wrongResponse)
        }
        guard DigestConstantTime.equalIgnoringASCIICase(expected, credentials.response) else {
            return .rejected(.wrongResponse)
        }
        return isCurrentNonce ? .accepted(nonceCount: credentials.nonceCount) : .stale
    }
}
