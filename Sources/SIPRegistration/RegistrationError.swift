// RegistrationError: the last thing that went wrong with a registration, in words an installer understands (RFC 3261 §21, §22; RFC 5626 §4.4 keep-alives).

/// The last error, shown by the console; each names the status code it came from where there is one.
public enum RegistrationError: Sendable, Hashable, CustomStringConvertible {
    /// No final response before the transaction timed out.
    case timeout
    /// The transport failed (unreachable, connection refused or lost).
    case transportFailure
    /// 403, or a repeated 401/407 challenge: the credentials were refused.
    case credentialsRejected(code: Int)
    /// 404: the registrar does not know the SIP user name.
    case userUnknown(code: Int)
    /// 503, 500 or 480, with the Retry-After asked for if any.
    case busy(code: Int, retryAfter: UInt32?)
    /// 423 that could not be satisfied; `minimum` is the Min-Expires asked for.
    case intervalTooBrief(minimum: UInt32?)
    /// A 401/407 whose challenge trunkbox cannot answer.
    case unsupportedChallenge(code: Int, detail: String)
    /// Any other final refusal.
    case refused(code: Int, reason: String)
    /// A 2xx that granted the binding no time.
    case noTimeGranted
    /// The trunk did not answer an OPTIONS keep-alive.
    case keepAliveTimeout
    /// The registrar lost our binding (it restarted); registering again.
    case bindingLost
    /// The un-registration was not confirmed.
    case unregisterUnconfirmed

    public var description: String {
        switch self {
        case .timeout: "registrar did not answer (timeout)"
        case .transportFailure: "could not reach the registrar (transport error)"
        case .credentialsRejected(let code): "wrong password or SIP user name (\(code))"
        case .userUnknown(let code): "SIP user name not known to the registrar (\(code))"
        case .busy(let code, let retryAfter?): "registrar busy, retrying after \(retryAfter) s (\(code))"
        case .busy(let code, nil): "registrar busy (\(code))"
        case .intervalTooBrief(let minimum?): "registrar wants an expiry of at least \(minimum) s (423)"
        case .intervalTooBrief(nil): "registrar found the expiry too brief but named no minimum (423)"
        case .unsupportedChallenge(let code, let detail): "registrar asks for authentication trunkbox cannot answer: \(detail) (\(code))"
        case .refused(let code, let reason): "registrar refused the registration (\(code) \(reason))"
        case .noTimeGranted: "registrar accepted but granted no time (expires 0)"
        case .keepAliveTimeout: "trunk did not answer keep-alive (timeout)"
        case .bindingLost: "registrar lost our registration; registering again"
        case .unregisterUnconfirmed: "registrar did not confirm the un-registration"
        }
    }
}
