// OutgoingDecision: where an outgoing PBX call goes (a trunk profile, the analog line) or why it is refused.

import Config

/// What `OutgoingRouter` decides for a call from the PBX.
public enum OutgoingDecision: Sendable, Hashable {
    /// Send the call to the trunk through `profile`: Request-URI user `number.trunkForm`, caller ID `callerID`.
    case trunk(profile: ProfileConfig, number: NormalizedNumber, callerID: CallerIdentity)
    /// Dial `number` (digits) on the analog line; `emergency` when it is an emergency call.
    case line(number: String, emergency: Bool)
    /// `profile` would carry the call but its trunk is down, and the line is configured with `fallback on`:
    /// dial `number` on the analog line instead.
    case fallback(profile: String, number: String)
    /// Answer the PBX with `status`; `reason` is plain words for the SIP Reason header text and the call record.
    case refuse(status: Int, reason: String)

    /// The refusal status, nil when the call goes somewhere.
    public var refusalStatus: Int? {
        if case .refuse(let status, _) = self { return status }
        return nil
    }

    /// Whether this is an emergency call on the line.
    public var isEmergency: Bool {
        if case .line(_, true) = self { return true }
        return false
    }
}
