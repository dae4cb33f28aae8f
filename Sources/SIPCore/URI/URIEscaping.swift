// URIEscaping: %HH escapes in URI components (RFC 3261 §19.1.2, §25.1 "escaped").

public enum URIEscaping {
    /// Decodes every %HH escape. Invalid escapes are left as written (parsing already refused them in URIs).
    public static func unescape(_ s: String) -> String {
        guard s.utf8.contains(ASCII.percent) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == ASCII.percent, it.count >= 2, let h = it[it.startIndex].hexValue, let l = it[it.startIndex + 1].hexValue {
                out.append(h << 4 | l)
                it = it.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes every byte not in `allowed` (and '%' itself) as %HH, upper-case hex.
    static func escape(_ s: String, allowed: SIPCharClass) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in s.utf8 {
            if b != ASCII.percent, b.isIn(allowed) {
                out.append(b)
            } else {
                out.append(ASCII.percent); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes a user part: unreserved and user-unreserved stay, everything else is %HH.
    public static func escapeUser(_ s: String) -> String { escape(s, allowed: [.unreserved, .userUnreserved]) }
    /// Escapes a URI parameter name or value.
    public static func escapeParameter(_ s: String) -> String { escape(s, allowed: [.unreserved, .paramUnreserved]) }
    /// Escapes a URI header name or value.
    public static func escapeHeader(_ s: String) -> String { escape(s, allowed: [.unreserved, .headerUnreserved]) }
}

extension SIPScanner {
    /// Consumes bytes of `cls` or valid %HH escapes up to `limit`; refuses a bad escape.
    mutating func takeEscaped(_ cls: SIPCharClass, limit: Int) throws(SIPParseError) -> Range<Int> {
        let start = pos
        while pos < limit {
            let b = bytes[pos]
            if b == ASCII.percent {
                guard pos + 2 < limit, bytes[pos + 1].hexValue != nil, bytes[pos + 2].hexValue != nil else {
                    throw error("invalid %-escape")
                }
                pos += 3
            } else if b.isIn(cls) {
                pos += 1
            } else {
                break
            }
        }
        return start..<pos
    }
}
