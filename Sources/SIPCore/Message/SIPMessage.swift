// SIPMessage: a SIP request or response (RFC 3261 §7): start line, ordered header fields, body bytes.

public struct SIPMessage: Sendable, Hashable {
    public enum StartLine: Sendable, Hashable {
        case request(method: SIPMethod, uri: URI)
        case response(code: Int, reason: String)
    }

    public var startLine: StartLine
    /// "SIP/2.0"; parsing refuses any other version.
    public var version: String
    public var headers: SIPHeaders
    /// The body exactly as received; serializing writes a Content-Length that matches it.
    public var body: [UInt8]

    public init(startLine: StartLine, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = [], version: String = "SIP/2.0") {
        self.startLine = startLine
        self.version = version
        self.headers = headers
        self.body = body
    }

    public static func request(_ method: SIPMethod, _ uri: URI, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) -> SIPMessage {
        SIPMessage(startLine: .request(method: method, uri: uri), headers: headers, body: body)
    }

    public var isRequest: Bool { if case .request = startLine { return true }; return false }
    public var method: SIPMethod? { if case .request(let m, _) = startLine { return m }; return nil }
    public var requestURI: URI? { if case .request(_, let u) = startLine { return u }; return nil }
    public var statusCode: Int? { if case .response(let c, _) = startLine { return c }; return nil }
    public var reasonPhrase: String? { if case .response(_, let r) = startLine { return r }; return nil }

    /// A response to this request per RFC 3261 §8.2.6: Via, From, To, Call-ID and CSeq copied, a To tag
    /// added when `toTag` is given and To has none (never on 100 Trying).
    public func response(_ code: Int, _ reason: String? = nil, toTag: String? = nil) -> SIPMessage {
        var h = SIPHeaders()
        for f in headers where f.key == .via || f.key == .from || f.key == .to || f.key == .callID || f.key == .cseq {
            if f.key == .to, code > 100, let toTag, var to = (try? headers.to) ?? nil, to.tag == nil {
                to.tag = toTag
                h.append(SIPHeaderField(name: f.name, key: .to, value: to.description))
            } else {
                h.append(f)
            }
        }
        return SIPMessage(startLine: .response(code: code, reason: reason ?? SIPStatus.reasonPhrase(code)), headers: h)
    }
}

/// Standard reason phrases (RFC 3261 §21 and extensions).
public enum SIPStatus {
    public static func reasonPhrase(_ code: Int) -> String {
        switch code {
        case 100: return "Trying"
        case 180: return "Ringing"
        case 181: return "Call Is Being Forwarded"
        case 182: return "Queued"
        case 183: return "Session Progress"
        case 200: return "OK"
        case 202: return "Accepted"
        case 300: return "Multiple Choices"
        case 301: return "Moved Permanently"
        case 302: return "Moved Temporarily"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 407: return "Proxy Authentication Required"
        case 408: return "Request Timeout"
        case 413: return "Request Entity Too Large"
        case 415: return "Unsupported Media Type"
        case 416: return "Unsupported URI Scheme"
        case 420: return "Bad Extension"
        case 421: return "Extension Required"
        case 422: return "Session Interval Too Small"
        case 423: return "Interval Too Brief"
        case 480: return "Temporarily Unavailable"
        case 481: return "Call/Transaction Does Not Exist"
        case 482: return "Loop Detected"
        case 483: return "Too Many Hops"
        case 484: return "Address Incomplete"
        case 486: return "Busy Here"
        case 487: return "Request Terminated"
        case 488: return "Not Acceptable Here"
        case 491: return "Request Pending"
        case 500: return "Server Internal Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Server Time-out"
        case 505: return "Version Not Supported"
        case 513: return "Message Too Large"
        case 600: return "Busy Everywhere"
        case 603: return "Decline"
        case 604: return "Does Not Exist Anywhere"
        case 606: return "Not Acceptable"
        default: return "Unknown"
        }
    }
}
