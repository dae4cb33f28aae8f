// NumberError: why a dialled number could not be normalised, in words the PBX and the call record can show.

/// A dialled number that cannot be turned into an E.164 number. `message` is plain words, fit for a SIP
/// Reason header text and the call record.
public enum NumberError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing was dialled (or only the access prefix, or only separators).
    case empty
    /// A character other than digits, a leading `+` and the separators `- . ( )` and space.
    case invalidCharacter(Unicode.Scalar)
    /// A `+` somewhere other than the start.
    case misplacedPlus
    /// `+` or the international prefix followed by nothing, or by a 0 (country codes never start with 0).
    case invalidCountryCode
    /// Fewer E.164 digits than `NumberNormalizer.e164DigitCount` allows.
    case tooShort(digits: Int)
    /// More than 15 E.164 digits.
    case tooLong(digits: Int)
    /// A national or local number, and the numbering block has no (usable) country code.
    case noCountryCode

    /// The reason in plain words.
    public var message: String {
        switch self {
        case .empty:
            return "no number was dialled"
        case .invalidCharacter(let s):
            return "'\(NumberText.shown(s))' is not allowed in a dialled number (only digits, a leading + and the separators - . ( ) and space)"
        case .misplacedPlus:
            return "+ is only allowed at the start of a number"
        case .invalidCountryCode:
            return "not an international number: the country code is missing or starts with 0"
        case .tooShort(let n):
            let range = NumberNormalizer.e164DigitCount
            return "too short for a phone number: \(n) digits with the country code (at least \(range.lowerBound))"
        case .tooLong(let n):
            let range = NumberNormalizer.e164DigitCount
            return "too long for a phone number: \(n) digits with the country code (at most \(range.upperBound))"
        case .noCountryCode:
            return "cannot make an international number: no country code configured"
        }
    }

    public var description: String { message }
}
