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

/// A received request without the request: where it came from and where its responses go (RFC 3261
/// §18.2.2). A server transaction's driver keeps this, not the parsed request, for its whole life.
public struct SIPResponseRoute: Sendable {
    public var source: SocketAddress
    public var transport: SIPTransportKind
    public var side: SIPSide
    public var connection: SIPConnectionID?
    /// From the request's top Via; nil when it names no transport the box knows.
    public var destination: SIPViaRules.Destination?

    public init(inbound: SIPInbound, destination: SIPViaRules.Destination?) {
        self.source = inbound.source
        self.transport = inbound.transport
        self.side = inbound.side
        self.connection = inbound.connection
        self.destination = destination
    }

    /// The request as its transport handed it up, for the TU.
    public func inbound(_ message: SIPMessage) -> SIPInbound {
        SIPInbound(message: message, source: source, transport: transport, side: side, connection: connection)
    }
}

/// Identifies one TCP/TLS connection in the transport layer's table.
public struct SIPConnectionID: Sendable, Hashable, CustomStringConvertible {
    let value: UInt64
    public var description: String { "conn#\(value)" }
}
