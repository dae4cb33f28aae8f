// SDPOrigin: the `o=` line (RFC 8866 §5.2): who made the session description and which version it is.

/// The originator and version of a session description.
public struct SDPOrigin: Sendable, Hashable {
    /// Login of the originating user, `-` when there is none.
    public var username: String
    /// Numeric session identifier; kept as text because implementations use values of any length.
    public var sessionID: String
    /// Version of this session description; RFC 3264 §8 requires it to grow by one with each change.
    public var sessionVersion: UInt64
    /// Network type, `IN` in practice.
    public var networkType: String
    /// Address type, `IP4` or `IP6`.
    public var addressType: String
    /// Address (or host name) of the originating machine.
    public var address: String

    /// Creates an origin from its six fields.
    public init(username: String = "-", sessionID: String, sessionVersion: UInt64,
                networkType: String = "IN", addressType: String = "IP4", address: String) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// Parses the text after `o=`.
    public init(parsing value: String) throws(SIPParseError) {
        self = try SDPOrigin.parse(Array(value.utf8)[...])
    }

    /// The text that follows `o=`.
    public var lineValue: String {
        "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(address)"
    }

    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPOrigin {
        let base = value.startIndex
        let f = SDPBytes.fields(value)
        guard f.count == 6 else {
            throw SIPParseError("o= needs 6 fields (username sess-id sess-version nettype addrtype address), found \(f.count)",
                                line: 0, column: 1)
        }
        guard SDPBytes.isToken(f[1]) else {
            throw SIPParseError("o= session id is not a token", line: 0, column: f[1].startIndex - base + 1)
        }
        guard let version = SDPBytes.decimal(f[2]) else {
            throw SIPParseError("o= session version is not a number within 64 bits", line: 0, column: f[2].startIndex - base + 1)
        }
        guard SDPBytes.isToken(f[3]) else {
            throw SIPParseError("o= network type is not a token", line: 0, column: f[3].startIndex - base + 1)
        }
        guard SDPBytes.isToken(f[4]) else {
            throw SIPParseError("o= address type is not a token", line: 0, column: f[4].startIndex - base + 1)
        }
        return SDPOrigin(username: SDPBytes.string(f[0]), sessionID: SDPBytes.string(f[1]), sessionVersion: version,
                         networkType: SDPBytes.string(f[3]), addressType: SDPBytes.string(f[4]),
                         address: SDPBytes.string(f[5]))
    }
}
