// SIPCharacters: the character classes of the RFC 3261 §25.1 ABNF as a byte lookup table.

/// Bit flags per octet, so a class test is one load and one mask.
@usableFromInline
struct SIPCharClass: OptionSet, Sendable {
    @usableFromInline let rawValue: UInt16
    @inlinable init(rawValue: UInt16) { self.rawValue = rawValue }

    /// token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
    static let token = SIPCharClass(rawValue: 1 << 0)
    /// unreserved: alphanum / mark
    static let unreserved = SIPCharClass(rawValue: 1 << 1)
    /// user-unreserved: "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
    static let userUnreserved = SIPCharClass(rawValue: 1 << 2)
    /// password extras: "&" / "=" / "+" / "$" / ","
    static let passwordExtra = SIPCharClass(rawValue: 1 << 3)
    /// param-unreserved: "[" / "]" / "/" / ":" / "&" / "+" / "$"
    static let paramUnreserved = SIPCharClass(rawValue: 1 << 4)
    /// hnv-unreserved: "[" / "]" / "/" / "?" / ":" / "+" / "$"
    static let headerUnreserved = SIPCharClass(rawValue: 1 << 5)
    /// word: token plus "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}"
    static let word = SIPCharClass(rawValue: 1 << 6)
    /// Characters of a host name or IPv4 address.
    static let hostname = SIPCharClass(rawValue: 1 << 7)
    static let digit = SIPCharClass(rawValue: 1 << 8)
    static let hex = SIPCharClass(rawValue: 1 << 9)
    static let alpha = SIPCharClass(rawValue: 1 << 10)
    /// scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    static let scheme = SIPCharClass(rawValue: 1 << 11)
    /// SP / HTAB
    static let whitespace = SIPCharClass(rawValue: 1 << 12)
    /// reserved (RFC 3261 §25.1), allowed raw in a generic URI.
    static let reserved = SIPCharClass(rawValue: 1 << 13)

    /// One entry per octet: the classes it belongs to. A literal, so it is laid out at compile time
    /// (generated from the class definitions above; the test SIPCharactersTests checks it against them).
    @usableFromInline
    static let table: [UInt16] = [
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x1000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x1000, 0x0043, 0x0040, 0x0000, 0x203C, 0x0041, 0x201C, 0x0043, 0x0042, 0x0042, 0x0043, 0x287D, 0x200C, 0x08C3, 0x08C3, 0x2074,
        0x0BC3, 0x0BC3, 0x0BC3, 0x0BC3, 0x0BC3, 0x0BC3, 0x0BC3, 0x0BC3, 0x0BC3, 0x0BC3, 0x2070, 0x2004, 0x0040, 0x200C, 0x0040, 0x2064,
        0x2000, 0x0EC3, 0x0EC3, 0x0EC3, 0x0EC3, 0x0EC3, 0x0EC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3,
        0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0070, 0x0040, 0x0070, 0x0000, 0x0043,
        0x0041, 0x0EC3, 0x0EC3, 0x0EC3, 0x0EC3, 0x0EC3, 0x0EC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3,
        0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0CC3, 0x0040, 0x0000, 0x0040, 0x0043, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    ]
}

extension UInt8 {
    @inlinable func isIn(_ c: SIPCharClass) -> Bool { SIPCharClass.table[Int(self)] & c.rawValue != 0 }
    @inlinable var isSIPWhitespace: Bool { self == 0x20 || self == 0x09 }
    @inlinable var asciiLowercased: UInt8 { (self >= 0x41 && self <= 0x5A) ? self | 0x20 : self }
    @inlinable var hexValue: UInt8? {
        switch self {
        case 0x30...0x39: return self - 0x30
        case 0x41...0x46: return self - 0x41 + 10
        case 0x61...0x66: return self - 0x61 + 10
        default: return nil
        }
    }
}

enum ASCII {
    static let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A, sp: UInt8 = 0x20, tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A, semicolon: UInt8 = 0x3B, comma: UInt8 = 0x2C, equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, lt: UInt8 = 0x3C, gt: UInt8 = 0x3E
    static let slash: UInt8 = 0x2F, at: UInt8 = 0x40, question: UInt8 = 0x3F, amp: UInt8 = 0x26
    static let percent: UInt8 = 0x25, lbracket: UInt8 = 0x5B, rbracket: UInt8 = 0x5D, dot: UInt8 = 0x2E
    static let star: UInt8 = 0x2A, plus: UInt8 = 0x2B, lparen: UInt8 = 0x28, rparen: UInt8 = 0x29
}

extension String {
    /// Case-insensitive equality for ASCII protocol elements (header names, tokens, hosts).
    @inlinable func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }

    /// ASCII lower-casing that leaves non-ASCII bytes alone (unlike `lowercased()`, no Unicode tables).
    var asciiLowercased: String {
        var copy = self
        return copy.withUTF8 { b -> String in
            guard b.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return self }
            return String(unsafeUninitializedCapacity: b.count) { out in
                for i in 0..<b.count { out[i] = b[i].asciiLowercased }
                return b.count
            }
        }
    }
}
