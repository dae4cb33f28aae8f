// SIPInbound: a message as the transport layer hands it up: where it came from and on what.
import NIOCore
import SIPCore

public struct SIPInbound: Sendable {
    public var message: SIPMessage
    public var source: SocketAddress
    public var transport: SIPTransportKind
    public var side: SIPSide
    /// The connection it arrived on (TCP/TLS), so a response can go back the same way.
    public var connection: SIPConnectionID?
    public var sourceIP: String { source.ipAddress ?? "?" }
    public var sourcePort: Int { source.port ?? 0 }

    public init(message: SIPMessage, source: SocketAddress, transport: SIPTransportKind, side: SIPSide, connection: SIPConnectionID? = nil) {
        self.message = message
        self.source = source
        self.transport = transport
        self.side = side
        self.connection = connection
    }
}

/// Identifies one TCP/TLS connection in the transport layer's table.
public struct SIPConnectionID: Sendable, Hashable, CustomStringConvertible {
    let value: UInt64
    public var description: String { "conn#\(value)" }
}
