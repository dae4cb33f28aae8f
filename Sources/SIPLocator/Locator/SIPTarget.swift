// SIPTarget: one place to send a request: address, port and transport (RFC 3263 §4.2 output).

/// A resolved next hop.
public struct SIPTarget: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16
    public var transport: SIPTransport

    public init(address: IPAddress, port: UInt16, transport: SIPTransport) {
        self.address = address
        self.port = port
        self.transport = transport
    }

    /// `udp:192.0.2.1:5060`, `tls:[2001:db8::1]:5061`.
    public var description: String {
        switch address {
        case .v4(let a): "\(transport):\(a):\(port)"
        case .v6(let a): "\(transport):[\(a)]:\(port)"
        }
    }
}
