// LineDSPConfiguration: the analog line's telephony DSP on the media thread (tone plan, caller-ID standard, echo tail, DTMF level), the caller-ID hand-over and the DSP's status.
import LineDSP

/// The telephony DSP the media thread runs on the line's audio, every period, whether or not a line
/// session exists: call-progress detection and caller-ID listening (each switched on by a command),
/// DTMF both ways, and echo cancelling while a line session is up.
public struct LineDSPConfiguration: Sendable {
    /// Call-progress tone plan (`CallProgressTones.named("us" | "uk" | "eu" | "au")`).
    public var tones: CallProgressTones
    /// Caller-ID signalling between rings.
    public var callerID: CallerIDStandard
    /// Echo tail the canceller covers, ms (8...512).
    public var echoTailMilliseconds: Int
    /// Level of the DTMF the box plays on the line (low group), dBm0 (-30...0).
    public var dtmfLevelDBm0: Int
    /// Inter-digit gap kept after each `sendLineDigit` tone before the next queued one, ms.
    public var minimumDigitGapMilliseconds: Int

    /// US tones, Bell 202 caller ID, 64 ms echo tail, DTMF at -10 dBm0, 60 ms gaps.
    public init(tones: CallProgressTones = .us, callerID: CallerIDStandard = .bell202, echoTailMilliseconds: Int = 64,
                dtmfLevelDBm0: Int = -10, minimumDigitGapMilliseconds: Int = 60) {
        self.tones = tones
        self.callerID = callerID
        self.echoTailMilliseconds = echoTailMilliseconds
        self.dtmfLevelDBm0 = dtmfLevelDBm0
        self.minimumDigitGapMilliseconds = minimumDigitGapMilliseconds
    }

    /// The settings for a config `tones` keyword (`us`, `uk`, `eu`, `au`); nil for an unknown country.
    public init?(country: String, callerID: CallerIDStandard = .bell202, echoTailMilliseconds: Int = 64) {
        guard let tones = CallProgressTones.named(country) else { return nil }
        self.init(tones: tones, callerID: callerID, echoTailMilliseconds: echoTailMilliseconds)
    }

    func validate() throws(MediaEngineError) {
        guard (8...512).contains(echoTailMilliseconds) else { throw .invalidConfiguration("line echo tail must be 8...512 ms") }
        guard (-30...0).contains(dtmfLevelDBm0) else { throw .invalidConfiguration("line DTMF level must be -30...0 dBm0") }
        guard (40...1000).contains(minimumDigitGapMilliseconds) else { throw .invalidConfiguration("line digit gap must be 40...1000 ms") }
        guard !tones.cadences.isEmpty else { throw .invalidConfiguration("line tone plan has no tones") }
    }
}

/// A caller-ID report from the media thread: a handle, not the caller ID (events are plain values).
/// `MediaEngine.pollEvents` decodes the octets the thread left in a preallocated slot before it hands
/// the event on; `MediaEngine.callerID(_:)` then gives the result.
public struct LineCallerIDMessage: Sendable, Hashable, BitwiseCopyable {
    /// Numbers the line's caller-ID reports (messages and checksum errors alike).
    public var sequence: UInt32
    /// The FSK message failed its checksum: no number (decoding gives `.checksumMismatch`).
    public var checksumError: Bool
    // Which DSP stage (one per `openLine`) and which of its slots holds the octets (-1: none).
    var stage: UInt32
    var slot: Int32
}

/// The line's DSP as the status shows it.
public struct LineDSPStatus: Sendable, Equatable {
    /// Listening for caller ID / detecting call progress now.
    public var callerIDListening: Bool
    public var callProgressDetecting: Bool
    /// The last call-progress classification reported (nil: none since detection was switched on).
    public var lastCallProgress: CallProgressTone?
    /// Echo return loss enhancement of the line session's canceller: the last 2 s window of far-end
    /// talk (running) and over the whole call; nil before the first window.
    public var echoERLEDB: Double?
    public var echoERLEAverageDB: Double?
    /// Digits heard on the line, digits played on it (dialled and RFC 4733), caller-ID reports.
    public var digitsDetected: UInt64
    public var digitsPlayed: UInt64
    public var callerIDReports: UInt64
    /// Caller-ID messages dropped because the control side had not collected the earlier ones.
    public var callerIDDropped: UInt64
    /// Media-thread time spent in the DSP per line period: mean and worst, in microseconds.
    public var meanMicrosecondsPerPeriod: Double
    public var maxMicrosecondsPerPeriod: Double
    /// Line periods the DSP processed.
    public var periods: UInt64
}
