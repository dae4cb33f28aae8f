// SIPHeaderName: header field names, case-insensitive, with the compact forms of RFC 3261 §7.3.3 and §20.
// The known-name table below is generated (one code per name) so lookups need no hashing.

/// A header name normalised to its lower-case long form, so `v`, `Via` and `VIA` are one name.
/// Names the box knows carry a small code, so comparing them is an integer compare.
public struct SIPHeaderName: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The name as given for an unknown header (compared case-insensitively); unused for known ones.
    @usableFromInline let spelled: String
    /// 1...63 for a known name, 0 otherwise.
    @usableFromInline let code: UInt8

    @usableFromInline init(code: UInt8, key: String) {
        self.code = code
        self.spelled = key
    }

    /// Lower-case long form, e.g. "call-id".
    public var key: String { code != 0 ? SIPHeaderName.knownKey(code) : spelled.asciiLowercased }

    public init(_ name: String) {
        var name = name
        let code = name.withUTF8 { SIPHeaderName.lookup($0) }
        self.code = code
        self.spelled = code != 0 ? "" : name
    }
    public init(stringLiteral value: String) { self.init(value) }

    /// The name of the header spelled by these bytes (any case, compact forms expanded).
    static func from(bytes: UnsafeBufferPointer<UInt8>, spelled name: String) -> SIPHeaderName {
        let code = lookup(bytes)
        return SIPHeaderName(code: code, key: code != 0 ? "" : name)
    }

    @inlinable public static func == (a: SIPHeaderName, b: SIPHeaderName) -> Bool {
        (a.code | b.code) != 0 ? a.code == b.code : a.spelled.caseInsensitiveEquals(b.spelled)
    }

    public func hash(into hasher: inout Hasher) {
        if code != 0 {
            hasher.combine(code)
        } else {
            for b in spelled.utf8 { hasher.combine(b.asciiLowercased) }
        }
    }

    public var description: String { code != 0 ? SIPHeaderName.knownSpelling(code) : key }
    /// The conventional spelling for a header the box writes ("Call-ID", "WWW-Authenticate").
    public var canonicalSpelling: String { description }

    /// Case-insensitive match of token bytes against a lower-case literal. `| 0x20` folds letters and
    /// leaves every other token character unchanged (header names are validated as tokens first).
    @inline(__always)
    static func matches(_ b: UnsafeBufferPointer<UInt8>, _ lit: StaticString) -> Bool {
        let p = lit.utf8Start
        for i in 0..<b.count where b[i] | 0x20 != p[i] { return false }
        return true
    }

    static func lookup(_ b: UnsafeBufferPointer<UInt8>) -> UInt8 {
        switch b.count {
        case 1:
            switch b[0] | 0x20 {
            case UInt8(ascii: "a"): return 50  // accept-contact
            case UInt8(ascii: "b"): return 45  // referred-by
            case UInt8(ascii: "c"): return 18  // content-type
            case UInt8(ascii: "d"): return 52  // request-disposition
            case UInt8(ascii: "e"): return 20  // content-encoding
            case UInt8(ascii: "f"): return 2  // from
            case UInt8(ascii: "i"): return 4  // call-id
            case UInt8(ascii: "j"): return 51  // reject-contact
            case UInt8(ascii: "k"): return 14  // supported
            case UInt8(ascii: "l"): return 19  // content-length
            case UInt8(ascii: "m"): return 7  // contact
            case UInt8(ascii: "o"): return 43  // event
            case UInt8(ascii: "r"): return 44  // refer-to
            case UInt8(ascii: "s"): return 42  // subject
            case UInt8(ascii: "t"): return 3  // to
            case UInt8(ascii: "u"): return 46  // allow-events
            case UInt8(ascii: "v"): return 1  // via
            case UInt8(ascii: "x"): return 34  // session-expires
            case UInt8(ascii: "y"): return 49  // identity
            default: return 0
            }
        case 2:
            if matches(b, "to") { return 3 }
            return 0
        case 3:
            if matches(b, "via") { return 1 }
            return 0
        case 4:
            if matches(b, "from") { return 2 }
            if matches(b, "cseq") { return 5 }
            if matches(b, "path") { return 10 }
            if matches(b, "rseq") { return 36 }
            if matches(b, "rack") { return 37 }
            if matches(b, "date") { return 47 }
            return 0
        case 5:
            if matches(b, "route") { return 8 }
            if matches(b, "allow") { return 13 }
            if matches(b, "event") { return 43 }
            return 0
        case 6:
            if matches(b, "accept") { return 22 }
            if matches(b, "reason") { return 33 }
            if matches(b, "min-se") { return 35 }
            if matches(b, "server") { return 40 }
            return 0
        case 7:
            if matches(b, "call-id") { return 4 }
            if matches(b, "contact") { return 7 }
            if matches(b, "expires") { return 11 }
            if matches(b, "require") { return 15 }
            if matches(b, "privacy") { return 30 }
            if matches(b, "warning") { return 41 }
            if matches(b, "subject") { return 42 }
            return 0
        case 8:
            if matches(b, "refer-to") { return 44 }
            if matches(b, "identity") { return 49 }
            if matches(b, "priority") { return 56 }
            return 0
        case 9:
            if matches(b, "supported") { return 14 }
            if matches(b, "diversion") { return 31 }
            if matches(b, "timestamp") { return 48 }
            return 0
        case 10:
            if matches(b, "user-agent") { return 39 }
            return 0
        case 11:
            if matches(b, "min-expires") { return 12 }
            if matches(b, "unsupported") { return 16 }
            if matches(b, "retry-after") { return 38 }
            if matches(b, "referred-by") { return 45 }
            return 0
        case 12:
            if matches(b, "max-forwards") { return 6 }
            if matches(b, "record-route") { return 9 }
            if matches(b, "content-type") { return 18 }
            if matches(b, "history-info") { return 32 }
            if matches(b, "allow-events") { return 46 }
            if matches(b, "organization") { return 55 }
            return 0
        case 13:
            if matches(b, "proxy-require") { return 17 }
            if matches(b, "authorization") { return 25 }
            return 0
        case 14:
            if matches(b, "content-length") { return 19 }
            if matches(b, "accept-contact") { return 50 }
            if matches(b, "reject-contact") { return 51 }
            return 0
        case 15:
            if matches(b, "session-expires") { return 34 }
            if matches(b, "accept-encoding") { return 53 }
            if matches(b, "accept-language") { return 54 }
            return 0
        case 16:
            if matches(b, "content-encoding") { return 20 }
            if matches(b, "www-authenticate") { return 23 }
            return 0
        case 17:
            if matches(b, "p-called-party-id") { return 29 }
            return 0
        case 18:
            if matches(b, "proxy-authenticate") { return 24 }
            return 0
        case 19:
            if matches(b, "content-disposition") { return 21 }
            if matches(b, "proxy-authorization") { return 26 }
            if matches(b, "p-asserted-identity") { return 27 }
            if matches(b, "request-disposition") { return 52 }
            return 0
        case 20:
            if matches(b, "p-preferred-identity") { return 28 }
            return 0
        default: return 0
        }
    }

    static func knownKey(_ code: UInt8) -> String {
        switch code {
        case 1: return "via"
        case 2: return "from"
        case 3: return "to"
        case 4: return "call-id"
        case 5: return "cseq"
        case 6: return "max-forwards"
        case 7: return "contact"
        case 8: return "route"
        case 9: return "record-route"
        case 10: return "path"
        case 11: return "expires"
        case 12: return "min-expires"
        case 13: return "allow"
        case 14: return "supported"
        case 15: return "require"
        case 16: return "unsupported"
        case 17: return "proxy-require"
        case 18: return "content-type"
        case 19: return "content-length"
        case 20: return "content-encoding"
        case 21: return "content-disposition"
        case 22: return "accept"
        case 23: return "www-authenticate"
        case 24: return "proxy-authenticate"
        case 25: return "authorization"
        case 26: return "proxy-authorization"
        case 27: return "p-asserted-identity"
        case 28: return "p-preferred-identity"
        case 29: return "p-called-party-id"
        case 30: return "privacy"
        case 31: return "diversion"
        case 32: return "history-info"
        case 33: return "reason"
        case 34: return "session-expires"
        case 35: return "min-se"
        case 36: return "rseq"
        case 37: return "rack"
        case 38: return "retry-after"
        case 39: return "user-agent"
        case 40: return "server"
        case 41: return "warning"
        case 42: return "subject"
        case 43: return "event"
        case 44: return "refer-to"
        case 45: return "referred-by"
        case 46: return "allow-events"
        case 47: return "date"
        case 48: return "timestamp"
        case 49: return "identity"
        case 50: return "accept-contact"
        case 51: return "reject-contact"
        case 52: return "request-disposition"
        case 53: return "accept-encoding"
        case 54: return "accept-language"
        case 55: return "organization"
        case 56: return "priority"
        default: return ""
        }
    }

    static func knownSpelling(_ code: UInt8) -> String {
        switch code {
        case 1: return "Via"
        case 2: return "From"
        case 3: return "To"
        case 4: return "Call-ID"
        case 5: return "CSeq"
        case 6: return "Max-Forwards"
        case 7: return "Contact"
        case 8: return "Route"
        case 9: return "Record-Route"
        case 10: return "Path"
        case 11: return "Expires"
        case 12: return "Min-Expires"
        case 13: return "Allow"
        case 14: return "Supported"
        case 15: return "Require"
        case 16: return "Unsupported"
        case 17: return "Proxy-Require"
        case 18: return "Content-Type"
        case 19: return "Content-Length"
        case 20: return "Content-Encoding"
        case 21: return "Content-Disposition"
        case 22: return "Accept"
        case 23: return "WWW-Authenticate"
        case 24: return "Proxy-Authenticate"
        case 25: return "Authorization"
        case 26: return "Proxy-Authorization"
        case 27: return "P-Asserted-Identity"
        case 28: return "P-Preferred-Identity"
        case 29: return "P-Called-Party-ID"
        case 30: return "Privacy"
        case 31: return "Diversion"
        case 32: return "History-Info"
        case 33: return "Reason"
        case 34: return "Session-Expires"
        case 35: return "Min-SE"
        case 36: return "RSeq"
        case 37: return "RAck"
        case 38: return "Retry-After"
        case 39: return "User-Agent"
        case 40: return "Server"
        case 41: return "Warning"
        case 42: return "Subject"
        case 43: return "Event"
        case 44: return "Refer-To"
        case 45: return "Referred-By"
        case 46: return "Allow-Events"
        case 47: return "Date"
        case 48: return "Timestamp"
        case 49: return "Identity"
        case 50: return "Accept-Contact"
        case 51: return "Reject-Contact"
        case 52: return "Request-Disposition"
        case 53: return "Accept-Encoding"
        case 54: return "Accept-Language"
        case 55: return "Organization"
        case 56: return "Priority"
        default: return ""
        }
    }

    /// Every known name, for tests and tools.
    static var allKnown: [SIPHeaderName] { (1...56).map { SIPHeaderName(code: UInt8($0), key: knownKey(UInt8($0))) } }

    public static var via: SIPHeaderName { SIPHeaderName(code: 1, key: "via") }
    public static var from: SIPHeaderName { SIPHeaderName(code: 2, key: "from") }
    public static var to: SIPHeaderName { SIPHeaderName(code: 3, key: "to") }
    public static var callID: SIPHeaderName { SIPHeaderName(code: 4, key: "call-id") }
    public static var cseq: SIPHeaderName { SIPHeaderName(code: 5, key: "cseq") }
    public static var maxForwards: SIPHeaderName { SIPHeaderName(code: 6, key: "max-forwards") }
    public static var contact: SIPHeaderName { SIPHeaderName(code: 7, key: "contact") }
    public static var route: SIPHeaderName { SIPHeaderName(code: 8, key: "route") }
    public static var recordRoute: SIPHeaderName { SIPHeaderName(code: 9, key: "record-route") }
    public static var path: SIPHeaderName { SIPHeaderName(code: 10, key: "path") }
    public static var expires: SIPHeaderName { SIPHeaderName(code: 11, key: "expires") }
    public static var minExpires: SIPHeaderName { SIPHeaderName(code: 12, key: "min-expires") }
    public static var allow: SIPHeaderName { SIPHeaderName(code: 13, key: "allow") }
    public static var supported: SIPHeaderName { SIPHeaderName(code: 14, key: "supported") }
    public static var require: SIPHeaderName { SIPHeaderName(code: 15, key: "require") }
    public static var unsupported: SIPHeaderName { SIPHeaderName(code: 16, key: "unsupported") }
    public static var proxyRequire: SIPHeaderName { SIPHeaderName(code: 17, key: "proxy-require") }
    public static var contentType: SIPHeaderName { SIPHeaderName(code: 18, key: "content-type") }
    public static var contentLength: SIPHeaderName { SIPHeaderName(code: 19, key: "content-length") }
    public static var accept: SIPHeaderName { SIPHeaderName(code: 22, key: "accept") }
    public static var wwwAuthenticate: SIPHeaderName { SIPHeaderName(code: 23, key: "www-authenticate") }
    public static var proxyAuthenticate: SIPHeaderName { SIPHeaderName(code: 24, key: "proxy-authenticate") }
    public static var authorization: SIPHeaderName { SIPHeaderName(code: 25, key: "authorization") }
    public static var proxyAuthorization: SIPHeaderName { SIPHeaderName(code: 26, key: "proxy-authorization") }
    public static var pAssertedIdentity: SIPHeaderName { SIPHeaderName(code: 27, key: "p-asserted-identity") }
    public static var pPreferredIdentity: SIPHeaderName { SIPHeaderName(code: 28, key: "p-preferred-identity") }
    public static var pCalledPartyID: SIPHeaderName { SIPHeaderName(code: 29, key: "p-called-party-id") }
    public static var privacy: SIPHeaderName { SIPHeaderName(code: 30, key: "privacy") }
    public static var diversion: SIPHeaderName { SIPHeaderName(code: 31, key: "diversion") }
    public static var historyInfo: SIPHeaderName { SIPHeaderName(code: 32, key: "history-info") }
    public static var reason: SIPHeaderName { SIPHeaderName(code: 33, key: "reason") }
    public static var sessionExpires: SIPHeaderName { SIPHeaderName(code: 34, key: "session-expires") }
    public static var minSE: SIPHeaderName { SIPHeaderName(code: 35, key: "min-se") }
    public static var rseq: SIPHeaderName { SIPHeaderName(code: 36, key: "rseq") }
    public static var rack: SIPHeaderName { SIPHeaderName(code: 37, key: "rack") }
    public static var retryAfter: SIPHeaderName { SIPHeaderName(code: 38, key: "retry-after") }
    public static var userAgent: SIPHeaderName { SIPHeaderName(code: 39, key: "user-agent") }
    public static var server: SIPHeaderName { SIPHeaderName(code: 40, key: "server") }
    public static var warning: SIPHeaderName { SIPHeaderName(code: 41, key: "warning") }
    public static var subject: SIPHeaderName { SIPHeaderName(code: 42, key: "subject") }
    public static var event: SIPHeaderName { SIPHeaderName(code: 43, key: "event") }
    public static var referTo: SIPHeaderName { SIPHeaderName(code: 44, key: "refer-to") }
    public static var referredBy: SIPHeaderName { SIPHeaderName(code: 45, key: "referred-by") }
    public static var date: SIPHeaderName { SIPHeaderName(code: 47, key: "date") }
}
