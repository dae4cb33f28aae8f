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

    @usableFromInline
    static let table: [SIPCharClass] = {
        var t = [SIPCharClass](repeating: [], count: 256)
        func add(_ chars: String, _ c: SIPCharClass) { for b in chars.utf8 { t[Int(b)].insert(c) } }
        let lower = "abcdefghijklmnopqrstuvwxyz", upper = lower.uppercased(), digits = "0123456789"
        let alnum = lower + upper + digits
        add(lower + upper, .alpha)
        add(digits, .digit)
        add(digits + "abcdefABCDEF", .hex)
        add(alnum + "-.!%*_+`'~", .token)
        add(alnum + "-_.!~*'()", .unreserved)
        add("&=+$,;?/", .userUnreserved)
        add("&=+$,", .passwordExtra)
        add("[]/:&+$", .paramUnreserved)
        add("[]/?:+$", .headerUnreserved)
        add(alnum + "-.!%*_+`'~()<>:\\\"/[]?{}", .word)
        add(alnum + "-.", .hostname)
        add(alnum + "+-.", .scheme)
        add(" \t", .whitespace)
        add(";/?:@&=+$,", .reserved)
        return t
    }()
}

extension UInt8 {
    @inlinable func isIn(_ c: SIPCharClass) -> Bool { !SIPCharClass.table[Int(self)].isDisjoint(with: c) }
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
        if !utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) { return self }
        return String(decoding: utf8.map { $0.asciiLowercased }, as: UTF8.self)
    }
}
