// TrunkPolicy: what Skype Connect decided for each call: dialled-number form, emergency numbers, caller ID,
// US-bundle coverage. Pure functions the SIP side calls and the tests check.

public enum TrunkPolicy {
    /// Numbers the service never carries (it is not a telephone replacement), as dialled and after `00`.
    public static let emergencyNumbers: Set<String> = ["911", "112", "999", "000"]

    /// True when the Request-URI user is an emergency number: `911`, `112`, `999`, `000`, the same after
    /// `00` or `+`, or with visual separators.
    public static func isEmergency(_ user: String) -> Bool {
        var digits = String(user.filter { $0.isASCIIDigitChar || $0 == "+" })
        if digits.hasPrefix("+") { digits.removeFirst() }
        if emergencyNumbers.contains(digits) { return true }
        if digits.hasPrefix("00"), emergencyNumbers.contains(String(digits.dropFirst(2))) { return true }
        return false
    }

    /// The dialled number from a Request-URI user in the trunk's form `00<country><number>`, as E.164 with `+`;
    /// nil for any other form (the service wanted international form only).
    public static func dialledNumber(_ user: String) -> String? {
        guard user.hasPrefix("00") else { return nil }
        return E164.parse(user)
    }

    /// The number the far end sees. `offered` is what the PBX asked to show (P-Asserted-Identity user, else
    /// the From display name); shown only when it is one of the profile's verified numbers or Online
    /// Numbers, else the profile's default caller ID, else "unknown".
    public static func presentedCallerID(offered: String?, profile: EmulatorProfile) -> CallerIDDecision {
        if let offered, let number = normalizeOffered(offered) {
            if profile.verifiedNumbers.contains(number) || profile.onlineNumbers.contains(number) {
                return CallerIDDecision(shown: number, replaced: false, offered: offered)
            }
        }
        return CallerIDDecision(shown: profile.callerID ?? "unknown", replaced: offered != nil, offered: offered)
    }

    /// `+442071234567`, `00442071234567`, `442071234567`, `+44 20 7123 4567` → `+442071234567`.
    static func normalizeOffered(_ text: String) -> String? {
        let compact = String(text.filter { !" -().".contains($0) })
        if let n = E164.parse(compact) { return n }
        return E164.parse("+" + compact)
    }

    /// NANP area codes outside the US and Canada (the Caribbean and Atlantic nations): billed from credit.
    public static let nanpNotCovered: Set<String> = [
        "242", "246", "264", "268", "284", "345", "441", "473", "649", "658", "664", "721",
        "758", "767", "784", "809", "829", "849", "868", "869", "876",
    ]

    /// How an outgoing call to `number` (E.164) is paid for: US/Canada (a valid NANP number outside the
    /// Caribbean codes) from bundle minutes first, everything else from credit.
    public static func billingClass(_ number: String) -> BillingClass {
        guard number.hasPrefix("+1") else { return .other }
        let national = number.dropFirst(2)
        guard national.count == 10, let area = national.first, area >= "2",
              let exchange = national.dropFirst(3).first, exchange >= "2" else { return .other }
        return nanpNotCovered.contains(String(national.prefix(3))) ? .other : .usCanada
    }
}

public enum BillingClass: String, Sendable, Hashable {
    /// US and Canada: bundle minutes first, then credit at the US rate.
    case usCanada = "US/Canada"
    /// Everywhere else: credit at the other rate.
    case other
}

public struct CallerIDDecision: Sendable, Hashable {
    /// What the called party sees (`+E164` or `unknown`).
    public var shown: String
    /// True when the PBX asked for another number that the profile may not show.
    public var replaced: Bool
    public var offered: String?
    public init(shown: String, replaced: Bool, offered: String?) { self.shown = shown; self.replaced = replaced; self.offered = offered }
}
