// ConfigTokenizer: one config line into indentation and words (quoted strings, `!`/`#` comments).

/// A word of a config line: its text (quotes and escapes removed) and whether it was quoted.
struct ConfigToken: Sendable, Hashable {
    var text: String
    var quoted: Bool
}

/// A line split into words. Words are separated by spaces or tabs; a word in double quotes may hold
/// spaces, `!` and `#`, with `\"` and `\\` as the only escapes; an unquoted word starting with `!` or `#`
/// begins a comment that runs to the end of the line.
struct ConfigTokenizedLine: Sendable {
    var indented: Bool
    var tokens: [ConfigToken]

    init(_ line: Substring) throws(ConfigProblem) {
        let bytes = Array(line.utf8)
        guard bytes.count <= ConfigLimits.maxLineBytes else {
            throw ConfigProblem("line is longer than \(ConfigLimits.maxLineBytes) bytes (limit)")
        }
        for b in bytes where (b < 0x20 && b != 0x09) || b == 0x7F {
            throw ConfigProblem("control character 0x\(b < 16 ? "0" : "")\(String(b, radix: 16)) in the line")
        }
        indented = bytes.first == 0x20 || bytes.first == 0x09
        tokens = []
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        while i < bytes.count {
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            guard i < bytes.count else { break }
            if bytes[i] == UInt8(ascii: "!") || bytes[i] == UInt8(ascii: "#") { break }
            if tokens.count >= ConfigLimits.maxWordsPerLine {
                throw ConfigProblem("more than \(ConfigLimits.maxWordsPerLine) words on the line (limit)")
            }
            var word: [UInt8] = []
            if bytes[i] == UInt8(ascii: "\"") {
                i += 1
                var closed = false
                while i < bytes.count {
                    let b = bytes[i]
                    if b == UInt8(ascii: "\"") { closed = true; i += 1; break }
                    if b == UInt8(ascii: "\\") {
                        guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") || bytes[i + 1] == UInt8(ascii: "\\") else {
                            throw ConfigProblem("unknown escape in a quoted word (only \\\" and \\\\ are allowed)")
                        }
                        word.append(bytes[i + 1])
                        i += 2
                        continue
                    }
                    word.append(b)
                    i += 1
                }
                guard closed else { throw ConfigProblem("quoted word has no closing quote") }
                guard i == bytes.count || isSpace(bytes[i]) else { throw ConfigProblem("a quoted word must be followed by a space") }
                tokens.append(ConfigToken(text: String(decoding: word, as: UTF8.self), quoted: true))
            } else {
                while i < bytes.count, !isSpace(bytes[i]) {
                    if bytes[i] == UInt8(ascii: "\"") { throw ConfigProblem("quote inside a word (quote the whole word)") }
                    word.append(bytes[i])
                    i += 1
                }
                tokens.append(ConfigToken(text: String(decoding: word, as: UTF8.self), quoted: false))
            }
        }
    }

    /// A word as the serializer writes it: quoted when it is empty, holds a space, tab, quote or
    /// backslash, or starts like a comment; `forceQuote` for a secret that reads like the mask.
    static func render(_ word: String, forceQuote: Bool = false) -> String {
        // Bytes, not Characters: "!" followed by a combining mark is one Character that does not have
        // the prefix "!", yet the tokenizer would read its first byte as a comment.
        let first = word.utf8.first
        var needs = forceQuote || first == nil || first == UInt8(ascii: "!") || first == UInt8(ascii: "#")
        if !needs {
            for b in word.utf8 where b == 0x20 || b == 0x09 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                needs = true
                break
            }
        }
        guard needs else { return word }
        var out = "\""
        for ch in word.unicodeScalars {
            if ch == "\"" || ch == "\\" { out.append("\\") }
            out.unicodeScalars.append(ch)
        }
        return out + "\""
    }
}
