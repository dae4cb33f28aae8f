// DigestQop: the quality-of-protection values of RFC 7616 §3.3 / RFC 3261 §25 (qop-options and message-qop).

/// A `qop` value. Parsing never fails: unknown tokens become `.other`.
public enum DigestQop: Sendable, Hashable, CustomStringConvertible {
    /// "auth": authentication only.
    case auth
    /// "auth-int": authentication with integrity protection of the message body.
    case authInt
    /// Any other token, kept as received.
    case other(String)

    /// Maps a token case-insensitively onto `.auth`, `.authInt` or `.other`.
    public init(token: String) {
        switch token.lowercased() {
        case "auth": self = .auth
        case "auth-int": self = .authInt
        default: self = .other(token)
        }
    }

    /// The wire spelling.
    public var token: String {
        switch self {
        case .auth: "auth"
        case .authInt: "auth-int"
        case .other(let token): token
        }
    }

    /// The wire spelling, as `token`.
    public var description: String { token }

    /// True for `auth` and `auth-int`.
    public var isSupported: Bool {
        switch self {
        case .auth, .authInt: true
        case .other: false
        }
    }
}
