// RegistrationTarget: one resolved next hop for the registrar, in RFC 3263 §4 order (address, port, transport).

import SIPCore

/// One place to send the REGISTER: an address (or host name the driver resolves), a port and a transport.
/// The driver produces the ordered list from RFC 3263 resolution (NAPTR, SRV, A/AAAA); the client tries
/// them in that order.
public struct RegistrationTarget: Sendable, Hashable, CustomStringConvertible {
    /// IPv4 address, bracketed IPv6 reference or host name.
    public var host: String
    public var port: Int
    public var transport: RegistrationTransport

    public init(host: String, port: Int, transport: RegistrationTransport = .udp) {
        self.host = host
        self.port = port
        self.transport = transport
    }

    /// The target a URI names by itself: its host, its port or the transport's default port.
    public init(uri: SIPURI, transport: RegistrationTransport) {
        self.init(host: uri.host, port: uri.port ?? transport.defaultPort, transport: transport)
    }

    /// `udp:203.0.113.5:5060`.
    public var description: String { "\(transport):\(host):\(port)" }
}
