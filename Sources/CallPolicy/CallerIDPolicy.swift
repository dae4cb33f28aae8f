// CallerIDPolicy: which caller ID a profile's outgoing calls may present (the guide's verified/Online rule).

import Config

/// Caller ID on outgoing trunk calls, per the guide: a profile shows its configured `callerID` only when it
/// is one of the profile's Online Numbers or verified numbers (compared as E.164 digits, so `+44 20 ...`
/// and `0044...` written forms compare equal); otherwise no caller ID (the caller is shown as unknown).
/// The PBX's From is never used: the trunk shows the profile's caller ID whatever the PBX sends.
public enum CallerIDPolicy {
    /// The caller identity outgoing calls of `profile` present.
    public static func identity(for profile: ProfileConfig) -> CallerIdentity {
        guard let configured = profile.callerID, let digits = NumberText.e164Digits(configured) else { return .anonymous }
        let source: CallerIdentity.Source
        if profile.onlineNumbers.contains(where: { NumberText.e164Digits($0.identity) == digits }) {
            source = .onlineNumber
        } else if profile.verifiedNumbers.contains(where: { NumberText.e164Digits($0) == digits }) {
            source = .verifiedNumber
        } else {
            return .anonymous
        }
        return CallerIdentity(number: "+" + digits, source: source, sendPAssertedIdentity: profile.pAssertedIdentity)
    }
}
