// SDPConnection: the `c=` line (RFC 8866 §5.7), including multicast TTL and address count.

/// Connection data: where media is sent to (or, for multicast, the group).
public struct SDPConnection: Sendable, Hashable {
    /// Network type, `IN` in practice.
    public var networkType: String
    /// Address type, `IP4` or `IP6`.
    public var addressType: String
    /// Unicast or multicast address, or a host name.
    public var address: String
    /// IPv4 multicast time-to-live (`/ttl`), 0...255.
    public var ttl: Int?
    /// Number of consecutive multicast addresses (`/count`).
    public var addressCount: Int?

    /// Creates connection data from its fields.
    public init(networkType: String = "IN", addressType: String, address: String, ttl: Int? = nil, addressCount: Int? = nil) {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
        self.ttl = ttl
        self.addressCount = addressCount
    }

    /// `IN IP4 <address>`.
    public static func ip4(_ address: String) -> SDPConnection {
        SDPConnection(addressType: "IP4", address: address)
    }

    /// `IN IP6 <address>`.
    public static func ip6(_ address: String) -> SDPConnection {
        SDPConnection(addressType: "IP6", address: address)
    }

    /// Parses the text after `c=`.
    public init(parsing value: String) throws(SIPParseError) {
        self = try SDPConnection.parse(Array(value.utf8)[...])
    }

    /// True for the unspecified address (`0.0.0.0` or `::`), which older UAs use to put a call on hold (RFC 3264 §8.4).
    public var isUnspecified: Bool {
        address == "0.0.0.0" || address == "::"
    }

    /// The same connection with the address replaced by the unspecified address of its type.
    public var unspecified: SDPConnection {
        var c = self
        c.address = SDPBytes.equalsIgnoringCase(addressType, "IP6") ? "::" : "0.0.0.0"
        c.ttl = nil
        c.addressCount = nil
        return c
    }

    /// The text that follows `c=`.
    public var lineValue: String {
        var s = "\(networkType) \(addressType) \(address)"
        if let ttl { s += "/\(ttl)" }
        if let addressCount { s += "/\(addressCount)" }
        return s
    }

    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPConnection {
        let base = value.startIndex
        let f = SDPBytes.fields(value)
        guard f.count == 3 else {
            throw SIPParseError("c= needs 3 fields (nettype addrtype address), found \(f.count)", line: 0, column: 1)
        }
        guard SDPBytes.isToken(f[0]) else {
            throw SIPParseError("c= network type is not a token", line: 0, column: f[0].startIndex - base + 1)
        }
        guard SDPBytes.isToken(f[1]) else {
            throw SIPParseError("c= address type is not a token", line: 0, column: f[1].startIndex - base + 1)
        }
        let addrType = SDPBytes.string(f[1])
        let isIP4 = SDPBytes.equalsIgnoringCase(addrType, "IP4")
        let isIP6 = SDPBytes.equalsIgnoringCase(addrType, "IP6")
        var addressPart = f[2]
        var ttl: Int?
        var count: Int?
        if isIP4 || isIP6 {
            let parts = SDPBytes.split(f[2], on: SDPBytes.slash)
            addressPart = parts[0]
            let maxSuffixes = isIP4 ? 2 : 1
            guard parts.count - 1 <= maxSuffixes else {
                throw SIPParseError("c= address has too many '/' suffixes", line: 0, column: f[2].startIndex - base + 1)
            }
            if parts.count >= 2 {
                guard let n = SDPBytes.int(parts[1], max: isIP4 ? 255 : 65_535) else {
                    throw SIPParseError(isIP4 ? "c= multicast TTL is not a number in 0...255" : "c= address count is not a number in 1...65535",
                                        line: 0, column: parts[1].startIndex - base + 1)
                }
                if isIP4 { ttl = n } else {
                    guard n >= 1 else {
                        throw SIPParseError("c= address count must be at least 1", line: 0, column: parts[1].startIndex - base + 1)
                    }
                    count = n
                }
            }
            if parts.count == 3 {
                guard let n = SDPBytes.int(parts[2], max: 65_535), n >= 1 else {
                    throw SIPParseError("c= address count is not a number in 1...65535", line: 0, column: parts[2].startIndex - base + 1)
                }
                count = n
            }
        }
        guard SDPBytes.isNonWhitespaceString(addressPart) else {
            throw SIPParseError("c= address is empty", line: 0, column: f[2].startIndex - base + 1)
        }
        return SDPConnection(networkType: SDPBytes.string(f[0]), addressType: addrType,
                             address: SDPBytes.string(addressPart), ttl: ttl, addressCount: count)
    }
}
