// NormalizedNumber: a dialled number in E.164 and in the `00<country><number>` form the trunk expects.

/// A dialled number after normalisation by `NumberNormalizer`.
public struct NormalizedNumber: Sendable, Hashable, CustomStringConvertible {
    /// How the number was dialled.
    public enum Form: String, Sendable, Hashable {
        /// With `+` or the international prefix.
        case international
        /// With the national prefix (replaced by the country code).
        case national
        /// Without any prefix: a subscriber number of the configured country.
        case local
    }

    /// What was dialled, separators dropped and the access prefix stripped (digits, possibly a leading
    /// `+`). Route prefixes are matched against this.
    public let dialled: String
    public let form: Form
    /// `+` and the E.164 digits, e.g. `+442079460000`.
    public let e164: String

    public init(dialled: String, form: Form, e164: String) {
        self.dialled = dialled
        self.form = form
        self.e164 = e164
    }

    /// The E.164 digits without `+` (country code first).
    public var digits: Substring { e164.dropFirst() }

    /// `00` and the E.164 digits, e.g. `00442079460000`: the Request-URI user Skype Connect expects.
    public var trunkForm: String { "00" + digits }

    public var description: String { e164 }
}
