// NumberText: the character rules the policy shares (visual separators, ASCII digits, E.164 canonical digits).

/// Character-level helpers for dialled numbers and configured numbers. Works on Unicode scalars so any
/// input (including non-ASCII and control characters) is handled without trapping.
enum NumberText {
    /// Visual separators a PBX or a person may put in a number; dropped before anything else.
    static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        s == "-" || s == "." || s == " " || s == "(" || s == ")"
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

    /// Whether `s` is non-empty and ASCII digits only.
    static func isDigits(_ s: Substring) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy(isDigit)
    }

    static func isDigits(_ s: String) -> Bool { isDigits(s[...]) }

    /// `text` without visual separators. A `(0)` written after a leading `+` (the "+44 (0)20 ..." way of
    /// printing numbers) is dropped with its parentheses, since it is not dialled in international form.
    static func droppingSeparators(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var it = text.unicodeScalars[...]
        let international = text.unicodeScalars.first(where: { !isSeparator($0) }) == "+"
        while let s = it.popFirst() {
            if international, s == "(", it.starts(with: ["0", ")"] as [Unicode.Scalar]) {
                it = it.dropFirst(2)
                continue
            }
            if !isSeparator(s) { scalars.append(s) }
        }
        return String(scalars)
    }

    /// The part of a URI user before any `;` parameters (RFC 3966 telephone-subscriber, e.g. `;npdi`).
    static func droppingParameters(_ user: String) -> Substring {
        user.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    }

    /// `prefix` is a usable prefix (non-empty) and `text` starts with it.
    static func has(_ text: Substring, prefix: String?) -> Bool {
        guard let prefix, !prefix.isEmpty else { return false }
        return text.hasPrefix(prefix)
    }

    /// `text` made safe to show in a reason (a SIP Reason header's quoted text, a log line): at most `limit`
    /// characters; anything but printable ASCII, and `"` and `\`, written as `U+XXXX`.
    static func shown(_ text: Substring, limit: Int = 64) -> String {
        var out = ""
        for (i, s) in text.unicodeScalars.enumerated() {
            if i == limit { out += "..."; break }
            out += shown(s)
        }
        return out
    }

    static func shown(_ s: Unicode.Scalar) -> String {
        if s.value >= 0x20, s.value < 0x7F, s != "\"", s != "\\" { return String(s) }
        let hex = String(s.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The E.164 digits (no `+`) of a number written `+CC...` or `00CC...`, separators allowed; nil when
    /// it is not such a number (1-15 digits, not starting with 0). Used to compare configured numbers.
    static func e164Digits(_ text: String) -> String? {
        let clean = droppingSeparators(text)[...]
        let digits: Substring
        if clean.hasPrefix("+") {
            digits = clean.dropFirst()
        } else if clean.hasPrefix("00") {
            digits = clean.dropFirst(2)
        } else {
            return nil
        }
        guard isDigits(digits), digits.unicodeScalars.count <= 15, digits.first != "0" else { return nil }
        return String(digits)
    }
}
