// RegistrationEvent: what the driver tells the registration client: requests' outcomes, timers, transport and config changes (RFC 3261 §10.2, §17.1.2).

import SIPCore

/// An input to `RegistrationClient.handle(_:)`. Every event carries the driver's current time.
public enum RegistrationEvent: Sendable {
    /// Begin: send the first REGISTER (or, in IP-authentication mode, the first keep-alive).
    case start(now: RegistrationInstant)
    /// A response arrived for a request the client asked to send (matched by Call-ID and CSeq;
    /// responses to abandoned requests are ignored).
    case responseReceived(SIPMessage, now: RegistrationInstant)
    /// The transaction of the request with this CSeq ended without a final response (Timer F, RFC 3261 §17.1.2.2).
    case transactionTimedOut(SIPCSeq, now: RegistrationInstant)
    /// The transport to the current target failed: ICMP unreachable, connection refused or lost, TLS
    /// handshake failure. Any outstanding request is treated as lost.
    case transportError(now: RegistrationInstant)
    /// The transport is up again, maybe with a new local address: register at once with this Contact.
    case transportReconnected(contact: SIPURI, now: RegistrationInstant)
    /// The timer the client last set has expired (early or late firings are tolerated).
    case timerFired(now: RegistrationInstant)
    /// Evidence that the registrar lost our binding (a request to an unregistered contact, a 481 or
    /// 404 to a keep-alive, an operator's "re-register"): register again at once.
    case registrarRestartDetected(now: RegistrationInstant)
    /// The profile's user name or password changed: forget challenges and register at once.
    case credentialsChanged(username: String, secret: DigestSecret, now: RegistrationInstant)
    /// RFC 3263 resolution produced a new target list.
    case targetsChanged([RegistrationTarget], now: RegistrationInstant)
    /// Un-register (Expires: 0) if a binding may exist, then stop.
    case stop(now: RegistrationInstant)

    /// The time the event carries.
    public var now: RegistrationInstant {
        switch self {
        case .start(let now), .responseReceived(_, let now), .transactionTimedOut(_, let now),
             .transportError(let now), .transportReconnected(_, let now), .timerFired(let now),
             .registrarRestartDetected(let now), .credentialsChanged(_, _, let now), .targetsChanged(_, let now),
             .stop(let now):
            return now
        }
    }
}
