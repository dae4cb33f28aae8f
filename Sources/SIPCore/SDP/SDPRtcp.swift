// SDPRtcp: the `a=rtcp` attribute (RFC 3605 §2.1): RTCP port and optional address when not RTP port + 1.

/// Where the party receives RTCP: `a=rtcp:<port> [<nettype> <addrtype> <address>]`.
public struct SDPRtcp: Sendable, Hashable {
    /// RTCP port.
    public var port: UInt16
    /// RTCP address when it differs from the media connection address.
    public var connection: SDPConnection?

    /// Creates an RTCP attribute view.
    public init(port: UInt16, connection: SDPConnection? = nil) {
        self.port = port
        self.connection = connection
    }

    /// Parses the value of an `a=rtcp` attribute.
    public init(attributeValue: String) throws(SIPParseError) {
        self = try SDPRtcp.parse(Array(attributeValue.utf8)[...])
    }

    /// The value of the `a=rtcp` attribute.
    public var attributeValue: String {
        guard let connection else { return String(port) }
        return "\(port) \(connection.networkType) \(connection.addressType) \(connection.address)"
    }

    /// The full `a=rtcp` attribute.
    public var attribute: SDPAttribute { SDPAttribute("rtcp", attributeValue) }

    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPRtcp {
        let base = value.startIndex
        let f = SDPBytes.fields(value, limit: 2)
        guard let first = f.first, let port = SDPBytes.decimal(first, max: 65_535) else {
            throw SIPParseError("rtcp port is not a number in 0...65535", line: 0, column: (f.first?.startIndex ?? base) - base + 1)
        }
        var connection: SDPConnection?
        if f.count == 2 {
            let rest = f[1]
            do {
                connection = try SDPConnection.parse(rest)
            } catch {
                throw SIPParseError("rtcp address: " + error.reason, line: 0, column: rest.startIndex - base + error.column)
            }
        }
        return SDPRtcp(port: UInt16(port), connection: connection)
    }
}
