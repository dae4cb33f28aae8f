// RegistrationTransport: the transport a registration target is reached over (RFC 3261 §18, RFC 3263 §4.1).

/// UDP, TCP or TLS, as named in Via and in the `transport` URI parameter.
public enum RegistrationTransport: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case udp
    case tcp
    case tls

    /// The port used when a URI names none: 5061 for TLS, 5060 otherwise (RFC 3261 §19.1.2).
    public var defaultPort: Int { self == .tls ? 5061 : 5060 }

    /// `udp`, `tcp` or `tls`.
    public var description: String { rawValue }
}
