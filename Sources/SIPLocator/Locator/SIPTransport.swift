// SIPTransport: the transports RFC 3263 chooses between, with their SRV and NAPTR names and default ports (RFC 3263 §4.1, RFC 3261 §19.1.2).

/// A SIP transport the box can use toward a server.
public enum SIPTransport: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case udp
    case tcp
    /// TLS over TCP.
    case tls

    /// 5060, or 5061 for TLS (RFC 3261 §19.1.2).
    public var defaultPort: UInt16 { self == .tls ? 5061 : 5060 }

    /// True for the stream transports.
    public var isReliable: Bool { self != .udp }

    public var isSecure: Bool { self == .tls }

    /// The SRV owner-name prefix: `_sip._udp`, `_sip._tcp` or `_sips._tcp` (RFC 3263 §4.1).
    public var serviceLabels: (service: String, proto: String) {
        switch self {
        case .udp: ("_sip", "_udp")
        case .tcp: ("_sip", "_tcp")
        case .tls: ("_sips", "_tcp")
        }
    }

    /// The NAPTR service field: `SIP+D2U`, `SIP+D2T` or `SIPS+D2T` (RFC 3263 §4.1).
    public var naptrService: String {
        switch self {
        case .udp: "SIP+D2U"
        case .tcp: "SIP+D2T"
        case .tls: "SIPS+D2T"
        }
    }

    /// The Via transport token: `UDP`, `TCP` or `TLS`.
    public var viaToken: String { rawValue.uppercased() }

    public var description: String { rawValue }

    /// The SRV owner name for this transport at `domain`, e.g. `_sip._udp.example.com`.
    public func serviceName(at domain: DNSName) throws(DNSError) -> DNSName {
        try domain.prepending(serviceLabels.proto).prepending(serviceLabels.service)
    }
}
