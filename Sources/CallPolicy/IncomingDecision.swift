// IncomingDecision: the PBX extension an incoming trunk call goes to, or why it is refused.

import Config

/// What `IncomingRouter` decides for an INVITE from the trunk.
public enum IncomingDecision: Sendable, Hashable {
    /// Deliver the call to PBX extension `extension`; it was made to `called` of `profile`.
    case `extension`(String, profile: ProfileConfig, called: CalledIdentity)
    /// Answer the trunk with `status`; `reason` is plain words for the SIP Reason header text and the call record.
    case refuse(status: Int, reason: String)

    /// The refusal status, nil when the call is delivered.
    public var refusalStatus: Int? {
        if case .refuse(let status, _) = self { return status }
        return nil
    }
}
