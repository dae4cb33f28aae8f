// RegistrationAction: what the registration client asks its driver to do (send a request, arm or cancel its one timer, publish status).

/// An output of `RegistrationClient.handle(_:)`, to be carried out in order.
public enum RegistrationAction: Sendable {
    /// Send this request in a new client transaction (after adding a Via) and report its outcome.
    case sendRequest(RegistrationRequest)
    /// Arm the client's single timer for this instant, replacing any armed one; report `.timerFired`.
    case setTimer(at: RegistrationInstant)
    /// Disarm the client's timer.
    case cancelTimer
    /// The status changed; hand it to the console and logs.
    case stateChanged(RegistrationStatus)
}
