// RegistrationMode: how a Skype Connect SIP Profile is admitted to the trunk: registration (RFC 3261 §10) or IP authentication.

/// Registration with digest credentials, or IP authentication where the trunk trusts the box's fixed
/// public address and no REGISTER is ever sent.
public enum RegistrationMode: Sendable, Hashable, CustomStringConvertible {
    /// REGISTER with digest authentication; the binding is kept alive by refreshes.
    case register
    /// No REGISTER at all: the trunk admits the box by its address; only OPTIONS keep-alives are sent.
    case ipAuthentication

    /// `registration` or `IP authentication`.
    public var description: String {
        switch self {
        case .register: "registration"
        case .ipAuthentication: "IP authentication"
        }
    }
}
