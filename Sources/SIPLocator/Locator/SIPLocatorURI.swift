// SIPLocatorURI: the parts of a SIP or SIPS URI that server location reads (RFC 3263 §4: host, port, transport, maddr).

/// What RFC 3263 needs from a URI, free of any SIP parser: build it from a parsed URI's fields.
public struct SIPLocatorURI: Hashable, Sendable {
    /// Host name, dotted IPv4, or IPv6 with or without brackets.
    public var host: String
    /// Explicit port; nil when the URI has none.
    public var port: Int?
    /// The `transport` URI parameter as written (`udp`, `tcp`, `tls`, ...), nil when absent.
    public var transport: String?
    /// True for `sips:`.
    public var isSecure: Bool
    /// The `maddr` parameter; when present it replaces `host` as the target (RFC 3263 §4).
    public var maddr: String?

    public init(host: String, port: Int? = nil, transport: String? = nil, isSecure: Bool = false, maddr: String? = nil) {
        self.host = host
        self.port = port
        self.transport = transport
        self.isSecure = isSecure
        self.maddr = maddr
    }

    /// The transport the URI asks for: `udp`, `tcp` and `tls` (any case), with `tcp` meaning TLS in a
    /// SIPS URI. Nil when the parameter is absent.
    public func requestedTransport() throws(SIPLocatorError) -> SIPTransport? {
        guard let transport else { return nil }
        switch transport.lowercased() {
        case "udp":
            guard !isSecure else { throw .insecureTransport(transport) }
            return .udp
        case "tcp": return isSecure ? .tls : .tcp
        case "tls": return .tls
        default: throw .unsupportedTransport(transport)
        }
    }
}
