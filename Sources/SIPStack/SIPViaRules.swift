// SIPViaRules: the transport layer's Via rules: `received`/`rport` on receipt (RFC 3261 §18.2.1, RFC 3581 §4)
// and where a response goes (RFC 3261 §18.2.2, RFC 3581 §4).
import SIPCore

public enum SIPViaRules {
    /// Stamps the top Via of a received request with `received` when the sent-by host is not the
    /// packet's source address, and fills `rport` when the client asked for it.
    public static func stampReceived(_ request: inout SIPMessage, sourceIP: String, sourcePort: Int) throws(SIPParseError) {
        guard request.isRequest, var vias = Optional(try request.headers.via), !vias.isEmpty else { return }
        var top = vias[0]
        let hostWithoutBrackets = top.host.hasPrefix("[") ? String(top.host.dropFirst().dropLast()) : top.host
        var changed = false
        if hostWithoutBrackets.lowercased() != sourceIP.lowercased() || top.rport != nil {
            top.received = sourceIP
            changed = true
        }
        if let rport = top.rport, rport.value == nil {
            top.parameters.set("rport", String(sourcePort))
            changed = true
        }
        guard changed else { return }
        vias[0] = top
        try request.headers.removeFirstValue(.via)
        request.headers.prepend(.via, top.description)
    }

    /// Where a response to a request with this top Via goes.
    public struct Destination: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var transport: SIPTransportKind
        /// On a reliable transport, first try the connection the request came on.
        public var preferReceivingConnection: Bool
    }

    /// §18.2.2: reliable → the same connection, else received (or sent-by) with the sent-by port;
    /// maddr → that address; unreliable → received with rport (RFC 3581) or the sent-by port.
    public static func responseDestination(for response: SIPMessage) throws(SIPParseError) -> Destination? {
        guard let top = try response.headers.topVia, let transport = SIPTransportKind(token: top.transport) else { return nil }
        let host = top.received ?? top.host
        let defaultPort = transport.defaultPort
        if transport.isReliable {
            return Destination(host: host, port: top.port ?? defaultPort, transport: transport, preferReceivingConnection: true)
        }
        if let maddr = top.maddr {
            return Destination(host: maddr, port: top.port ?? defaultPort, transport: transport, preferReceivingConnection: false)
        }
        if let rport = top.rportValue {
            return Destination(host: host, port: rport, transport: transport, preferReceivingConnection: false)
        }
        return Destination(host: host, port: top.port ?? defaultPort, transport: transport, preferReceivingConnection: false)
    }
}
