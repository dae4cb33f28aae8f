// BillingClassifier: which calls count against US minute bundles, which against credit, which are free.

import Config

/// Classifies calls for billing, per the guide: outgoing trunk calls to US and Canada numbers use the
/// profile's US minute bundles when it has any (`usBundles > 0`), every other outgoing trunk call is paid
/// from credit; incoming calls, analog line calls (emergency ones included) and refused calls are free.
/// Whether a bundle still has minutes left this month is not known here: when they run out the provider
/// charges credit, which the month's report accounts for (the Store counts bundle minutes).
public enum BillingClassifier {
    /// NANP area codes (after `+1`) that are neither the US (with its territories) nor Canada: the
    /// Caribbean and Atlantic countries sharing country code 1. Calls to them are international, paid
    /// from credit. US territories (Puerto Rico 787/939, US Virgin Islands 340, Guam 671, Northern Mariana
    /// Islands 670, American Samoa 684) are not listed and so count as US.
    public static let otherNANPAreaCodes: Set<String> = [
        "242", // Bahamas
        "246", // Barbados
        "264", // Anguilla
        "268", // Antigua and Barbuda
        "284", // British Virgin Islands
        "345", // Cayman Islands
        "441", // Bermuda
        "473", // Grenada
        "649", // Turks and Caicos Islands
        "658", "876", // Jamaica
        "664", // Montserrat
        "721", // Sint Maarten
        "758", // Saint Lucia
        "767", // Dominica
        "784", // Saint Vincent and the Grenadines
        "809", "829", "849", // Dominican Republic
        "868", // Trinidad and Tobago
        "869", // Saint Kitts and Nevis
    ]

    /// Incoming calls are free.
    public static let incoming: BillingCategory = .free

    /// Whether `e164` (`+` and digits) is a US (territories included) or Canada number: `+1`, then a
    /// 10-digit NANP number whose area code starts with 2-9 and is not in `otherNANPAreaCodes`.
    public static func isUSOrCanada(e164: String) -> Bool {
        let s = e164.unicodeScalars
        guard s.first == "+" else { return false }
        let digits = s.dropFirst()
        guard digits.count == 11, digits.allSatisfy(NumberText.isDigit), digits.first == "1" else { return false }
        let npa = digits.dropFirst().prefix(3)
        guard let first = npa.first, first != "0", first != "1" else { return false }
        return !otherNANPAreaCodes.contains(String(String.UnicodeScalarView(npa)))
    }

    /// The category of an outgoing trunk call to `e164` through `profile`.
    public static func outgoing(e164: String, profile: ProfileConfig) -> BillingCategory {
        profile.usBundles > 0 && isUSOrCanada(e164: e164) ? .usBundle : .credit
    }

    /// The category of an outgoing call as routed: trunk calls per `outgoing(e164:profile:)`, line calls
    /// and refused calls free.
    public static func classify(_ decision: OutgoingDecision) -> BillingCategory {
        switch decision {
        case .trunk(let profile, let number, _): return outgoing(e164: number.e164, profile: profile)
        case .line, .fallback, .refuse: return .free
        }
    }
}
