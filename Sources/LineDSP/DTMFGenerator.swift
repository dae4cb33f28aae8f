// DTMFGenerator: DTMF tones toward the line (spandsp dtmf_tx): RFC 4733 events played for as long as they last, and digits dialled out. Realtime: no allocation after init.
import CSpanDSP

/// Makes DTMF tones as 16-bit 8 kHz PCM, one period at a time. Two uses: `dial(_:)` queues digits played
/// with the configured timing (dialling out on the line); `startEvent(_:)`/`stopEvent()` play one digit
/// for as long as an RFC 4733 event lasts. Every resource is made in `init`; `render` never allocates.
/// Not thread-safe: one owner (the line's realtime thread).
public final class DTMFGenerator {
    /// Tone and gap lengths for dialled digits.
    public struct Timing: Sendable, Hashable {
        public var onMilliseconds: Int
        public var offMilliseconds: Int

        /// 100 ms tone, 100 ms gap: well inside Q.23/Q.24 (at least 40 ms each), at 5 digits a second.
        public init(onMilliseconds: Int = 100, offMilliseconds: Int = 100) {
            self.onMilliseconds = onMilliseconds
            self.offMilliseconds = offMilliseconds
        }
    }

    private let state: UnsafeMutablePointer<dtmf_tx_state_t>
    private let levelDBm0: Int
    private let twistDB: Int
    /// Timing for dialled digits.
    public private(set) var timing: Timing
    private var playingEvent = false
    /// Longest an RFC 4733 event may sound without an end (a lost end packet must not hold the tone forever).
    public let eventLimitMilliseconds: Int

    /// Makes a generator. `levelDBm0` is the low-group tone's level, `twistDB` how much louder the high group is.
    public init?(levelDBm0: Int = -10, twistDB: Int = 2, timing: Timing = Timing(), eventLimitMilliseconds: Int = 10_000) {
        guard let state = dtmf_tx_init(nil) else { return nil }
        self.state = state
        self.levelDBm0 = levelDBm0
        self.twistDB = twistDB
        self.timing = timing
        self.eventLimitMilliseconds = eventLimitMilliseconds
        configure()
    }

    deinit { dtmf_tx_free(state) }

    /// Changes the dialling timing for digits queued from now on.
    public func setTiming(_ timing: Timing) {
        self.timing = timing
        if !playingEvent { dtmf_tx_set_timing(state, Int32(timing.onMilliseconds), Int32(timing.offMilliseconds)) }
    }

    /// Queues digits (`0-9*#A-D`) to dial; returns how many were queued (the queue holds 128; digits that
    /// do not fit are dropped).
    @discardableResult
    public func dial(_ digits: String) -> Int {
        if playingEvent { stopEvent() }
        var copy = digits
        // spandsp 0.0.6 returns how many digits did not fit (its header says the opposite).
        let queued = copy.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { $0.count - Int(dtmf_tx_put(state, $0.baseAddress, Int32($0.count))) }
        }
        if queued > 0 { activeSamples = 1 }
        return queued
    }

    /// Starts playing the digit of an RFC 4733 event (0-15) until `stopEvent()`; anything queued is dropped.
    /// Returns false for events that are not DTMF digits.
    @discardableResult
    public func startEvent(_ event: UInt8) -> Bool {
        guard let digit = DTMFEvent.digit(forRFC4733Event: event) else { return false }
        dtmf_tx_init(state)        // re-initialises in place: no allocation
        dtmf_tx_set_level(state, Int32(levelDBm0), Int32(twistDB))
        dtmf_tx_set_timing(state, Int32(eventLimitMilliseconds), 0)
        var text: (CChar, CChar) = (CChar(bitPattern: digit), 0)
        withUnsafePointer(to: &text) { $0.withMemoryRebound(to: CChar.self, capacity: 2) { _ = dtmf_tx_put(state, $0, 1) } }
        playingEvent = true
        return true
    }

    /// Ends the tone started by `startEvent(_:)` at once.
    public func stopEvent() {
        guard playingEvent else { return }
        playingEvent = false
        configure()
    }

    /// Whether an event or a queued digit is being played.
    public var isActive: Bool { playingEvent || activeSamples > 0 }
    private var activeSamples = 0

    /// Writes the next period of tone into `output`; what the generator has nothing for is zero.
    /// Returns how many leading samples came from the generator (tone or inter-digit gap).
    @discardableResult
    public func render(into output: UnsafeMutableBufferPointer<Int16>) -> Int {
        guard let base = output.baseAddress, !output.isEmpty else { return 0 }
        let made = Int(dtmf_tx(state, base, Int32(output.count)))
        if made < output.count { (base + made).update(repeating: 0, count: output.count - made) }
        activeSamples = made
        if made < output.count && playingEvent { playingEvent = false; configure() }
        return made
    }

    private func configure() {
        dtmf_tx_init(state)
        dtmf_tx_set_level(state, Int32(levelDBm0), Int32(twistDB))
        dtmf_tx_set_timing(state, Int32(timing.onMilliseconds), Int32(timing.offMilliseconds))
    }
}

@available(*, unavailable)
extension DTMFGenerator: Sendable {}
