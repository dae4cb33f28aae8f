// SIPHeaderName: header field names, case-insensitive, with the compact forms of RFC 3261 §7.3.3 and §20.

/// A header name normalised to its lower-case long form, so `v`, `Via` and `VIA` are one name.
public struct SIPHeaderName: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Lower-case long form, e.g. "call-id".
    public let key: String

    public init(_ name: String) {
        let lower = name.asciiLowercased
        self.key = SIPHeaderName.compact[lower] ?? lower
    }
    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { SIPHeaderName.display[key] ?? key }
    /// The conventional spelling for a header the box writes ("Call-ID", "WWW-Authenticate").
    public var canonicalSpelling: String { description }

    /// Compact forms (RFC 3261 §7.3.3 and the extensions that define one).
    static let compact: [String: String] = [
        "i": "call-id", "m": "contact", "e": "content-encoding", "l": "content-length", "c": "content-type",
        "f": "from", "s": "subject", "k": "supported", "t": "to", "v": "via", "o": "event", "r": "refer-to",
        "b": "referred-by", "u": "allow-events", "x": "session-expires", "y": "identity", "a": "accept-contact",
        "j": "reject-contact", "d": "request-disposition",
    ]

    static let display: [String: String] = {
        var d: [String: String] = [:]
        for n in ["Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards", "Contact", "Route", "Record-Route", "Path",
                  "Expires", "Min-Expires", "Allow", "Supported", "Require", "Unsupported", "Proxy-Require",
                  "Content-Type", "Content-Length", "Content-Encoding", "Content-Disposition", "Accept",
                  "WWW-Authenticate", "Proxy-Authenticate", "Authorization", "Proxy-Authorization",
                  "P-Asserted-Identity", "P-Preferred-Identity", "Privacy", "Diversion", "History-Info", "Reason",
                  "Session-Expires", "Min-SE", "RSeq", "RAck", "Retry-After", "User-Agent", "Server", "Warning",
                  "Subject", "Event", "Refer-To", "Referred-By", "Allow-Events", "Date", "Timestamp",
                  "P-Called-Party-ID", "Accept-Encoding", "Accept-Language", "Organization", "Priority"] {
            d[n.asciiLowercased] = n
        }
        return d
    }()

    public static let via: SIPHeaderName = "via"
    public static let from: SIPHeaderName = "from"
    public static let to: SIPHeaderName = "to"
    public static let callID: SIPHeaderName = "call-id"
    public static let cseq: SIPHeaderName = "cseq"
    public static let maxForwards: SIPHeaderName = "max-forwards"
    public static let contact: SIPHeaderName = "contact"
    public static let route: SIPHeaderName = "route"
    public static let recordRoute: SIPHeaderName = "record-route"
    public static let path: SIPHeaderName = "path"
    public static let expires: SIPHeaderName = "expires"
    public static let minExpires: SIPHeaderName = "min-expires"
    public static let allow: SIPHeaderName = "allow"
    public static let supported: SIPHeaderName = "supported"
    public static let require: SIPHeaderName = "require"
    public static let unsupported: SIPHeaderName = "unsupported"
    public static let proxyRequire: SIPHeaderName = "proxy-require"
    public static let contentType: SIPHeaderName = "content-type"
    public static let contentLength: SIPHeaderName = "content-length"
    public static let accept: SIPHeaderName = "accept"
    public static let wwwAuthenticate: SIPHeaderName = "www-authenticate"
    public static let proxyAuthenticate: SIPHeaderName = "proxy-authenticate"
    public static let authorization: SIPHeaderName = "authorization"
    public static let proxyAuthorization: SIPHeaderName = "proxy-authorization"
    public static let pAssertedIdentity: SIPHeaderName = "p-asserted-identity"
    public static let pPreferredIdentity: SIPHeaderName = "p-preferred-identity"
    public static let pCalledPartyID: SIPHeaderName = "p-called-party-id"
    public static let privacy: SIPHeaderName = "privacy"
    public static let diversion: SIPHeaderName = "diversion"
    public static let historyInfo: SIPHeaderName = "history-info"
    public static let reason: SIPHeaderName = "reason"
    public static let sessionExpires: SIPHeaderName = "session-expires"
    public static let minSE: SIPHeaderName = "min-se"
    public static let rseq: SIPHeaderName = "rseq"
    public static let rack: SIPHeaderName = "rack"
    public static let retryAfter: SIPHeaderName = "retry-after"
    public static let userAgent: SIPHeaderName = "user-agent"
    public static let server: SIPHeaderName = "server"
    public static let warning: SIPHeaderName = "warning"
}
