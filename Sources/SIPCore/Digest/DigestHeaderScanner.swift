// DigestHeaderScanner: tokenizer for challenge and credentials lists, RFC 7235 §2.1 / §4.1 with the RFC 3261 §25 LWS, token and quoted-string rules.

// Splits a WWW-Authenticate, Proxy-Authenticate, Authorization or Proxy-Authorization header value
// into challenges (scheme plus token68 or auth-params). Never traps; every refusal is a `SIPParseError`
// whose column is the 1-based UTF-8 offset within the value.
struct DigestHeaderScanner {
    // Header values longer than this are refused outright; real digest headers are a few hundred bytes.
    static let maximumLength = 8192

    struct Parameter {
        var name: String
        var lowercasedName: String
        var value: String
        var isQuoted: Bool
        // 1-based column of the value's first byte.
        var column: Int

        var authParameter: DigestAuthParameter {
            DigestAuthParameter(name: name, value: value, isQuoted: isQuoted)
        }
    }

    struct Challenge {
        var scheme: String
        var column: Int
        var token68: String?
        var parameters: [Parameter] = []
        let isDigest: Bool

        init(scheme: String, column: Int) {
            self.scheme = scheme
            self.column = column
            self.isDigest = scheme.caseInsensitiveEquals("digest")
        }
    }

    private let bytes: [UInt8]
    private var index = 0

    private init(_ value: String) {
        bytes = Array(value.utf8)
    }

    // All challenges (or credentials) in `value`, in order.
    static func scan(_ value: String) throws -> [Challenge] {
        guard value.utf8.count <= maximumLength else {
            throw SIPParseError("authentication header value is \(value.utf8.count) bytes, over the \(maximumLength)-byte limit")
        }
        var scanner = DigestHeaderScanner(value)
        return try scanner.scanList()
    }

    // MARK: - Grammar

    private mutating func scanList() throws -> [Challenge] {
        var challenges: [Challenge] = []
        skipSeparators()
        guard !atEnd else { throw error("empty authentication header value") }
        while !atEnd {
            challenges.append(try scanChallenge())
        }
        return challenges
    }

    // One challenge; on return the scanner is at the end or at the scheme of the next challenge.
    private mutating func scanChallenge() throws -> Challenge {
        let schemeColumn = column
        guard let scheme = readToken() else {
            throw error("expected an authentication scheme")
        }
        var challenge = Challenge(scheme: scheme, column: schemeColumn)
        let hadSpace = skipWhitespace()
        if atEnd || peek == UInt8(ascii: ",") {
            skipSeparators()
            return challenge
        }
        guard hadSpace else {
            throw error("expected whitespace after authentication scheme '\(scheme)'")
        }
        if !challenge.isDigest, let token68 = readToken68() {
            challenge.token68 = token68
            skipWhitespace()
            if !atEnd {
                guard peek == UInt8(ascii: ",") else { throw error("expected ',' after token68 credentials") }
                skipSeparators()
            }
            return challenge
        }

        while true {
            let parameter = try readParameter()
            // A handful of parameters: a linear look beats hashing.
            guard !challenge.parameters.contains(where: { $0.lowercasedName == parameter.lowercasedName }) else {
                throw SIPParseError("duplicate parameter '\(parameter.name)'", column: parameter.column)
            }
            challenge.parameters.append(parameter)
            skipWhitespace()
            if atEnd { break }
            guard peek == UInt8(ascii: ",") else {
                throw error("expected ',' between authentication parameters")
            }
            skipSeparators()
            if atEnd { break }
            guard try parameterFollows(inDigest: challenge.isDigest) else { break }
        }
        return challenge
    }

    // Distinguishes `name=` (another parameter) from `scheme ...` (the next challenge) after a comma.
    private mutating func parameterFollows(inDigest: Bool) throws -> Bool {
        let start = index
        defer { index = start }
        let nameColumn = column
        guard let name = readToken() else {
            throw error("expected an authentication parameter name")
        }
        skipWhitespace()
        if peek == UInt8(ascii: "=") { return true }
        if inDigest && (atEnd || peek == UInt8(ascii: ",")) {
            // A bare word inside a Digest challenge is a parameter missing its value, not a new scheme.
            throw SIPParseError("parameter '\(name)' has no value", column: nameColumn)
        }
        return false
    }

