// RingCadence: a country's ringing pattern (on/off segments of one ring cycle), e.g. US 2 s on 4 s off, UK 0.4/0.2/0.4/2.0.

/// One ring cycle as bursts of ring voltage and the pauses after them. The last pause is the long
/// one between rings; earlier pauses (UK and Australian double ring) separate the bursts of one ring.
public struct RingCadence: Sendable, Hashable {
    /// One burst of ring voltage and the pause after it, in milliseconds.
    public struct Segment: Sendable, Hashable {
        public var onMilliseconds: Int64
        public var offMilliseconds: Int64
        public init(on: Int64, off: Int64) {
            self.onMilliseconds = on
            self.offMilliseconds = off
        }
    }

    public var segments: [Segment]

    /// A cadence of at least one segment; empty or non-positive segments are replaced by the US cadence.
    public init(_ segments: [Segment]) {
        let valid = !segments.isEmpty && segments.allSatisfy { $0.onMilliseconds > 0 && $0.offMilliseconds > 0 }
        self.segments = valid ? segments : RingCadence.us.segments
    }

    private init(unchecked segments: [Segment]) { self.segments = segments }

    /// North America: 2 s on, 4 s off.
    public static let us = RingCadence(unchecked: [Segment(on: 2_000, off: 4_000)])
    /// UK (BT SIN 350): double ring 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
    public static let uk = RingCadence(unchecked: [Segment(on: 400, off: 200), Segment(on: 400, off: 2_000)])
    /// Continental Europe (CEPT, e.g. Germany): 1 s on, 4 s off.
    public static let eu = RingCadence(unchecked: [Segment(on: 1_000, off: 4_000)])
    /// Australia: double ring 0.4/0.2/0.4/2.0 like the UK.
    public static let au = RingCadence(unchecked: [Segment(on: 400, off: 200), Segment(on: 400, off: 2_000)])

    /// The pause between two rings (the last segment's off time).
    public var longOffMilliseconds: Int64 { segments[segments.count - 1].offMilliseconds }

    /// The longest pause inside one ring (0 for a single-burst cadence).
    public var longestInnerOffMilliseconds: Int64 { segments.dropLast().map(\.offMilliseconds).max() ?? 0 }

    /// A whole cycle: every burst and pause.
    public var cycleMilliseconds: Int64 { segments.reduce(0) { $0 + $1.onMilliseconds + $1.offMilliseconds } }

    /// Silence after a burst longer than this ends the ring: twice the longest inner pause, at most half
    /// the pause between rings (0 for a single-burst cadence, where a burst is a ring).
    public var ringGapMilliseconds: Int64 {
        let inner = longestInnerOffMilliseconds
        guard inner > 0 else { return 0 }
        return min(inner * 2, longOffMilliseconds / 2)
    }

    /// Whether measured burst lengths fit this cadence, each within `tolerancePercent` of its nominal on time.
    public func matches(burstMilliseconds bursts: [Int64], tolerancePercent: Int64 = 30) -> Bool {
        guard bursts.count == segments.count else { return false }
        for (burst, segment) in zip(bursts, segments) {
            let slack = segment.onMilliseconds * tolerancePercent / 100
            if burst < segment.onMilliseconds - slack || burst > segment.onMilliseconds + slack { return false }
        }
        return true
    }
}
