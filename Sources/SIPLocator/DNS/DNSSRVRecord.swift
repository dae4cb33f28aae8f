// DNSSRVRecord: the RDATA of an SRV record (RFC 2782): priority, weight, port and target host.

/// One SRV record's data. A target of `.` (the root) says the service is decidedly not available
/// at this domain (RFC 2782).
public struct DNSSRVRecord: Hashable, Sendable, CustomStringConvertible {
    /// Lower is tried first.
    public var priority: UInt16
    /// Relative share among records of the same priority; 0 means "almost never, unless alone".
    public var weight: UInt16
    public var port: UInt16
    public var target: DNSName

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }

    /// True for the `.` target that marks the service as not available.
    public var isServiceUnavailable: Bool { target.isRoot }

    /// Zone-file style: `priority weight port target`.
    public var description: String { "\(priority) \(weight) \(port) \(target)" }
}
