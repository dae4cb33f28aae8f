// RingSignal: test support: raw ring-detect levels for a cadence (pulsed like an optocoupler on ring voltage) and a driver for RingDetector.
import LineCore

/// Raw input edges, in time order.
struct RingSignal {
    var edges: [(at: Int64, level: Bool)] = []

    /// Ring voltage from `start` for `milliseconds`: 20 Hz pulses (25 ms high, 25 ms low), or one steady level.
    mutating func burst(at start: Int64, milliseconds: Int64, pulsed: Bool = true) {
        if !pulsed {
            edges.append((start, true))
            edges.append((start + milliseconds, false))
            return
        }
        var t = start
        while t < start + milliseconds {
            edges.append((t, true))
            edges.append((min(t + 25, start + milliseconds), false))
            t += 50
        }
    }

    /// `rings` whole cycles of a cadence from `start`; returns the time the last cycle ends.
    @discardableResult
    mutating func rings(_ cadence: RingCadence, count: Int, from start: Int64 = 0, pulsed: Bool = true) -> Int64 {
        var t = start
        for _ in 0..<count {
            for segment in cadence.segments {
                burst(at: t, milliseconds: segment.onMilliseconds, pulsed: pulsed)
                t += segment.onMilliseconds + segment.offMilliseconds
            }
        }
        return t
    }

    /// Contact bounce: `count` quick toggles of 1 ms starting at `at`, ending at `level`.
    mutating func bounce(at: Int64, count: Int, ending level: Bool) {
        for i in 0..<count {
            edges.append((at + Int64(i), i % 2 == 0 ? level : !level))
        }
        edges.append((at + Int64(count), level))
    }
}

/// Feeds a signal into a detector with a tick every 10 ms up to `until`; returns events with the time they were reported.
func drive(_ detector: inout RingDetector, _ signal: RingSignal, until end: Int64) -> [(at: Int64, event: RingEvent)] {
    var out: [(at: Int64, event: RingEvent)] = []
    let edges = signal.edges.sorted { $0.at < $1.at }
    var index = 0
    var t: Int64 = 0
    while t <= end {
        while index < edges.count && edges[index].at <= t {
            for event in detector.input(edges[index].level, nowMilliseconds: edges[index].at) { out.append((edges[index].at, event)) }
            index += 1
        }
        for event in detector.tick(nowMilliseconds: t) { out.append((t, event)) }
        t += 10
    }
    return out
}

extension RingEvent {
    var isStart: Bool { if case .ringStarted = self { true } else { false } }
    var ring: Ring? { if case .ringEnded(let ring) = self { ring } else { nil } }
    var stoppedRings: Int? { if case .ringingStopped(let rings, _) = self { rings } else { nil } }
}
