// NumberingConfig: how dialled numbers are normalised to the `00<country><number>` form the trunk expects.

/// Number normalisation: strip `accessPrefix` (the PBX's "dial 9 for an outside line"), then a number
/// starting with `internationalPrefix` or `+` is international; one starting with `nationalPrefix` is
/// national (prefix replaced by `countryCode`); anything else is local to `countryCode`.
public struct NumberingConfig: Sendable, Hashable {
    /// Country calling code, 1 to 3 digits, nil when not set (then only international numbers normalise).
    public var countryCode: String?
    public var nationalPrefix: String?
    public var internationalPrefix: String
    public var accessPrefix: String?

    public init(countryCode: String? = nil, nationalPrefix: String? = nil, internationalPrefix: String = "00",
                accessPrefix: String? = nil) {
        self.countryCode = countryCode
        self.nationalPrefix = nationalPrefix
        self.internationalPrefix = internationalPrefix
        self.accessPrefix = accessPrefix
    }
}
