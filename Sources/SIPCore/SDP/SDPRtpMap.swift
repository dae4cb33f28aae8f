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

    /// The payload type an rtpmap value starts with (leading spaces skipped), without parsing the rest.
    static func leadingPayloadType(_ value: String) -> UInt8? {
        var pt = 0, digits = 0
        for b in value.utf8 {
            if SDPBytes.isDigit(b) {
                pt = pt * 10 + Int(b - 0x30); digits += 1
                if pt > 127 { return nil }
            } else if digits == 0 && SDPBytes.isWhitespace(b) {
                continue
            } else {
                break
            }
        }
        return digits > 0 ? UInt8(pt) : nil
    }

    // `<payload type> <name>/<rate>[/<channels>]`: exactly two whitespace-separated fields, the second
    // split on `/` into two or three parts; read by index, no intermediate arrays.
    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPRtpMap {
        let base = value.startIndex, end = value.endIndex
        var i = base
        func skipSpace() { while i < end && SDPBytes.isWhitespace(value[i]) { i += 1 } }
        func skipField() { while i < end && !SDPBytes.isWhitespace(value[i]) { i += 1 } }
        skipSpace()
        let ptStart = i
        skipField()
        let ptEnd = i
        skipSpace()
        let encStart = i
        skipField()
        let encEnd = i
        skipSpace()
        guard ptStart < ptEnd, encStart < encEnd, i == end else {
            throw SIPParseError("rtpmap needs <payload type> <encoding name>/<clock rate>", line: 0, column: 1)
        }
        guard let pt = SDPBytes.decimal(value[ptStart..<ptEnd], max: 127) else {
            throw SIPParseError("rtpmap payload type is not a number in 0...127", line: 0, column: ptStart - base + 1)
        }
        let encoding = value[encStart..<encEnd]
        let slash1 = encoding.firstIndex(of: SDPBytes.slash)
        let slash2 = slash1.flatMap { encoding[($0 + 1)...].firstIndex(of: SDPBytes.slash) }
        let slash3 = slash2.flatMap { encoding[($0 + 1)...].firstIndex(of: SDPBytes.slash) }
        guard let slash1, slash3 == nil else {
            throw SIPParseError("rtpmap encoding needs <name>/<clock rate>[/<channels>]", line: 0, column: encStart - base + 1)
        }
        let name = encoding[encStart..<slash1]
        guard SDPBytes.isToken(name) else {
            throw SIPParseError("rtpmap encoding name is not a token", line: 0, column: encStart - base + 1)
        }
        let rateBytes = encoding[(slash1 + 1)..<(slash2 ?? encEnd)]
        guard let rate = SDPBytes.decimal(rateBytes, max: UInt64(UInt32.max)), rate > 0 else {
            throw SIPParseError("rtpmap clock rate is not a positive 32-bit number", line: 0, column: rateBytes.startIndex - base + 1)
        }
        var channels: Int?
        if let slash2 {
            let count = encoding[(slash2 + 1)..<encEnd]
            guard let n = SDPBytes.int(count, max: 255), n > 0 else {
                throw SIPParseError("rtpmap channel count is not a number in 1...255", line: 0, column: count.startIndex - base + 1)
            }
            channels = n
        }
        return SDPRtpMap(payloadType: UInt8(pt), encodingName: SDPBytes.string(name),
                         clockRate: UInt32(rate), channels: channels)
    }
}
