// DTMFDetector: DTMF digits in line audio (spandsp dtmf_rx, ITU-T Q.23/Q.24) with their start and end. Realtime: no allocation after init.
import CSpanDSP

/// Detects DTMF digits in 16-bit 8 kHz PCM, one period (any length, typically 80 or 160 samples) at a
/// time. Every resource is made in `init` and freed in `deinit`; `process` never allocates, locks or
/// logs. Not thread-safe: one owner (the line's realtime thread).
public final class DTMFDetector {
    /// Detection limits; nil leaves spandsp's default.
    public struct Options: Sendable, Hashable {
        /// Filter out 350+440 Hz dial tone before detecting (needed when digits are dialled over dial tone).
        public var filterDialTone: Bool
        /// Largest accepted normal twist (low group louder), dB.
        public var normalTwistDB: Int?
        /// Largest accepted reverse twist (high group louder), dB.
        public var reverseTwistDB: Int?
        /// Weakest accepted tone, dBm0.
        public var thresholdDBm0: Int?

        public init(filterDialTone: Bool = false, normalTwistDB: Int? = nil, reverseTwistDB: Int? = nil, thresholdDBm0: Int? = nil) {
            self.filterDialTone = filterDialTone
            self.normalTwistDB = normalTwistDB
            self.reverseTwistDB = reverseTwistDB
            self.thresholdDBm0 = thresholdDBm0
        }
    }

    private let state: UnsafeMutablePointer<dtmf_rx_state_t>
    /// Events found during the current `process` call (spandsp confirms at most one change per 102-sample block).
    private let pending: UnsafeMutablePointer<DTMFEvent>
    private static let pendingCapacity = 32
    private var pendingCount = 0
    private var currentDigit: UInt8 = 0
    private var samplesSeen = 0

    /// Makes a detector. Returns nil when spandsp cannot allocate its state.
    public init?(options: Options = Options()) {
        guard let state = dtmf_rx_init(nil, nil, nil) else { return nil }
        self.state = state
        pending = .allocate(capacity: Self.pendingCapacity)
        dtmf_rx_parms(state, options.filterDialTone ? 1 : 0, Int32(options.normalTwistDB ?? -1),
                      Int32(options.reverseTwistDB ?? -1), Int32(options.thresholdDBm0 ?? -99))
        dtmf_rx_set_realtime_callback(state, { context, code, level, delay in
            guard let context else { return }
            Unmanaged<DTMFDetector>.fromOpaque(context).takeUnretainedValue().report(code: code, level: level, duration: delay)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        dtmf_rx_free(state)
        pending.deallocate()
    }

    /// The digit being received now (ASCII), or nil.
    public var digitInProgress: UInt8? { currentDigit == 0 ? nil : currentDigit }

    /// Feeds one period of audio; `onEvent` is called, in order, for each digit start and end confirmed in it.
    public func process(_ samples: UnsafeBufferPointer<Int16>, _ onEvent: (DTMFEvent) -> Void) {
        guard let base = samples.baseAddress, !samples.isEmpty else { return }
        pendingCount = 0
        samplesSeen += samples.count
        dtmf_rx(state, base, Int32(samples.count))
        for i in 0..<pendingCount { onEvent(pending[i]) }
        pendingCount = 0
    }

    /// Tells the detector a period was lost (e.g. a capture overrun), so timing stays right.
    public func fillIn(samples count: Int) {
        samplesSeen += count
        dtmf_rx_fillin(state, Int32(count))
    }

    private func report(code: Int32, level: Int32, duration: Int32) {
        guard pendingCount + 2 <= Self.pendingCapacity else { return }
        let digit = UInt8(truncatingIfNeeded: code)
        if currentDigit != 0 {
            pending[pendingCount] = DTMFEvent(digit: currentDigit, kind: .end, sampleTime: samplesSeen, durationSamples: Int(duration))
            pendingCount += 1
        }
        if digit != 0 {
            pending[pendingCount] = DTMFEvent(digit: digit, kind: .start, sampleTime: samplesSeen,
                                              durationSamples: currentDigit == 0 ? Int(duration) : 0, levelDBm0: Int(level))
            pendingCount += 1
        }
        currentDigit = digit
    }
}

@available(*, unavailable)
extension DTMFDetector: Sendable {}
