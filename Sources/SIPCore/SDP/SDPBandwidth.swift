// SDPBandwidth: the `b=` line (RFC 8866 §5.8): AS, CT, TIAS (RFC 3890), RR/RS (RFC 3556) or any other bwtype.

/// A proposed bandwidth for the session or one media section.
public struct SDPBandwidth: Sendable, Hashable {
    /// Bandwidth type token, e.g. `AS`, `CT`, `TIAS`, `RR`, `RS`.
    public var type: String
    /// Value, in kilobits per second for AS/CT, bits per second for TIAS, as the type defines.
    public var value: UInt64

    /// Creates a bandwidth line from its type and value.
    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }

    /// Parses the text after `b=`.
    public init(parsing value: String) throws(SIPParseError) {
        self = try SDPBandwidth.parse(Array(value.utf8)[...])
    }

    /// The text that follows `b=`.
    public var lineValue: String { "\(type):\(value)" }

    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPBandwidth {
        let base = value.startIndex
        guard let colon = SDPBytes.firstIndex(of: SDPBytes.colon, in: value) else {
            throw SIPParseError("b= needs <bwtype>:<bandwidth>", line: 0, column: 1)
        }
        let type = value[base..<colon]
        guard SDPBytes.isToken(type) else {
            throw SIPParseError("b= bandwidth type is not a token", line: 0, column: 1)
        }
        guard let n = SDPBytes.decimal(value[(colon + 1)...]) else {
            throw SIPParseError("b= bandwidth is not a number within 64 bits", line: 0, column: colon + 1 - base + 1)
        }
        return SDPBandwidth(type: SDPBytes.string(type), value: n)
    }
}
