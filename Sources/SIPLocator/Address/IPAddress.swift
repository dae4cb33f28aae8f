// IPAddress: an IPv4 or IPv6 address, as a SIP URI host or a DNS answer gives it (RFC 3261 §19.1.1, RFC 3263 §4.2).

/// Either address family.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses dotted IPv4, IPv6 text, or a bracketed IPv6 reference (`[2001:db8::1]`) as SIP URIs
    /// write it; nil for anything else, host names included.
    public init?(_ text: some StringProtocol) {
        if let v4 = IPv4Address(text) {
            self = .v4(v4)
            return
        }
        var inner = Substring(text)
        if inner.first == "[" {
            guard inner.last == "]", inner.count > 2 else { return nil }
            inner = inner.dropFirst().dropLast()
        }
        guard let v6 = IPv6Address(inner) else { return nil }
        self = .v6(v6)
    }

    public var family: IPAddressFamily {
        switch self {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }

    /// The octets in network order: four or sixteen.
    public var bytes: [UInt8] {
        switch self {
        case .v4(let a): a.bytes
        case .v6(let a): a.bytes
        }
    }

    /// Dotted-decimal or RFC 5952 text, without brackets.
    public var description: String {
        switch self {
        case .v4(let a): a.description
        case .v6(let a): a.description
        }
    }
}
