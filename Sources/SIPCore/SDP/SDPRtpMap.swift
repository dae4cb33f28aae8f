// SDPRtpMap: the `a=rtpmap` attribute (RFC 8866 §6.6): payload type to encoding name, clock rate and channels.

/// A payload type mapping: `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]`.
public struct SDPRtpMap: Sendable, Hashable {
    /// RTP payload type, 0...127.
    public var payloadType: UInt8
    /// Encoding name as written, e.g. `PCMU`, `telephone-event`, `opus`.
    public var encodingName: String
    /// RTP clock rate in Hz.
    public var clockRate: UInt32
    /// Number of audio channels when given (`/2`); nil means the default of one.
    public var channels: Int?

    /// Creates a mapping.
    public init(payloadType: UInt8, encodingName: String, clockRate: UInt32, channels: Int? = nil) {
        self.payloadType = payloadType
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
    }

    /// Parses the value of an `a=rtpmap` attribute (the text after `rtpmap:`).
    public init(attributeValue: String) throws(SIPParseError) {
        self = try SDPRtpMap.parse(Array(attributeValue.utf8)[...])
    }

    /// The value of the `a=rtpmap` attribute.
    public var attributeValue: String {
        var s = "\(payloadType) \(encodingName)/\(clockRate)"
        if let channels { s += "/\(channels)" }
        return s
    }

    /// The full `a=rtpmap` attribute.
    public var attribute: SDPAttribute { SDPAttribute("rtpmap", attributeValue) }

    /// Channel count with the default applied.
    public var channelCount: Int { channels ?? 1 }

    /// True for RFC 4733 DTMF events (`telephone-event`).
    public var isTelephoneEvent: Bool { SDPBytes.equalsIgnoringCase(encodingName, "telephone-event") }

    /// True for RFC 3389 comfort noise (`CN`).
    public var isComfortNoise: Bool { SDPBytes.equalsIgnoringCase(encodingName, "CN") }

    /// True when `codec` describes the same encoding: name (ASCII case-insensitive), clock rate and channel count.
    public func matches(_ codec: SDPCodec) -> Bool {
        SDPBytes.equalsIgnoringCase(encodingName, codec.encodingName) && clockRate == codec.clockRate
            && channelCount == codec.channelCount
    }

    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPRtpMap {
        let base = value.startIndex
        let f = SDPBytes.fields(value)
        guard f.count == 2 else {
            throw SIPParseError("rtpmap needs <payload type> <encoding name>/<clock rate>", line: 0, column: 1)
        }
        guard let pt = SDPBytes.decimal(f[0], max: 127) else {
            throw SIPParseError("rtpmap payload type is not a number in 0...127", line: 0, column: f[0].startIndex - base + 1)
        }
        let parts = SDPBytes.split(f[1], on: SDPBytes.slash)
        guard parts.count == 2 || parts.count == 3 else {
            throw SIPParseError("rtpmap encoding needs <name>/<clock rate>[/<channels>]", line: 0, column: f[1].startIndex - base + 1)
        }
        guard SDPBytes.isToken(parts[0]) else {
            throw SIPParseError("rtpmap encoding name is not a token", line: 0, column: f[1].startIndex - base + 1)
        }
        guard let rate = SDPBytes.decimal(parts[1], max: UInt64(UInt32.max)), rate > 0 else {
            throw SIPParseError("rtpmap clock rate is not a positive 32-bit number", line: 0, column: parts[1].startIndex - base + 1)
        }
        var channels: Int?
        if parts.count == 3 {
            guard let n = SDPBytes.int(parts[2], max: 255), n > 0 else {
                throw SIPParseError("rtpmap channel count is not a number in 1...255", line: 0, column: parts[2].startIndex - base + 1)
            }
            channels = n
        }
        return SDPRtpMap(payloadType: UInt8(pt), encodingName: SDPBytes.string(parts[0]),
                         clockRate: UInt32(rate), channels: channels)
    }
}
