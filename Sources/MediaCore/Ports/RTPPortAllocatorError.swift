// RTPPortAllocatorError: why a port allocator cannot be made from a configured range.

/// Why an allocator cannot be made.
public enum RTPPortAllocatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The range holds no even port whose odd neighbour is also in the range.
    case noPairInRange(lower: UInt16, upper: UInt16)

    public var description: String {
        switch self {
        case .noPairInRange(let lower, let upper): "port range \(lower)-\(upper) holds no even/odd RTP/RTCP pair"
        }
    }
}
