// SDPTiming: a `t=` line with its `r=` repeat lines (RFC 8866 §5.9, §5.10).

/// When the session is active: start and stop times (NTP seconds, 0 for unbounded) plus any repeat times.
public struct SDPTiming: Sendable, Hashable {
    /// Start time in NTP seconds; 0 means the session is permanent.
    public var start: UInt64
    /// Stop time in NTP seconds; 0 means unbounded.
    public var stop: UInt64
    /// The text of each `r=` line that follows this `t=` line, verbatim.
    public var repeats: [String]

    /// Creates timing; `SDPTiming()` is the `t=0 0` every SIP session uses.
    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }

    /// The text that follows `t=`.
    public var lineValue: String { "\(start) \(stop)" }

    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPTiming {
        let base = value.startIndex
        let f = SDPBytes.fields(value)
        guard f.count == 2 else {
            throw SIPParseError("t= needs 2 fields (start stop), found \(f.count)", line: 0, column: 1)
        }
        guard let start = SDPBytes.decimal(f[0]) else {
            throw SIPParseError("t= start time is not a number within 64 bits", line: 0, column: f[0].startIndex - base + 1)
        }
        guard let stop = SDPBytes.decimal(f[1]) else {
            throw SIPParseError("t= stop time is not a number within 64 bits", line: 0, column: f[1].startIndex - base + 1)
        }
        return SDPTiming(start: start, stop: stop)
    }

    // Checks the text of an `r=` line: `<repeat interval> <active duration> <offsets from start time>...`.
    static func validateRepeat(_ value: ArraySlice<UInt8>) throws(SIPParseError) {
        let base = value.startIndex
        let f = SDPBytes.fields(value)
        guard f.count >= 3 else {
            throw SIPParseError("r= needs at least 3 fields (interval duration offset...), found \(f.count)", line: 0, column: 1)
        }
        for field in f where !isTypedTime(field, allowNegative: false) {
            throw SIPParseError("r= field is not a time (digits with optional d/h/m/s)", line: 0, column: field.startIndex - base + 1)
        }
    }

    // Checks the text of a `z=` line: pairs of `<adjustment time> <offset>`.
    static func validateTimeZones(_ value: ArraySlice<UInt8>) throws(SIPParseError) {
        let base = value.startIndex
        let f = SDPBytes.fields(value)
        guard !f.isEmpty, f.count % 2 == 0 else {
            throw SIPParseError("z= needs pairs of adjustment time and offset", line: 0, column: 1)
        }
        var i = 0
        while i < f.count {
            guard SDPBytes.decimal(f[i]) != nil else {
                throw SIPParseError("z= adjustment time is not a number", line: 0, column: f[i].startIndex - base + 1)
            }
            guard isTypedTime(f[i + 1], allowNegative: true) else {
                throw SIPParseError("z= offset is not a time", line: 0, column: f[i + 1].startIndex - base + 1)
            }
            i += 2
        }
    }

    // RFC 8866 `typed-time`: `1*DIGIT [fixed-len-time-unit]`, optionally signed for z= offsets.
    static func isTypedTime(_ field: ArraySlice<UInt8>, allowNegative: Bool) -> Bool {
        var digits = field
        if allowNegative, digits.first == SDPBytes.minus { digits = digits.dropFirst() }
        if let last = digits.last, last == 0x64 || last == 0x68 || last == 0x6D || last == 0x73 {
            digits = digits.dropLast()
        }
        return SDPBytes.decimal(digits) != nil
    }
}
