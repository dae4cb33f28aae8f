// NumberNormalizer: turns what the PBX dialled into an E.164 number per the numbering block.

import Config

/// Normalises the user part of an outgoing Request-URI, as the PBX sent it (%-escapes already decoded),
/// to E.164 and the trunk's `00` form, following `NumberingConfig`:
/// 1. the visual separators `-`, `.`, space, `(` and `)` are dropped (and a `(0)` after a leading `+`);
/// 2. the access prefix (e.g. `9`) is stripped when the number starts with it;
/// 3. what is left must be digits with an optional leading `+`; anything else (letters, `*`, `#`) is an error;
/// 4. `+` or the international prefix (`00`, `011`): international, the rest is the country code and number;
///    the national prefix (`0`, `1`): national, the prefix is replaced by the country code; otherwise a
///    local (subscriber) number and the country code is put in front. When both prefixes match, the longer wins;
/// 5. the result must have `e164DigitCount` digits and not start with 0.
///
/// Unvalidated config never traps: empty prefixes never match, a country code that is not 1-3 digits
/// counts as not configured.
public struct NumberNormalizer: Sendable, Hashable {
    /// How many digits (country code included) an E.164 number may have: E.164's 15 at most, and at least
    /// 6 (the shortest the config accepts for Online and verified numbers; real numbers have 7 or more).
    public static let e164DigitCount: ClosedRange<Int> = 6...15

    public let numbering: NumberingConfig

    public init(numbering: NumberingConfig) {
        self.numbering = numbering
    }

    /// The configured country code when it is usable (1-3 digits, not starting with 0).
    var countryCode: String? {
        guard let c = numbering.countryCode, NumberText.isDigits(c), c.unicodeScalars.count <= 3, c.first != "0" else { return nil }
        return c
    }

    /// `text` with separators dropped and, when it starts with the access prefix, that prefix removed.
    /// Never fails: characters are not checked (emergency detection uses this on anything the PBX sends).
    public func strippingAccessPrefix(_ text: String) -> String {
        let clean = NumberText.droppingSeparators(text)
        if NumberText.has(clean[...], prefix: numbering.accessPrefix) {
            return String(clean.dropFirst(numbering.accessPrefix!.count))
        }
        return clean
    }

    /// The dialled digits: separators dropped, access prefix stripped, checked to be digits with an
    /// optional leading `+`. This is what route prefixes match.
    public func dialledDigits(_ dialled: String) throws(NumberError) -> String {
        let s = strippingAccessPrefix(dialled)
        var scalars = s.unicodeScalars[...]
        if scalars.first == "+" { scalars = scalars.dropFirst() }
        guard !scalars.isEmpty else { throw .empty }
        for c in scalars where !NumberText.isDigit(c) {
            throw c == "+" ? .misplacedPlus : .invalidCharacter(c)
        }
        return s
    }

    /// The dialled number in E.164, or why it cannot be.
    public func normalize(_ dialled: String) throws(NumberError) -> NormalizedNumber {
        let s = try dialledDigits(dialled)
        let text = s[...]
        let form: NormalizedNumber.Form
        var digits: String
        let intl = NumberText.has(text, prefix: numbering.internationalPrefix)
        let national = NumberText.has(text, prefix: numbering.nationalPrefix)
        if text.hasPrefix("+") {
            form = .international
            digits = String(text.dropFirst())
        } else if intl, !national || numbering.internationalPrefix.count >= numbering.nationalPrefix!.count {
            form = .international
            digits = String(text.dropFirst(numbering.internationalPrefix.count))
        } else {
            guard let cc = countryCode else { throw .noCountryCode }
            if national {
                form = .national
                digits = cc + text.dropFirst(numbering.nationalPrefix!.count)
            } else {
                form = .local
                digits = cc + text
            }
        }
        if form == .international, digits.isEmpty || digits.first == "0" { throw .invalidCountryCode }
        let n = digits.utf8.count
        if n < Self.e164DigitCount.lowerBound { throw .tooShort(digits: n) }
        if n > Self.e164DigitCount.upperBound { throw .tooLong(digits: n) }
        return NormalizedNumber(dialled: s, form: form, e164: "+" + digits)
    }
}
