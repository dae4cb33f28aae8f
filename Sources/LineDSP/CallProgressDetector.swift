// CallProgressDetector: dial tone, ringback, busy, reorder and silence on the line from a Goertzel filter bank and on/off cadence matching. Realtime: no allocation after init.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Classifies line audio (16-bit, 8 kHz) against a country's tone plan, one period at a time.
///
/// How: every 25 ms block, a Goertzel filter per plan frequency measures how much of the block's
/// energy is each frequency set of the plan (e.g. 480+620 Hz). A block is "on" for a set when the set
/// holds at least `purity` of the energy and every member is present, "off" otherwise; a change of
/// label needs two blocks (a one-block glitch is absorbed). Closed on/off segments are matched against
/// each cadence's pattern (any phase) with a tolerance; continuous tones are reported once they last
/// longer than any same-frequency cadenced "on". Speech is never mostly one or two pure frequencies,
/// so it stays `unclassified`. US busy is reported after three segments (about 1.55 s; at most one more
/// segment when listening starts mid-tone). Everything is made in `init`; `process` never allocates.
/// Not thread-safe: one owner (the line's realtime thread).
public final class CallProgressDetector {
    /// Detector settings.
    public struct Configuration: Sendable, Hashable {
        public var tones: CallProgressTones
        /// Weakest block counted as signal, dB relative to a full-scale sine (telephone tones arrive at
        /// about -10 to -30 dBm0, i.e. -13 to -33 here).
        public var minimumLevelDB: Double
        /// Share of a block's energy a frequency set must hold to be that tone.
        public var purity: Double
        /// Segment durations match a pattern element when within `toleranceFraction` of it plus `toleranceMilliseconds`.
        public var toleranceFraction: Double
        public var toleranceMilliseconds: Int
        /// Quiet this long is reported as `.silence`.
        public var silenceMilliseconds: Int

        public init(tones: CallProgressTones = .us, minimumLevelDB: Double = -45, purity: Double = 0.7,
                    toleranceFraction: Double = 0.1, toleranceMilliseconds: Int = 50, silenceMilliseconds: Int = 5000) {
            self.tones = tones
            self.minimumLevelDB = minimumLevelDB
            self.purity = purity
            self.toleranceFraction = toleranceFraction
            self.toleranceMilliseconds = toleranceMilliseconds
            self.silenceMilliseconds = silenceMilliseconds
        }
    }

    /// Samples per analysis block (25 ms at 8 kHz: 40 Hz resolution, so 440 and 480 Hz fall in each other's nulls).
    public static let blockSamples = 200
    private static let blockMilliseconds = 25
    private static let historyCapacity = 16
    private static let noTone = -1

    public let configuration: Configuration
    /// The current classification.
    public private(set) var current: CallProgressTone = .unclassified

    // Filter bank: one Goertzel per distinct frequency.
    private let frequencyCount: Int
    private let coefficients: UnsafeMutablePointer<Double>
    private let s1: UnsafeMutablePointer<Double>
    private let s2: UnsafeMutablePointer<Double>
    private let powers: UnsafeMutablePointer<Double>
    private var energy = 0.0
    private var blockFill = 0
    private let minimumMeanSquare: Double

    // Frequency sets: members of set i are setMembers[setStart[i] ..< setStart[i + 1]].
    private let setCount: Int
    private let setStart: UnsafeMutablePointer<Int>
    private let setMembers: UnsafeMutablePointer<Int>

    // Cadences: pattern of cadence i is patterns[patternStart[i] ..< patternStart[i + 1]].
    private let cadenceCount: Int
    private let cadenceTone: UnsafeMutablePointer<CallProgressTone>
    private let cadenceSet: UnsafeMutablePointer<Int>
    private let cadenceConfirm: UnsafeMutablePointer<Int>
    private let cadenceContinuousMinimum: UnsafeMutablePointer<Int>
    private let patternStart: UnsafeMutablePointer<Int>
    private let patterns: UnsafeMutablePointer<Int>

    // Segments.
    private var currentLabel = CallProgressDetector.noTone
    private var currentBlocks = 0
    private var pendingLabel = CallProgressDetector.noTone
    private var pendingBlocks = 0
    private var quietBlocks = 0
    private let historyLabel: UnsafeMutablePointer<Int>
    private let historyMilliseconds: UnsafeMutablePointer<Int>
    private var historyCount = 0      // total closed segments (index modulo capacity)
    private var samplesSeen = 0
    /// The cadence the history last matched, or -1.
    private var matchedCadence = -1

