// EchoCanceller: line echo cancelling for the 2-wire hybrid (speexdsp's MDF adaptive filter) with measured ERLE. Realtime: no allocation after init.
import CSpeexDSP
#if canImport(Glibc)
import Glibc
#endif

/// Removes the echo of what the box sends to the line (`sent`) from what it receives (`received`),
/// one period at a time, and measures the echo return loss enhancement (ERLE): how much weaker the
/// received signal is after cancelling than before, over windows in which the far end talks. The
/// canceller is linear (no residual suppression), so ERLE is the filter's own figure. Everything is
/// made in `init`; `process` never allocates. Not thread-safe: one owner (the line's realtime thread).
public final class EchoCanceller {
    /// Canceller settings.
    public struct Options: Sendable, Hashable {
        /// Echo tail covered, in milliseconds (config `echo-tail`).
        public var tailMilliseconds: Int
        /// Samples per period (80 for 10 ms, 160 for 20 ms); every `process` call takes exactly this many.
        public var periodSamples: Int
        /// ERLE window, in milliseconds of far-end talk.
        public var measurementWindowMilliseconds: Int
        /// The far end counts as talking in a period when what was sent is above this level (dB re full-scale sine).
        public var farEndActivityDB: Double

        public init(tailMilliseconds: Int = 64, periodSamples: Int = 160, measurementWindowMilliseconds: Int = 2000,
                    farEndActivityDB: Double = -40) {
            self.tailMilliseconds = tailMilliseconds
            self.periodSamples = periodSamples
            self.measurementWindowMilliseconds = measurementWindowMilliseconds
            self.farEndActivityDB = farEndActivityDB
        }
    }

    public let options: Options
    private let state: OpaquePointer
    private let output: UnsafeMutablePointer<Int16>
    private let farEndThreshold: Double
    private var windowIn = 0.0
    private var windowOut = 0.0
    private var windowSamples = 0
    private var totalIn = 0.0
    private var totalOut = 0.0
    /// ERLE (dB) of the last complete window of far-end talk, or nil before the first.
    public private(set) var erleDB: Double?

    /// Makes a canceller. Returns nil when speexdsp cannot allocate it.
    public init?(options: Options = Options()) {
        let taps = max(options.periodSamples, options.tailMilliseconds * 8)
        guard options.periodSamples > 0, let state = speex_echo_state_init(Int32(options.periodSamples), Int32(taps)) else { return nil }
        var rate: Int32 = 8000
        speex_echo_ctl(state, SPEEX_ECHO_SET_SAMPLING_RATE, &rate)
        self.state = state
        self.options = options
        output = .allocate(capacity: options.periodSamples)
        farEndThreshold = 32767.0 * 32767.0 / 2 * pow(10, options.farEndActivityDB / 10)
    }

    deinit {
        speex_echo_state_destroy(state)
        output.deallocate()
    }

    /// Cancels echo from one period of `received` in place. `sent` is the period that went to the line at
    /// the same time. Both must hold `options.periodSamples` samples; other lengths are left untouched.
    public func process(received: UnsafeMutableBufferPointer<Int16>, sent: UnsafeBufferPointer<Int16>) {
        let n = options.periodSamples
        guard received.count == n, sent.count == n, let rx = received.baseAddress, let tx = sent.baseAddress else { return }
        speex_echo_cancellation(state, rx, tx, output)
        var sentPower = 0.0
        var inPower = 0.0
        var outPower = 0.0
        for i in 0..<n {
            let t = Double(tx[i]), r = Double(rx[i]), o = Double(output[i])
            sentPower += t * t
            inPower += r * r
            outPower += o * o
        }
        rx.update(from: output, count: n)
        guard sentPower / Double(n) >= farEndThreshold else { return }
        windowIn += inPower
        windowOut += outPower
        windowSamples += n
        totalIn += inPower
        totalOut += outPower
        if windowSamples >= options.measurementWindowMilliseconds * 8 {
            erleDB = Self.ratioDB(windowIn, windowOut)
            windowIn = 0
            windowOut = 0
            windowSamples = 0
        }
    }

    /// ERLE (dB) over all far-end talk since the start or the last `resetMeasurement()` (the per-call figure).
    public var averageERLEDB: Double? { totalIn > 0 ? Self.ratioDB(totalIn, totalOut) : nil }

    /// Starts a new ERLE measurement (e.g. at the start of a call); the canceller keeps what it learnt.
    public func resetMeasurement() {
        windowIn = 0; windowOut = 0; windowSamples = 0; totalIn = 0; totalOut = 0; erleDB = nil
    }

    /// Forgets the learnt echo path (e.g. the line was re-seized).
    public func flush() { speex_echo_state_reset(state) }

    private static func ratioDB(_ input: Double, _ output: Double) -> Double {
        10 * log10(max(input, 1e-9) / max(output, 1e-9))
    }
}

@available(*, unavailable)
extension EchoCanceller: Sendable {}
