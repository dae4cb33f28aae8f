// BillingCategory: what a call's minutes are charged to (mirrors Store's BillingClass raw values).

/// What a call's minutes are charged to on the Skype Connect side. The raw values are those of the
/// Store's `BillingClass` (`BillingClass(rawValue: category.rawValue)` converts), so the policy needs no Store.
public enum BillingCategory: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Counts against the profile's US minute bundles (calls to US and Canada numbers).
    case usBundle = "us-bundle"
    /// Paid from Skype credit.
    case credit
    /// Not charged (incoming calls, calls on the analog line, refused calls).
    case free

    public var description: String { rawValue }
}
