// RegistrationFailure: why a registration needs a person's attention (RFC 3261 §21.4.2 403, §22.2 refused credentials, §21.6 6xx).

/// A failure that retrying soon will not cure; the client still retries, at the long interval.
public enum RegistrationFailure: Sendable, Hashable, CustomStringConvertible {
    /// The registrar refused the credentials or does not know the user: fix the user name or password.
    case forbidden(String)
    /// The registrar asks for something trunkbox cannot do, such as an authentication scheme.
    case unsupported(String)
    /// The registrar refused the registration for good (6xx).
    case refused(String)

    /// The reason in plain words.
    public var description: String {
        switch self {
        case .forbidden(let why), .unsupported(let why), .refused(let why): why
        }
    }
}
