// SIPScanner: a cursor over the UTF-8 bytes of one (unfolded) header value, for the RFC 3261 §25 grammar.

/// Reads tokens, quoted strings, separators and parameters from a header value. Every failure is a
/// `SIPParseError` whose column is the 1-based byte offset in the value; nothing traps.
struct SIPScanner: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var pos: Int
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.pos = start
        self.end = end ?? bytes.count
    }

    var isAtEnd: Bool { pos >= end }
    var peek: UInt8? { pos < end ? bytes[pos] : nil }

    func error(_ reason: String, at offset: Int? = nil) -> SIPParseError {
        SIPParseError(reason, line: 0, column: (offset ?? pos) + 1)
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    mutating func skipWhitespace() {
        while pos < end, bytes[pos].isSIPWhitespace { pos += 1 }
    }

    /// Consumes `byte` with optional whitespace on both sides (SEMI, COMMA, EQUAL, SLASH, COLON of §25.1).
    mutating func consumeSeparator(_ byte: UInt8) -> Bool {
        let save = pos
        skipWhitespace()
        if pos < end, bytes[pos] == byte {
            pos += 1
            skipWhitespace()
            return true
        }
        pos = save
        return false
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        if pos < end, bytes[pos] == byte { pos += 1; return true }
        return false
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(SIPParseError) {
        guard consume(byte) else { throw error("expected \(what)") }
    }

    @discardableResult
    mutating func take(while cls: SIPCharClass) -> Range<Int> {
        let start = pos
        while pos < end, bytes[pos].isIn(cls) { pos += 1 }
        return start..<pos
    }

    mutating func token(_ what: String) throws(SIPParseError) -> String {
        let r = take(while: .token)
        guard !r.isEmpty else { throw error("expected \(what)") }
        return string(r)
    }

    /// A decimal number of at most `maxDigits` digits (leading zeros allowed) not above `max`.
    mutating func number(_ what: String, max: UInt64, maxDigits: Int = 20) throws(SIPParseError) -> UInt64 {
        let start = pos
        var value: UInt64 = 0
        var significant = 0
        while pos < end, bytes[pos].isIn(.digit) {
            let d = UInt64(bytes[pos] - 0x30)
            if value != 0 || d != 0 { significant += 1 }
            if significant > maxDigits || significant > 19 { throw error("\(what) is too large", at: start) }
            value = value * 10 + d
            pos += 1
        }
        guard pos > start else { throw error("expected \(what)") }
        guard value <= max else { throw error("\(what) \(value) is out of range (at most \(max))", at: start) }
        return value
    }

    /// quoted-string (§25.1): returns the raw range including the quotes. Validates quoted-pairs and UTF-8 text.
    mutating func quotedStringRange() throws(SIPParseError) -> Range<Int> {
        let start = pos
        guard consume(ASCII.quote) else { throw error("expected a quoted string") }
        while pos < end {
            let b = bytes[pos]
            if b == ASCII.quote { pos += 1; return start..<pos }
            if b == ASCII.backslash {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                guard pos + 1 < end else { break }
                let n = bytes[pos + 1]
                guard n <= 0x7F, n != ASCII.cr, n != ASCII.lf else { throw error("invalid escape in quoted string") }
                pos += 2
                continue
            }
            if b < 0x20 && b != ASCII.tab { throw error("control character in quoted string") }
            pos += 1
        }
        throw error("unterminated quoted string", at: start)
    }

    /// Removes the quotes and quoted-pair escapes of a raw quoted-string.
    static func unquote(_ raw: Substring.UTF8View) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var escaped = false
        for b in raw.dropFirst().dropLast() {
            if escaped { out.append(b); escaped = false } else if b == ASCII.backslash { escaped = true } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// host = hostname / IPv4address / IPv6reference (§25.1). Returns it as written.
    mutating func host() throws(SIPParseError) -> String {
        let start = pos
        if consume(ASCII.lbracket) {
            var colons = 0
            while pos < end, bytes[pos].isIn(.hex) || bytes[pos] == ASCII.colon || bytes[pos] == ASCII.dot {
                if bytes[pos] == ASCII.colon { colons += 1 }
                pos += 1
            }
            guard consume(ASCII.rbracket), colons >= 2, colons <= 7 else { throw error("invalid IPv6 reference", at: start) }
            return string(start..<pos)
        }
        let r = take(while: .hostname)
        guard !r.isEmpty else { throw error("expected a host") }
        let first = bytes[r.lowerBound]
        guard first != ASCII.dot, first != 0x2D else { throw error("invalid host name", at: start) }
        var previous: UInt8 = 0
        for i in r {
            if bytes[i] == ASCII.dot && (previous == ASCII.dot || previous == 0x2D) {
                throw error("invalid host name", at: start)
            }
            previous = bytes[i]
        }
        return string(r)
    }

    /// *( SEMI generic-param ) with gen-value = token / host / quoted-string, values kept raw.
    mutating func genericParameters(limit: Int = SIPLimits.maxParameters) throws(SIPParseError) -> [SIPParameter] {
        var params: [SIPParameter] = []
        while consumeSeparator(ASCII.semicolon) {
            guard params.count < limit else { throw error("too many parameters (limit \(limit))") }
            params.append(try genericParameter())
        }
        return params
    }

    mutating func genericParameter() throws(SIPParseError) -> SIPParameter {
        let name = try token("a parameter name")
        guard consumeSeparator(ASCII.equals) else { return SIPParameter(name, nil) }
        return SIPParameter(name, try genericValue())
    }

    mutating func genericValue() throws(SIPParseError) -> String {
        if peek == ASCII.quote { return string(try quotedStringRange()) }
        if peek == ASCII.lbracket { return try host() }
        let r = take(while: .token)
        guard !r.isEmpty else { throw error("expected a parameter value") }
        return string(r)
    }

    mutating func expectEnd(_ what: String) throws(SIPParseError) {
        skipWhitespace()
        guard isAtEnd else { throw error("unexpected characters after \(what)") }
    }
}

extension String {
    /// Runs `body` with a scanner over this string's UTF-8, rebasing error columns onto the value.
    func withSIPScanner<T>(_ body: (inout SIPScanner) throws(SIPParseError) -> T) throws(SIPParseError) -> T {
        var copy = self
        copy.makeContiguousUTF8()
        let result: Result<T, SIPParseError> = copy.utf8.withContiguousStorageIfAvailable { buf in
            var scanner = SIPScanner(buf)
            do throws(SIPParseError) { return .success(try body(&scanner)) } catch { return .failure(error) }
        } ?? .failure(SIPParseError("internal: non-contiguous string"))
        return try result.get()
    }
}
