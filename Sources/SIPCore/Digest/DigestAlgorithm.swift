// DigestAlgorithm: the digest `algorithm` parameter values of RFC 7616 §3.3 and §6.1, as used in SIP by RFC 8760.

/// A digest algorithm token. Parsing never fails: tokens outside the registry become `.other`.
public enum DigestAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// "MD5", the default when a challenge names no algorithm (RFC 2617, RFC 3261).
    case md5
    /// "MD5-sess".
    case md5Sess
    /// "SHA-256" (RFC 7616, RFC 8760).
    case sha256
    /// "SHA-256-sess".
    case sha256Sess
    /// "SHA-512-256": recognised, but not supported by this implementation.
    case sha512_256
    /// "SHA-512-256-sess": recognised, but not supported by this implementation.
    case sha512_256Sess
    /// Any other token, kept as received.
    case other(String)

    /// Maps a token case-insensitively onto a known algorithm, or `.other`.
    public init(token: String) {
        switch token.lowercased() {
        case "md5": self = .md5
        case "md5-sess": self = .md5Sess
        case "sha-256": self = .sha256
        case "sha-256-sess": self = .sha256Sess
        case "sha-512-256": self = .sha512_256
        case "sha-512-256-sess": self = .sha512_256Sess
        default: self = .other(token)
        }
    }

    /// The registered spelling (RFC 7616 §6.1), or the received token for `.other`.
    public var token: String {
        switch self {
        case .md5: "MD5"
        case .md5Sess: "MD5-sess"
        case .sha256: "SHA-256"
        case .sha256Sess: "SHA-256-sess"
        case .sha512_256: "SHA-512-256"
        case .sha512_256Sess: "SHA-512-256-sess"
        case .other(let token): token
        }
    }

    /// The registered spelling, as `token`.
    public var description: String { token }

    /// True for the "-sess" variants, whose A1 also covers the nonce and cnonce (RFC 7616 §3.4.2).
    public var isSession: Bool {
        switch self {
        case .md5Sess, .sha256Sess, .sha512_256Sess: true
        case .md5, .sha256, .sha512_256: false
        case .other(let token): token.lowercased().hasSuffix("-sess")
        }
    }

    /// True when this implementation can compute responses with the algorithm (MD5 and SHA-256 families).
    public var isSupported: Bool { hashKind != nil }

    /// Preference rank for choosing among challenges: higher is stronger, 0 means unusable.
    public var strength: Int {
        switch self {
        case .sha256, .sha256Sess: 2
        case .md5, .md5Sess: 1
        case .sha512_256, .sha512_256Sess, .other: 0
        }
    }

    /// H(text) as lowercase hex, or nil when the algorithm is not supported.
    public func hexDigest(_ text: String) -> String? {
        hashKind?.hex(joining: [text])
    }

    /// The RFC 7616 §3.4.4 userhash, H(username ":" realm), or nil when the algorithm is not supported.
    public func userhash(username: String, realm: String) -> String? {
        hashKind?.hex(joining: [username, realm])
    }

    var hashKind: DigestHashKind? {
        switch self {
        case .md5, .md5Sess: .md5
        case .sha256, .sha256Sess: .sha256
        case .sha512_256, .sha512_256Sess, .other: nil
        }
    }
}
