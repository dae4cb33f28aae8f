// ConsoleText: turns backend text into terminal lines that cannot carry escape sequences.

enum ConsoleText {
    /// Splits text at line ends (`\n`, `\r\n`) and replaces control characters (C0 except tab, DEL, C1)
    /// with `?`, so a SIP header or log line can never drive the installer's terminal.
    static func lines(_ text: String) -> [[UInt8]] {
        if text.isEmpty { return [] }
        var result: [[UInt8]] = []
        var current: [UInt8] = []
        var scalars = Array(text.unicodeScalars)
        if scalars.last == "\n" {
            scalars.removeLast()
            // A CR LF line end (CSV, RFC 4180) ends the last line too; a CR left alone would print as `?`.
            if scalars.last == "\r" { scalars.removeLast() }
        }
        for (i, s) in scalars.enumerated() {
            switch s.value {
            case 0x0A:
                result.append(current)
                current = []
            case 0x0D where i + 1 < scalars.count && scalars[i + 1] == "\n":
                continue
            case 0x09:
                current.append(0x09)
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                current.append(0x3F)
            default:
                current += Array(String(s).utf8)
            }
        }
        result.append(current)
        return result
    }

    /// Text safe for a prompt: printable ASCII only, at most `limit` characters.
    static func promptSafe(_ text: String, limit: Int = 63) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x21 && $0.value < 0x7F }.prefix(limit)))
    }
}
