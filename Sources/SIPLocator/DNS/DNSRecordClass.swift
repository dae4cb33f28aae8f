// DNSRecordClass: the CLASS field of questions and records (RFC 1035 §3.2.4).

/// A record class. Only `internet` (IN) is used by the locator; others decode as opaque data.
public struct DNSRecordClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let internet = DNSRecordClass(rawValue: 1)

    /// `IN`, or `CLASSn` (RFC 3597 §5).
    public var description: String { rawValue == 1 ? "IN" : "CLASS\(rawValue)" }
}
