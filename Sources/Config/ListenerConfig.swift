// ListenerConfig: one SIP listening side of the box (LAN toward the PBX, WAN toward the trunk).

/// Where one side of the box listens for SIP: `sipPort` for UDP and TCP, `tlsPort` for TLS.
public struct ListenerConfig: Sendable, Hashable {
    /// An IPv4 or IPv6 address of the box, or `0.0.0.0` / `::` for all.
    public var address: String
    public var sipPort: Int
    public var tlsPort: Int
    /// Transports listened on, in the order written (at least one in a valid config).
    public var transports: [ConfigTransport]
    /// WAN only: a PEM file of the CAs trusted for the trunk's TLS certificate instead of the system
    /// store (a private trunk, the trunk emulator). Host names are still verified.
    public var tlsCAFile: String?

    public init(address: String, sipPort: Int, tlsPort: Int, transports: [ConfigTransport], tlsCAFile: String? = nil) {
        self.address = address
        self.sipPort = sipPort
        self.tlsPort = tlsPort
        self.transports = transports
        self.tlsCAFile = tlsCAFile
    }

    /// LAN side: all addresses, 5060 UDP/TCP (TLS port 5061 when enabled).
    public static let lanDefault = ListenerConfig(address: "0.0.0.0", sipPort: 5_060, tlsPort: 5_061, transports: [.udp, .tcp])
    /// WAN side: all addresses, 5080 UDP/TCP, 5081 TLS.
    public static let wanDefault = ListenerConfig(address: "0.0.0.0", sipPort: 5_080, tlsPort: 5_081, transports: [.udp, .tcp, .tls])
}
