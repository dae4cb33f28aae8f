// SIPParseError: why a SIP message, header, URI or SDP body was refused, and where.

/// A refusal with a human-readable reason and, where known, the 1-based line and column of the
/// offending octet within the message. Parsers in SIPCore never trap on bad input; they throw this.
public struct SIPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// 1-based line in the message, 0 when the error is not tied to a position (e.g. a lone header value).
    public var line: Int
    /// 1-based column within `line`, 0 when unknown.
    public var column: Int
    /// The status a UAS answers a request refused this way with: 400, or 505 for an unknown SIP version,
    /// 513 for a message over the size limit, 416 for a Request-URI scheme the box cannot handle.
    public var responseCode: Int = 400

    public init(_ reason: String, line: Int = 0, column: Int = 0) {
        self.reason = reason
        self.line = line
        self.column = column
    }

    public var description: String {
        line > 0 ? "\(reason) (line \(line), column \(column))" : reason
    }
}
