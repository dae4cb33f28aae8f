// SIPTraceMask: hides what a SIP trace must not show: digest responses (RFC 7616 §3.4) and SDES keys (RFC 4568 §6.1).

/// Masks secrets in the text of a SIP message before it is shown (`debug sip`) or logged: the value of
/// every digest `response=` parameter and every `inline:` SRTP key (key||salt, up to `|` or the end of the
/// attribute). Everything else stays as it was.
public enum SIPTraceMask {
    public static let mask = "********"

    public static func mask(_ text: String) -> String {
        var out = maskValues(text, after: "response=", until: { $0 == "," || $0 == " " || $0 == "\r" || $0 == "\n" })
        out = maskValues(out, after: "inline:", until: { $0 == "|" || $0 == " " || $0 == "\r" || $0 == "\n" })
        return out
    }

    // Replaces the text after each (ASCII case-insensitive) `marker` up to a stop character; a quoted value
    // (`response="..."`) keeps its quotes.
    private static func maskValues(_ text: String, after marker: String, until stop: (Character) -> Bool) -> String {
        let lower = Array(text.lowercased())
        let chars = Array(text)
        guard lower.count == chars.count else { return text }   // case mapping changed lengths: leave as is
        let m = Array(marker)
        var out = ""
        out.reserveCapacity(chars.count)
        var i = 0
        while i < chars.count {
            if i + m.count <= chars.count, Array(lower[i..<i + m.count]) == m {
                out += String(chars[i..<i + m.count])
                i += m.count
                if i < chars.count, chars[i] == "\"" {
                    out += "\"" + mask
                    i += 1
                    while i < chars.count, chars[i] != "\"" { i += 1 }
                    continue
                }
                out += mask
                while i < chars.count, !stop(chars[i]) { i += 1 }
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}
