// RingDetector: debounces the ring-detect input (pulsed by the 20-25 Hz ring voltage, with contact bounce) into rings of a cadence.

/// Turns raw ring-detect levels into rings. Ring voltage reaches the input as pulses (an optocoupler
/// conducts on each half cycle), so energy is "present" while pulses keep coming less than
/// `releaseMilliseconds` apart. Energy shorter than `minimumBurstMilliseconds` (first rise to last fall)
/// is a glitch and rejected.
/// Bursts separated by less than the cadence's ring gap (UK double ring) make one ring. No ring for the
/// cadence's long pause plus `giveUpMarginMilliseconds` means ringing stopped.
///
/// Pure: time comes in as milliseconds on any monotonic clock; call `tick` at `nextDeadlineMilliseconds`.
public struct RingDetector: Sendable {
    /// Timing of the detector.
    public struct Settings: Sendable, Hashable {
        public var cadence: RingCadence
        /// Energy shorter than this is a glitch (a click, a tap on the line, a polarity reversal).
        public var minimumBurstMilliseconds: Int64
        /// Silence on the input shorter than this is the gap between pulses of one burst.
        public var releaseMilliseconds: Int64
        /// Added to the cadence's pause between rings before ringing counts as stopped.
        public var giveUpMarginMilliseconds: Int64
        /// How far a burst may be from the cadence's on time and still match it, in percent.
        public var tolerancePercent: Int64

        public init(cadence: RingCadence = .us, minimumBurstMilliseconds: Int64 = 150, releaseMilliseconds: Int64 = 100,
                    giveUpMarginMilliseconds: Int64 = 2_000, tolerancePercent: Int64 = 30) {
            self.cadence = cadence
            self.minimumBurstMilliseconds = max(1, minimumBurstMilliseconds)
            self.releaseMilliseconds = max(1, releaseMilliseconds)
            self.giveUpMarginMilliseconds = max(0, giveUpMarginMilliseconds)
            self.tolerancePercent = max(0, tolerancePercent)
        }
    }

    private enum Phase: Sendable, Hashable {
        /// No ring in progress (between rings, or no ringing at all).
        case quiet
        /// Energy since `start`, not yet long enough to be a burst; a glitch returns to `quiet` or the ring's gap.
        case candidate(start: Int64, inRing: Bool, gapSince: Int64)
        /// A confirmed burst since `start`.
        case burst(start: Int64)
        /// Silence since `since` after a burst; more energy soon continues the ring, otherwise it ends.
        case gap(since: Int64)
    }

    public let settings: Settings
    /// Rings of the current ringing (0 when not ringing).
    public private(set) var ringCount = 0
    /// Energy rejected as too short since the detector was made.
    public private(set) var glitchesRejected = 0
    /// The debounced state: whether ring voltage is present now.
    public var isRinging: Bool {
        switch phase {
        case .burst: true
        case .quiet, .candidate, .gap: false
        }
    }

    private var phase = Phase.quiet
    private var raw = false
    private var lastFall: Int64 = 0
    private var now: Int64 = .min
    private var ringStart: Int64 = 0
    private var bursts: [Int64] = []
    private var lastRingEnd: Int64 = 0

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// The ring-detect input's level (true: ring voltage) at `nowMilliseconds`. Repeated levels are harmless.
    public mutating func input(_ active: Bool, nowMilliseconds: Int64) -> [RingEvent] {
        var events: [RingEvent] = []
        advance(to: nowMilliseconds, into: &events)
        guard active != raw else { return events }
        raw = active
        if active {
            switch phase {
            case .quiet: phase = .candidate(start: now, inRing: false, gapSince: 0)
            case .gap(let since): phase = .candidate(start: now, inRing: true, gapSince: since)
            case .candidate, .burst: break  // the next pulse of the same energy
            }
        } else {
            lastFall = now
        }
        advance(to: now, into: &events)
        return events
    }

    /// Time has passed: reports bursts and rings whose end is now certain.
    public mutating func tick(nowMilliseconds: Int64) -> [RingEvent] {
        var events: [RingEvent] = []
        advance(to: nowMilliseconds, into: &events)
        return events
    }

    /// When `tick` next has something to decide (nil: nothing until the input changes).
    public var nextDeadlineMilliseconds: Int64? {
        switch phase {
        case .quiet:
            return ringCount > 0 ? stopDeadline : nil
        case .candidate(let start, _, _):
            // Confirmed while the input is high after the minimum; in a pulse gap, decided at release.
            return raw ? start + settings.minimumBurstMilliseconds : lastFall + settings.releaseMilliseconds
        case .burst:
            return raw ? nil : lastFall + settings.releaseMilliseconds
        case .gap(let since):
            return since + settings.cadence.ringGapMilliseconds
        }
    }

    private var stopDeadline: Int64 {
        lastRingEnd + settings.cadence.longOffMilliseconds + settings.giveUpMarginMilliseconds
    }

    private mutating func advance(to time: Int64, into events: inout [RingEvent]) {
        now = max(now, time)  // a clock that steps back is held, never followed
        while let deadline = nextDeadlineMilliseconds, deadline <= now {
            step(at: deadline, into: &events)
        }
    }

    private mutating func step(at deadline: Int64, into events: inout [RingEvent]) {
        switch phase {
        case .quiet:
            events.append(.ringingStopped(rings: ringCount, atMilliseconds: deadline))
            ringCount = 0
        case .candidate(let start, let inRing, let gapSince):
            if !raw && lastFall - start < settings.minimumBurstMilliseconds {
                glitchesRejected += 1
                phase = inRing ? .gap(since: gapSince) : .quiet
                return
            }
            if !inRing {
                ringCount += 1
                ringStart = start
                bursts = []
                events.append(.ringStarted(number: ringCount, atMilliseconds: start))
            }
            phase = .burst(start: start)
        case .burst(let start):
            bursts.append(lastFall - start)
            phase = .gap(since: lastFall)
        case .gap(let since):
            let ring = Ring(number: ringCount, startedAtMilliseconds: ringStart, endedAtMilliseconds: since, burstMilliseconds: bursts,
                            matchesCadence: settings.cadence.matches(burstMilliseconds: bursts, tolerancePercent: settings.tolerancePercent))
            events.append(.ringEnded(ring))
            lastRingEnd = since
            phase = .quiet
        }
    }
}