    /// Makes a detector for a tone plan.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let cadences = configuration.tones.cadences
        var frequencies: [Double] = []
        var sets: [[Int]] = []
        var cadenceSets: [Int] = []
        for cadence in cadences {
            var members: [Int] = []
            for f in cadence.frequencies {
                if let i = frequencies.firstIndex(of: f) { members.append(i) } else { frequencies.append(f); members.append(frequencies.count - 1) }
            }
            members.sort()
            if let i = sets.firstIndex(of: members) { cadenceSets.append(i) } else { sets.append(members); cadenceSets.append(sets.count - 1) }
        }
        frequencyCount = frequencies.count
        coefficients = .allocate(capacity: max(1, frequencies.count))
        s1 = .allocate(capacity: max(1, frequencies.count))
        s2 = .allocate(capacity: max(1, frequencies.count))
        powers = .allocate(capacity: max(1, frequencies.count))
        for (i, f) in frequencies.enumerated() {
            coefficients[i] = 2 * cos(2 * Double.pi * f / 8000)
            s1[i] = 0
            s2[i] = 0
            powers[i] = 0
        }
        setCount = sets.count
        setStart = .allocate(capacity: sets.count + 1)
        let memberTotal = sets.reduce(0) { $0 + $1.count }
        setMembers = .allocate(capacity: max(1, memberTotal))
        var offset = 0
        for (i, members) in sets.enumerated() {
            setStart[i] = offset
            for m in members { setMembers[offset] = m; offset += 1 }
        }
        setStart[sets.count] = offset

