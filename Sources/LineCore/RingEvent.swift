// RingEvent: what the ring detector reports: a ring began, a ring ended, ringing stopped (the caller gave up or was answered).

/// A ring the detector has seen from its first burst to the end of its last one.
public struct Ring: Sendable, Hashable {
    /// 1 for the first ring of a call, counting up until ringing stops.
    public var number: Int
    public var startedAtMilliseconds: Int64
    public var endedAtMilliseconds: Int64
    /// Length of each burst of ring voltage in this ring (two for a UK double ring).
    public var burstMilliseconds: [Int64]
    /// Whether the bursts fit the configured cadence (a distinctive or foreign ring does not, and still rings).
    public var matchesCadence: Bool

    public init(number: Int, startedAtMilliseconds: Int64, endedAtMilliseconds: Int64, burstMilliseconds: [Int64], matchesCadence: Bool) {
        self.number = number
        self.startedAtMilliseconds = startedAtMilliseconds
        self.endedAtMilliseconds = endedAtMilliseconds
        self.burstMilliseconds = burstMilliseconds
        self.matchesCadence = matchesCadence
    }
}

/// An output of `RingDetector`, in time order.
public enum RingEvent: Sendable, Hashable {
    /// Ring voltage has been present long enough to be a ring (`at` is when it began, not when it was confirmed).
    case ringStarted(number: Int, atMilliseconds: Int64)
    /// The ring's last burst ended and the pause is longer than a pause inside a ring.
    case ringEnded(Ring)
    /// No ring for longer than the cadence's pause plus a margin: the caller gave up (or the line was answered).
    case ringingStopped(rings: Int, atMilliseconds: Int64)
}
