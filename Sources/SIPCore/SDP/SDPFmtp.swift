// SDPFmtp: the `a=fmtp` attribute (RFC 8866 §6.15): format-specific parameters, with a key=value reader.

/// Format parameters: `a=fmtp:<format> <format specific parameters>`.
public struct SDPFmtp: Sendable, Hashable {
    /// One `name[=value]` item of a `;`-separated parameter string.
    public struct Parameter: Sendable, Hashable {
        /// Text before `=` (or the whole item when there is no `=`), trimmed.
        public var name: String
        /// Text after `=`, trimmed; nil when the item has no `=`.
        public var value: String?

        /// Creates a parameter.
        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// The format the parameters apply to (an RTP payload type for RTP media).
    public var format: String
    /// The parameter string, verbatim (e.g. `0-16` or `annexb=no`).
    public var parameters: String

    /// Creates format parameters.
    public init(format: String, parameters: String) {
        self.format = format
        self.parameters = parameters
    }

    /// Creates format parameters for an RTP payload type.
    public init(payloadType: UInt8, parameters: String) {
        self.init(format: String(payloadType), parameters: parameters)
    }

    /// Parses the value of an `a=fmtp` attribute (the text after `fmtp:`).
    public init(attributeValue: String) throws(SIPParseError) {
        self = try SDPFmtp.parse(Array(attributeValue.utf8)[...])
    }

    /// The format as an RTP payload type, when it is one.
    public var payloadType: UInt8? {
        SDPBytes.decimal(Array(format.utf8)[...], max: 127).map { UInt8($0) }
    }

    /// The value of the `a=fmtp` attribute.
    public var attributeValue: String { "\(format) \(parameters)" }

    /// The full `a=fmtp` attribute.
    public var attribute: SDPAttribute { SDPAttribute("fmtp", attributeValue) }

    /// The parameter string split at `;` into trimmed `name[=value]` items; empty items are skipped.
    /// `annexb=no` gives one item named `annexb` with value `no`; `0-16` one item named `0-16`.
    public var parameterList: [Parameter] {
        let bytes = Array(parameters.utf8)
        var out: [Parameter] = []
        for item in SDPBytes.split(bytes[...], on: SDPBytes.semicolon) {
            let trimmed = SDPFmtp.trim(item)
            if trimmed.isEmpty { continue }
            if let eq = SDPBytes.firstIndex(of: SDPBytes.equals, in: trimmed) {
                out.append(Parameter(name: SDPBytes.string(SDPFmtp.trim(trimmed[trimmed.startIndex..<eq])),
                                     value: SDPBytes.string(SDPFmtp.trim(trimmed[(eq + 1)...]))))
            } else {
                out.append(Parameter(name: SDPBytes.string(trimmed)))
            }
        }
        return out
    }

    /// Value of the first parameter called `name` (ASCII case-insensitive); nil when absent or valueless.
    public func value(for name: String) -> String? {
        parameterList.first { SDPBytes.equalsIgnoringCase($0.name, name) }?.value
    }

    /// The RFC 4733 §2.4.1 event list of a telephone-event format (`0-15,66,70` gives 0...15, 66...66, 70...70);
    /// nil when the string is not such a list or an event number exceeds 255.
    public var telephoneEventRanges: [ClosedRange<Int>]? {
        let bytes = Array(parameters.utf8)
        let trimmed = SDPFmtp.trim(bytes[...])
        if trimmed.isEmpty { return nil }
        var ranges: [ClosedRange<Int>] = []
        for item in SDPBytes.split(trimmed, on: 0x2C) {
            let part = SDPFmtp.trim(item)
            if let dash = SDPBytes.firstIndex(of: SDPBytes.minus, in: part) {
                guard let lo = SDPBytes.int(part[part.startIndex..<dash], max: 255),
                      let hi = SDPBytes.int(part[(dash + 1)...], max: 255), lo <= hi else { return nil }
                ranges.append(lo...hi)
            } else {
                guard let n = SDPBytes.int(part, max: 255) else { return nil }
                ranges.append(n...n)
            }
        }
        return ranges
    }

    static func trim(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi && SDPBytes.isWhitespace(s[lo]) { lo += 1 }
        while hi > lo && SDPBytes.isWhitespace(s[hi - 1]) { hi -= 1 }
        return s[lo..<hi]
    }

    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPFmtp {
        let f = SDPBytes.fields(value, limit: 2)
        guard let format = f.first, SDPBytes.isToken(format) else {
            throw SIPParseError("fmtp needs <format> <parameters>", line: 0, column: 1)
        }
        return SDPFmtp(format: SDPBytes.string(format), parameters: f.count == 2 ? SDPBytes.string(f[1]) : "")
    }
}
