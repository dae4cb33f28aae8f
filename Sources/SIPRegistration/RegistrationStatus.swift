// RegistrationStatus: what the console shows about one profile's registration (RFC 3261 §10.2.4 expiry, §10.3 granted interval); never the password.

import SIPCore

/// A snapshot of a registration client, safe to print: it holds no secret.
public struct RegistrationStatus: Sendable, Hashable, CustomStringConvertible {
    public var profileName: String
    public var username: String
    public var mode: RegistrationMode
    public var state: RegistrationState
    /// When `state` was entered.
    public var since: RegistrationInstant
    /// The registrar's Request-URI.
    public var registrar: SIPURI
    /// The target in use (or to be tried next), its 0-based index and how many there are.
    public var target: RegistrationTarget?
    public var targetIndex: Int
    public var targetCount: Int
    /// The Contact being registered.
    public var contact: SIPURI
    /// The expiry the registrar granted in the last 2xx, in seconds.
    public var grantedExpires: UInt32?
    /// When the binding lapses unless refreshed; nil when there is none.
    public var expiresAt: RegistrationInstant?
    /// The last final response to a REGISTER.
    public var lastResponseCode: Int?
    public var lastResponseReason: String?
    /// The last error, cleared by a successful registration.
    public var lastError: RegistrationError?
    /// When the next REGISTER goes out (refresh or retry); nil when none is scheduled.
    public var nextAttemptAt: RegistrationInstant?
    /// REGISTER requests sent since the last success.
    public var attempts: Int
    /// Consecutive failed rounds (the back-off exponent).
    public var failures: Int

    public init(profileName: String, username: String, mode: RegistrationMode, state: RegistrationState,
                since: RegistrationInstant, registrar: SIPURI, target: RegistrationTarget?, targetIndex: Int,
                targetCount: Int, contact: SIPURI) {
        self.profileName = profileName
        self.username = username
        self.mode = mode
        self.state = state
        self.since = since
        self.registrar = registrar
        self.target = target
        self.targetIndex = targetIndex
        self.targetCount = targetCount
        self.contact = contact
        self.attempts = 0
        self.failures = 0
    }

    /// Time left on the binding at `now`; nil when there is no binding or it has lapsed.
    public func expiresIn(now: RegistrationInstant) -> Duration? {
        guard let expiresAt, expiresAt > now else { return nil }
        return expiresAt - now
    }

    /// Whether the profile's calls can go to the trunk: registered, or trusted by address with its last
    /// keep-alive answered. Anything else (registering, backing off, failed, stopped) is down: a line
    /// configured with `fallback on` then carries the profile's calls.
    public var isTrunkUp: Bool {
        switch state {
        case .registered: true
        case .ipAuthenticated: lastError != .keepAliveTimeout && lastError != .transportFailure
        default: false
        }
    }

    /// True while the registrar holds a binding that has not lapsed.
    public func isBound(now: RegistrationInstant) -> Bool { expiresIn(now: now) != nil }

    /// One console line with times relative to `now`, e.g.
    /// `sales: registered via udp:sip.skype.com:5060 (target 1 of 1), expires in 3600 s (granted 3600 s), refresh in 3536 s, last response 200 OK`.
    public func summary(now: RegistrationInstant) -> String {
        var s = "\(profileName): \(state)"
        if mode == .register, let target { s += " via \(target) (target \(targetIndex + 1) of \(targetCount))" }
        if let left = expiresIn(now: now) {
            s += ", expires in \(left.displaySeconds) s"
            if let grantedExpires { s += " (granted \(grantedExpires) s)" }
        }
        if let lastError { s += ", last error: \(lastError)" }
        if let nextAttemptAt {
            s += state == .registered ? ", refresh in " : ", next attempt in "
            s += "\((nextAttemptAt - now).displaySeconds) s"
        }
        if attempts > 0 && state != .registered { s += ", attempts \(attempts)" }
        if let lastResponseCode { s += ", last response \(lastResponseCode) \(lastResponseReason ?? "")" }
        return s
    }

    /// The same facts with absolute instants.
    public var description: String {
        var s = "\(profileName): \(state) since \(since), user \(username)"
        if mode == .register, let target { s += ", via \(target) (target \(targetIndex + 1) of \(targetCount))" }
        if let expiresAt { s += ", binding until \(expiresAt)" }
        if let grantedExpires { s += " (granted \(grantedExpires) s)" }
        if let lastError { s += ", last error: \(lastError)" }
        if let nextAttemptAt { s += ", next attempt at \(nextAttemptAt)" }
        s += ", attempts \(attempts), failures \(failures)"
        if let lastResponseCode { s += ", last response \(lastResponseCode) \(lastResponseReason ?? "")" }
        return s
    }
}
