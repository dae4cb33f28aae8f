// IPAddressFamily: IPv4 or IPv6, and the record type that carries each (RFC 1035 §3.4.1, RFC 3596 §2.1).

/// An address family, used to say which address records the locator asks for and in what order.
public enum IPAddressFamily: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case ipv4
    case ipv6

    /// A for IPv4, AAAA for IPv6.
    public var recordType: DNSRecordType { self == .ipv4 ? .a : .aaaa }

    public var description: String { self == .ipv4 ? "IPv4" : "IPv6" }
}
