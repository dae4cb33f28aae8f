// SIPTransportKind: the SIP transports the box speaks (RFC 3261 §18), their Via tokens and default ports.

public enum SIPTransportKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case udp
    case tcp
    case tls

    /// The token written in Via (`SIP/2.0/UDP`).
    public var viaToken: String { rawValue.uppercased() }
    /// Whether the transport itself retransmits (§17: no Timer A/E/G on reliable transports).
    public var isReliable: Bool { self != .udp }
    public var isSecure: Bool { self == .tls }
    public var defaultPort: Int { self == .tls ? 5061 : 5060 }
    public var description: String { viaToken }

    /// From a Via transport token or a `transport=` URI parameter, case-insensitively.
    public init?(token: String) {
        switch token.lowercased() {
        case "udp": self = .udp
        case "tcp": self = .tcp
        case "tls": self = .tls
        default: return nil
        }
    }
}

/// Which side of the box a listener or connection belongs to.
public enum SIPSide: String, Sendable, Hashable, CustomStringConvertible {
    /// Toward the office PBX.
    case lan
    /// Toward the SIP trunk.
    case wan
    public var description: String { rawValue.uppercased() }
}
