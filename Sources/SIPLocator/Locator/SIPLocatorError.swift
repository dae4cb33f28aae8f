// SIPLocatorError: why RFC 3263 server location gave no target (RFC 3263 §4, RFC 2782).

/// A reason the locator could not produce any target.
public enum SIPLocatorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The host is neither an IP address nor a usable host name.
    case invalidHost(String)
    /// The port is outside 1...65535.
    case invalidPort(Int)
    /// The `transport` parameter names a transport the box does not implement (e.g. `sctp`, `ws`).
    case unsupportedTransport(String)
    /// A SIPS URI asks for a transport without TLS (`transport=udp`).
    case insecureTransport(String)
    /// The transport the URI needs is not among those configured.
    case transportNotAllowed(SIPTransport)
    /// The configuration allows no transport at all.
    case noTransports
    /// SRV says the service is not available at this domain (target `.`, RFC 2782).
    case serviceUnavailable(DNSName)
    /// Every lookup completed and none gave an address.
    case noAddresses(DNSName)
    /// Nothing was found and this lookup (the first to fail) timed out or drew a server error.
    case lookupFailed(DNSQuestion)

    public var description: String {
        switch self {
        case .invalidHost(let host): "invalid host \"\(host)\""
        case .invalidPort(let port): "invalid port \(port)"
        case .unsupportedTransport(let t): "unsupported transport \"\(t)\""
        case .insecureTransport(let t): "transport \"\(t)\" is not allowed in a SIPS URI"
        case .transportNotAllowed(let t): "transport \(t) is not enabled"
        case .noTransports: "no transport is enabled"
        case .serviceUnavailable(let name): "SIP service is not available at \(name)"
        case .noAddresses(let name): "no address found for \(name)"
        case .lookupFailed(let q): "DNS lookup failed: \(q)"
        }
    }
}
