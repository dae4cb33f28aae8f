// SDPBytes: byte-level helpers (character classes, field splitting, checked numbers, UTF-8 checks) for the RFC 8866 §9 grammar.

// Internal helpers shared by the SDP parsers. Everything works on UTF-8 bytes and never traps.
enum SDPBytes {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let colon: UInt8 = 0x3A
    static let slash: UInt8 = 0x2F
    static let equals: UInt8 = 0x3D
    static let semicolon: UInt8 = 0x3B
    static let pipe: UInt8 = 0x7C
    static let dot: UInt8 = 0x2E
    static let minus: UInt8 = 0x2D

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always)
    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool { b == space || b == tab }

    // RFC 8866 `token-char`: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E.
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case 0x21, 0x23...0x27, 0x2A...0x2B, 0x2D...0x2E, 0x30...0x39, 0x41...0x5A, 0x5E...0x7E: return true
        default: return false
        }
    }

    // True when `bytes` is a non-empty RFC 8866 token.
    static func isToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenChar)
    }

    // True when `bytes` is non-empty and holds no whitespace or control bytes (`non-ws-string`).
    static func isNonWhitespaceString(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }

    // Splits on runs of spaces or tabs, dropping empty pieces; at most `limit` pieces are
    // produced, the last one then holding the rest (leading whitespace removed, trailing kept trimmed).
    static func fields(_ bytes: ArraySlice<UInt8>, limit: Int = Int.max) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            while i < end && isWhitespace(bytes[i]) { i += 1 }
            if i >= end { break }
            if result.count == limit - 1 {
                var last = end
                while last > i && isWhitespace(bytes[last - 1]) { last -= 1 }
                result.append(bytes[i..<last])
                return result
            }
            let start = i
            while i < end && !isWhitespace(bytes[i]) { i += 1 }
            result.append(bytes[start..<i])
        }
        return result
    }

    // Splits on every occurrence of `separator`, keeping empty pieces.
    static func split(_ bytes: ArraySlice<UInt8>, on separator: UInt8) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var i = start
        while i < bytes.endIndex {
            if bytes[i] == separator {
                result.append(bytes[start..<i])
                start = i + 1
            }
            i += 1
        }
        result.append(bytes[start..<bytes.endIndex])
        return result
    }

    // Index of the first `byte` in `bytes`, if any.
    static func firstIndex(of byte: UInt8, in bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == byte { return i }
            i += 1
        }
        return nil
    }

    // Parses `1*DIGIT` into a value no greater than `max`; nil when empty, not all digits,
    // longer than `SDPLimits.maxNumberDigits`, or out of range. Never overflows.
    static func decimal(_ bytes: ArraySlice<UInt8>, max: UInt64 = UInt64.max) -> UInt64? {
        decimal(bytes: bytes, max: max)
    }

    static func decimal(bytes: some Collection<UInt8>, max: UInt64) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= SDPLimits.maxNumberDigits else { return nil }
        var value: UInt64 = 0
        for b in bytes {
            guard isDigit(b) else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(b - 0x30))
            if o1 || o2 { return nil }
            value = sum
        }
        return value <= max ? value : nil
    }

    // Same as `decimal(_:max:)` but returns an `Int`.
    static func int(_ bytes: ArraySlice<UInt8>, max: Int) -> Int? {
        guard max >= 0, let v = decimal(bytes, max: UInt64(max)) else { return nil }
        return Int(v)
    }

    // `decimal` over a string's UTF-8 without copying it (formats and payload types are read often).
    static func decimal(_ text: some StringProtocol, max: UInt64 = UInt64.max) -> UInt64? {
        decimal(bytes: text.utf8, max: max)
    }

    // True when one of the `/`-separated components of `text` equals `component` (ASCII case-insensitive).
    static func hasComponent(_ text: String, _ component: StaticString, separator: UInt8 = slash) -> Bool {
        let want = UnsafeBufferPointer(start: component.utf8Start, count: component.utf8CodeUnitCount)
        var matched = 0, alive = true
        for b in text.utf8 {
            if b == separator {
                if alive && matched == want.count { return true }
                matched = 0; alive = true
            } else if alive {
                if matched < want.count && lowerASCII(b) == lowerASCII(want[matched]) { matched += 1 } else { alive = false }
            }
        }
        return alive && matched == want.count
    }

    // Decodes bytes already known to be valid UTF-8.
    @inline(__always)
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    // ASCII case-insensitive equality of two strings.
    static func equalsIgnoringCase(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where lowerASCII(p) != lowerASCII(q) {
            return false
        }
        return true
    }

    @inline(__always)
    static func lowerASCII(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    // Index of the first byte that breaks UTF-8 well-formedness (overlong forms, surrogates and
    // code points above U+10FFFF included), or nil when all of `bytes` is valid UTF-8.
    static func firstInvalidUTF8(in bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            guard end - i > need else { return i }
            let b1 = bytes[i + 1]
            guard b1 >= lo && b1 <= hi else { return i }
            var k = 2
            while k <= need {
                let b = bytes[i + k]
                guard b >= 0x80 && b <= 0xBF else { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}