    private mutating func readParameter() throws -> Parameter {
        let nameColumn = column
        guard let name = readToken() else {
            throw error("expected an authentication parameter name")
        }
        skipWhitespace()
        guard peek == UInt8(ascii: "=") else {
            throw SIPParseError("parameter '\(name)' has no value", column: nameColumn)
        }
        index += 1
        skipWhitespace()
        let valueColumn = column
        if peek == UInt8(ascii: "\"") {
            let value = try readQuotedString()
            return Parameter(name: name, lowercasedName: name.asciiLowercased, value: value, isQuoted: true, column: valueColumn)
        }
        guard let value = readToken() else {
            if atEnd || peek == UInt8(ascii: ",") {
                throw SIPParseError("parameter '\(name)' has no value", column: nameColumn)
            }
            throw error("invalid character in the value of parameter '\(name)'")
        }
        if let next = peek, next != UInt8(ascii: ","), !Self.isWhitespace(next), next != 0x0D {
            throw error("invalid character in the value of parameter '\(name)'")
        }
        return Parameter(name: name, lowercasedName: name.asciiLowercased, value: value, isQuoted: false, column: valueColumn)
    }

    // A quoted-string starting at the opening quote; returns the unescaped content.
    private mutating func readQuotedString() throws -> String {
        let openColumn = column
        index += 1
        // Fast path: no escapes and no folding, so the content is a plain slice.
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 || bytes[end] == 0x09,
              bytes[end] != 0x7F {
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let value = string(index..<end)
            index = end + 1
            return value
        }
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: content, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else {
                    throw SIPParseError("unterminated quoted string", column: openColumn)
                }
                let escaped = bytes[index + 1]
                guard escaped != 0x0D, escaped != 0x0A else {
                    throw error("line break in a quoted-pair")
                }
                content.append(escaped)
                index += 2
            case 0x0D:
                // Folded LWS (CRLF followed by whitespace) stands for a single space.
                guard index + 2 < bytes.count, bytes[index + 1] == 0x0A, Self.isWhitespace(bytes[index + 2]) else {
                    throw error("line break in a quoted string")
                }
                index += 2
                while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
                content.append(UInt8(ascii: " "))
            case 0x09:
                content.append(byte)
                index += 1
            case 0x00...0x1F, 0x7F:
                throw error("control character in a quoted string")
            default:
                content.append(byte)
                index += 1
            }
        }
        throw SIPParseError("unterminated quoted string", column: openColumn)
    }

    // A token68 (RFC 7235 §2.1) standing alone as the rest of the challenge, or nil (scanner unmoved).
    private mutating func readToken68() -> String? {
        let start = index
        while index < bytes.count, Self.isToken68Byte(bytes[index]) { index += 1 }
        guard index > start else { return nil }
        while index < bytes.count, bytes[index] == UInt8(ascii: "=") { index += 1 }
        let end = index
        skipWhitespace()
        guard atEnd || peek == UInt8(ascii: ",") else {
            index = start
            return nil
        }
        index = end
        return string(start..<end)
    }

    private func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    private mutating func readToken() -> String? {
        let start = index
        while index < bytes.count, DigestHeaderWriter.isTokenByte(bytes[index]) { index += 1 }
        guard index > start else { return nil }
        return string(start..<index)
    }

    // MARK: - Whitespace and separators

    // Skips SP, HTAB and folded line breaks (CRLF followed by whitespace); true when anything was skipped.
    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while index < bytes.count {
            if Self.isWhitespace(bytes[index]) {
                index += 1
            } else if bytes[index] == 0x0D, index + 2 < bytes.count, bytes[index + 1] == 0x0A,
                      Self.isWhitespace(bytes[index + 2]) {
                index += 3
            } else {
                break
            }
        }
        return index > start
    }

    // Skips whitespace and any number of commas (empty list elements are allowed by RFC 7230 §7).
    private mutating func skipSeparators() {
        skipWhitespace()
        while peek == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
        }
    }

    // MARK: - Helpers

    private var atEnd: Bool { index >= bytes.count }
    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    private var column: Int { index + 1 }

    private func error(_ reason: String) -> SIPParseError {
        if atEnd {
            return SIPParseError("\(reason), found end of value", column: column)
        }
        return SIPParseError(reason, column: column)
    }

    // `text` without leading and trailing SP / HTAB.
    static func trimmingWhitespace(_ text: Substring) -> String {
        var bytes = text.utf8[...]
        while let first = bytes.first, isWhitespace(first) { bytes = bytes.dropFirst() }
        while let last = bytes.last, isWhitespace(last) { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    // True for a non-empty token68: token68 characters followed by any number of "=".
    static func isToken68(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        while let last = bytes.last, last == UInt8(ascii: "=") { bytes = bytes.dropLast() }
        return !bytes.isEmpty && bytes.allSatisfy(isToken68Byte)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    private static func isToken68Byte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }
}
