// RegistrationState: the life cycle of one profile's trunk registration as the console shows it (RFC 3261 §10.2).

/// Where the registration stands.
public enum RegistrationState: Sendable, Hashable, CustomStringConvertible {
    /// Not started.
    case idle
    /// A REGISTER is on its way and no binding is known to be in force.
    case registering
    /// The registrar holds our binding (refreshes happen without leaving this state).
    case registered
    /// A transient failure; the next attempt is scheduled.
    case backingOff
    /// A failure that needs a person; retried at the long interval.
    case failed(RegistrationFailure)
    /// The un-registering REGISTER (Expires: 0) is on its way.
    case unregistering
    /// Stopped; no binding.
    case stopped
    /// IP-authentication mode: nothing to register, the trunk trusts our address.
    case ipAuthenticated

    /// The state in plain words, e.g. `failed: wrong password or SIP user name`.
    public var description: String {
        switch self {
        case .idle: "idle"
        case .registering: "registering"
        case .registered: "registered"
        case .backingOff: "backing off"
        case .failed(let why): "failed: \(why)"
        case .unregistering: "unregistering"
        case .stopped: "stopped"
        case .ipAuthenticated: "IP authentication: trusted by address"
        }
    }
}