        cadenceCount = cadences.count
        cadenceTone = .allocate(capacity: max(1, cadences.count))
        cadenceSet = .allocate(capacity: max(1, cadences.count))
        cadenceConfirm = .allocate(capacity: max(1, cadences.count))
        cadenceContinuousMinimum = .allocate(capacity: max(1, cadences.count))
        patternStart = .allocate(capacity: cadences.count + 1)
        patterns = .allocate(capacity: max(1, cadences.reduce(0) { $0 + $1.pattern.count }))
        offset = 0
        for (i, cadence) in cadences.enumerated() {
            cadenceTone[i] = cadence.tone
            cadenceSet[i] = cadenceSets[i]
            cadenceConfirm[i] = min(max(1, cadence.segmentsToConfirm), Self.historyCapacity)
            patternStart[i] = offset
            for d in cadence.pattern { patterns[offset] = d; offset += 1 }
            // A continuous tone must outlast every cadenced "on" of the same frequencies (plus tolerance),
            // and sound at least a second.
            var longestOn = 0
            for (j, other) in cadences.enumerated() where cadenceSets[j] == cadenceSets[i] && !other.isContinuous {
                for k in stride(from: 0, to: other.pattern.count, by: 2) { longestOn = max(longestOn, other.pattern[k]) }
            }
            let slack = Int(Double(longestOn) * configuration.toleranceFraction) + configuration.toleranceMilliseconds
            cadenceContinuousMinimum[i] = max(1000, longestOn + slack + 100)
        }
        patternStart[cadences.count] = offset
        historyLabel = .allocate(capacity: Self.historyCapacity)
        historyMilliseconds = .allocate(capacity: Self.historyCapacity)
        historyLabel.initialize(repeating: Self.noTone, count: Self.historyCapacity)
        historyMilliseconds.initialize(repeating: 0, count: Self.historyCapacity)
        // Mean square of a sine at the floor: (A²/2) with A = 32767·10^(dB/20).
        minimumMeanSquare = 32767.0 * 32767.0 / 2 * pow(10, configuration.minimumLevelDB / 10)
    }

    deinit {
        coefficients.deallocate(); s1.deallocate(); s2.deallocate(); powers.deallocate()
        setStart.deallocate(); setMembers.deallocate()
        cadenceTone.deallocate(); cadenceSet.deallocate(); cadenceConfirm.deallocate()
        cadenceContinuousMinimum.deallocate(); patternStart.deallocate(); patterns.deallocate()
        historyLabel.deallocate(); historyMilliseconds.deallocate()
    }

    /// Milliseconds of audio processed so far.
    public var elapsedMilliseconds: Int { samplesSeen / 8 }

    /// Feeds one period; returns the new classification when it changed during this period, else nil.
    @discardableResult
    public func process(_ samples: UnsafeBufferPointer<Int16>) -> CallProgressTone? {
        var changed: CallProgressTone?
        for x in samples {
            let v = Double(x)
            energy += v * v
            for i in 0..<frequencyCount {
                let s0 = v + coefficients[i] * s1[i] - s2[i]
                s2[i] = s1[i]
                s1[i] = s0
            }
            blockFill += 1
            samplesSeen += 1
            if blockFill == Self.blockSamples {
                if let tone = endBlock(), tone != current {
                    current = tone
                    changed = tone
                }
            }
        }
        return changed
    }

    /// Forgets everything heard (e.g. after going on hook).
    public func reset() {
        for i in 0..<frequencyCount { s1[i] = 0; s2[i] = 0 }
        energy = 0; blockFill = 0
        currentLabel = Self.noTone; currentBlocks = 0; pendingLabel = Self.noTone; pendingBlocks = 0
        quietBlocks = 0; historyCount = 0; matchedCadence = -1
        current = .unclassified
    }

    // MARK: - Blocks

    /// Closes a block: labels it, updates segments; returns a classification when one was decided.
    private func endBlock() -> CallProgressTone? {
        let n = Double(Self.blockSamples)
        let meanSquare = energy / n
        for i in 0..<frequencyCount {
            let magnitudeSquared = s1[i] * s1[i] + s2[i] * s2[i] - coefficients[i] * s1[i] * s2[i]
            powers[i] = 2 * magnitudeSquared / (n * n)
            s1[i] = 0
            s2[i] = 0
        }
        energy = 0
        blockFill = 0

        let quiet = meanSquare < minimumMeanSquare
        var label = Self.noTone
        if !quiet {
            var best = configuration.purity
            for set in 0..<setCount {
                var sum = 0.0
                var weakest = Double.infinity
                for k in setStart[set]..<setStart[set + 1] {
                    let p = powers[setMembers[k]]
                    sum += p
                    weakest = min(weakest, p)
                }
                let share = sum / meanSquare
                if share >= best && weakest >= 0.1 * meanSquare {
                    best = share
                    label = set
                }
            }
        }
        quietBlocks = quiet ? quietBlocks + 1 : 0

        var decided: CallProgressTone?
        if label == currentLabel {
            currentBlocks += 1 + pendingBlocks
            pendingBlocks = 0
        } else if pendingBlocks > 0 && label == pendingLabel {
            pendingBlocks += 1
            if pendingBlocks >= 2 {
                decided = closeSegment()
                currentLabel = label
                currentBlocks = pendingBlocks
                pendingBlocks = 0
            }
        } else {
            currentBlocks += pendingBlocks
            pendingLabel = label
            pendingBlocks = 1
        }

        // Decisions on the segment still running: a cadence overrun, continuous tones, silence.
        if matchedCadence >= 0 && decided == nil {
            let c = matchedCadence
            let isOn = currentLabel == cadenceSet[c]
            var longest = 0
            for k in patternStart[c]..<patternStart[c + 1] where ((k - patternStart[c]) % 2 == 0) == isOn {
                longest = max(longest, patterns[k])
            }
            let slack = Double(longest) * configuration.toleranceFraction + Double(configuration.toleranceMilliseconds)
            if Double(currentBlocks * Self.blockMilliseconds) > Double(longest) + slack {
                matchedCadence = -1
                decided = .unclassified
            }
        }
        if currentLabel != Self.noTone {
            let running = currentBlocks * Self.blockMilliseconds
            for c in 0..<cadenceCount where patternStart[c] == patternStart[c + 1] && cadenceSet[c] == currentLabel {
                if running >= cadenceContinuousMinimum[c] { return cadenceTone[c] }
            }
        } else if quietBlocks * Self.blockMilliseconds >= configuration.silenceMilliseconds {
            return .silence
        } else if current == .silence && !quiet {
            return .unclassified
        }
        return decided
    }

    /// Records the running segment as closed and matches the cadences against the history.
    private func closeSegment() -> CallProgressTone {
        let slot = historyCount % Self.historyCapacity
        historyLabel[slot] = currentLabel
        historyMilliseconds[slot] = currentBlocks * Self.blockMilliseconds
        historyCount += 1
        for c in 0..<cadenceCount where patternStart[c] != patternStart[c + 1] {
            if matches(cadence: c) { matchedCadence = c; return cadenceTone[c] }
        }
        matchedCadence = -1
        return current == .silence ? .silence : .unclassified
    }

    /// Whether the last `cadenceConfirm[c]` closed segments follow cadence `c`'s pattern at some phase.
    private func matches(cadence c: Int) -> Bool {
        let needed = cadenceConfirm[c]
        // The first closed segment began before listening did, so its length says nothing.
        guard historyCount - 1 >= needed else { return false }
        let length = patternStart[c + 1] - patternStart[c]
        let set = cadenceSet[c]
        for phase in 0..<length {
            var ok = true
            for j in 0..<needed {
                let slot = (historyCount - needed + j) % Self.historyCapacity
                let element = (phase + j) % length
                let isOn = element % 2 == 0
                let label = historyLabel[slot]
                if isOn ? label != set : label != Self.noTone { ok = false; break }
                let expected = patterns[patternStart[c] + element]
                let slack = Double(expected) * configuration.toleranceFraction + Double(configuration.toleranceMilliseconds)
                if abs(Double(historyMilliseconds[slot] - expected)) > slack { ok = false; break }
            }
            if ok { return true }
        }
        return false
    }
}

@available(*, unavailable)
extension CallProgressDetector: Sendable {}
