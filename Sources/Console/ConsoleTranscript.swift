// ConsoleTranscript: the .in/.out transcript formats: keystrokes and terminal output as readable, exact text.

/// The golden transcript formats (Tests/Fixtures/console/*.in and *.out): readable text with escapes
/// that decodes to exact bytes. Public so the same files can be played against a running box.
public enum ConsoleTranscript {
    /// `.in`: each line break is Enter (CR); a line ending in `\` continues without Enter; escapes
    /// `\r \n \t \e \b \\ \xHH` and `\cX` (Ctrl-X) stand for those bytes.
    public static func decodeInput(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        let u = Array(text.utf8)
        var i = 0
        while i < u.count {
            let c = u[i]
            if c == 0x0A { out.append(0x0D); i += 1; continue }
            guard c == 0x5C, i + 1 < u.count else { out.append(c); i += 1; continue }
            let e = u[i + 1]
            i += 2
            switch e {
            case 0x0A: break                       // "\" at the end of a line: no Enter
            case 0x72: out.append(0x0D)            // \r
            case 0x6E: out.append(0x0A)            // \n
            case 0x74: out.append(0x09)            // \t
            case 0x65: out.append(0x1B)            // \e
            case 0x62: out.append(0x08)            // \b
            case 0x5C: out.append(0x5C)            // \\
            case 0x63:                             // \cX
                if i < u.count { out.append(u[i] & 0x1F); i += 1 }
            case 0x78:                             // \xHH
                if i + 2 <= u.count, let v = UInt8(String(decoding: u[i..<i + 2], as: UTF8.self), radix: 16) {
                    out.append(v)
                    i += 2
                }
            default: out += [0x5C, e]
            }
        }
        // The file's own final line break is not a keystroke when the file ends with "\" + newline.
        return out
    }

    /// `.out`: CR LF is a line break; every other control byte, backslash and 8-bit byte is escaped.
    public static func encodeOutput(_ bytes: [UInt8]) -> String {
        var s = ""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { s += "\n"; i += 2; continue }
            switch b {
            case 0x0D: s += "\\r"
            case 0x0A: s += "\\n"
            case 0x09: s += "\\t"
            case 0x1B: s += "\\e"
            case 0x08: s += "\\b"
            case 0x07: s += "\\a"
            case 0x5C: s += "\\\\"
            case 0x20..<0x7F: s.unicodeScalars.append(Unicode.Scalar(b))
            default: s += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
            }
            i += 1
        }
        return s
    }
}
