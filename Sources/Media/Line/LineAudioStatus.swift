// LineAudioStatus: the analog line's audio state for events and the status: faults, format and resampling, period and xrun counters, jitter-buffer figures.
import Atomics
import CALSA
import MediaCore

/// Where the line's audio failed.
public enum LineAudioStage: UInt8, Sendable, Hashable, BitwiseCopyable {
    /// Opening or configuring the device (control side).
    case open
    /// Reading a period (media thread).
    case capture
    /// Writing a period (media thread).
    case playback
}

/// Why the line's audio is down: the stage and the (positive) error code alsa-lib gave.
public struct LineAudioFault: Error, Sendable, Hashable, BitwiseCopyable {
    /// Where it failed.
    public var stage: LineAudioStage
    /// errno, or an alsa-lib error code (both positive here).
    public var code: Int32

    /// A fault at `stage` with `code`.
    public init(stage: LineAudioStage, code: Int32) {
        self.stage = stage
        self.code = code
    }

    /// alsa-lib's text for the code (strerror for errno values).
    public var reason: String { String(cString: snd_strerror(-code)) }

    /// "line audio down: <device>: <reason>".
    public func message(device: String) -> String { "line audio down: \(device): \(reason)" }
}

/// What the card gave when it was opened.
public struct LineAudioFormat: Sendable, Hashable, BitwiseCopyable {
    /// The card's sample rate (8000, or a higher rate adapted by `LineRateAdapter`).
    public var rate: UInt32
    /// Frames per period at that rate.
    public var periodFrames: UInt32
    /// Frames in the device buffer at that rate.
    public var bufferFrames: UInt32
}

/// The line's audio as the status shows it.
public struct LineAudioStatus: Sendable, Equatable {
    /// The configured device (nil: no line configured).
    public var device: String?
    /// The device is open and the media thread moves audio through it.
    public var up: Bool
    /// The last fault as a sentence ("line audio down: hw:1: No such device"), while down.
    public var lastError: String?
    /// Rate, period and buffer the card gave (nil until it was first opened).
    public var format: LineAudioFormat?
    /// Periods of the media thread's line clock so far (timer expirations).
    public var clockPeriods: UInt64
    /// Periods the clock moved (written toward playback and taken from capture, or silence while down).
    public var periodsMoved: UInt64
    /// Periods written to the device completely, and read from it completely.
    public var periodsWritten: UInt64
    public var periodsRead: UInt64
    /// Capture overruns and playback underruns recovered (EPIPE), and suspends recovered (ESTRPIPE).
    public var captureXruns: UInt64
    public var playbackXruns: UInt64
    /// A period the device was not ready for before the next one was due: dropped (playback) or
    /// skipped (capture) so the media thread keeps its own clock.
    public var playbackLate: UInt64
    public var captureLate: UInt64
    /// Clock periods the thread could not serve in time (more than 4 expirations at once).
    public var clockOverruns: UInt64
    /// RTP packets the line sent.
    public var packetsSent: UInt64
    /// The line session's jitter buffer (zeros when no session).
    public var jitter: JitterBufferStats
    /// CLOCK_MONOTONIC ns of the first period written to the device (0: none yet).
    public var firstWriteNs: UInt64
    /// The line's telephony DSP: switches, ERLE, digits, caller ID, CPU (nil: no DSP stage).
    public var dsp: LineDSPStatus? = nil
    /// The rate asked of the card (nil: no line configured); `format.rate` is the one it gave.
    public var requestedRate: Int? = nil
    /// The card is open at a rate other than 8 kHz and its audio is resampled to and from 8 kHz.
    public var resampling: Bool = false
    /// The engine's speexdsp resampler while it is in use (nil: none, or an owner-supplied adapter).
    public var resampler: LineResamplerStatus? = nil
}

/// The engine's speexdsp resampler as the status shows it.
public struct LineResamplerStatus: Sendable, Equatable {
    /// speexdsp quality (0...10).
    public var quality: Int
    /// Delay the two filters add together (playback + capture), in ms.
    public var delayMilliseconds: Double
}

// Counters the media thread keeps for the status (atomics, relaxed: figures, not synchronisation).
final class LineShared: Sendable {
    let up = ManagedAtomic<Bool>(false)
    let clockPeriods = ManagedAtomic<UInt64>(0)
    let periodsMoved = ManagedAtomic<UInt64>(0)
    let periodsWritten = ManagedAtomic<UInt64>(0)
    let periodsRead = ManagedAtomic<UInt64>(0)
    let captureXruns = ManagedAtomic<UInt64>(0)
    let playbackXruns = ManagedAtomic<UInt64>(0)
    let playbackLate = ManagedAtomic<UInt64>(0)
    let captureLate = ManagedAtomic<UInt64>(0)
    let clockOverruns = ManagedAtomic<UInt64>(0)
    let packetsSent = ManagedAtomic<UInt64>(0)
    let firstWriteNs = ManagedAtomic<UInt64>(0)
    // `lineDSP` commands the media thread has applied (the earlier stages are no longer used).
    let dspApplied = ManagedAtomic<UInt64>(0)
    // Jitter buffer: received, duplicates, late, overflow, played, concealed, underruns, skew drops,
    // stretched, talk spurts, target, depth, jitter.
    let jitter = (0..<13).map { _ in ManagedAtomic<UInt64>(0) }

    func store(_ s: JitterBufferStats) {
        jitter[0].store(s.received, ordering: .relaxed)
        jitter[1].store(s.duplicates, ordering: .relaxed)
        jitter[2].store(s.late, ordering: .relaxed)
        jitter[3].store(s.overflow, ordering: .relaxed)
        jitter[4].store(s.played, ordering: .relaxed)
        jitter[5].store(s.concealedSamples, ordering: .relaxed)
        jitter[6].store(s.underruns, ordering: .relaxed)
        jitter[7].store(s.skewDrops, ordering: .relaxed)
        jitter[8].store(s.stretchedSamples, ordering: .relaxed)
        jitter[9].store(s.talkSpurts, ordering: .relaxed)
        jitter[10].store(UInt64(s.targetSamples), ordering: .relaxed)
        jitter[11].store(UInt64(s.depthSamples), ordering: .relaxed)
        jitter[12].store(UInt64(s.jitterSamples), ordering: .relaxed)
    }

    var jitterStats: JitterBufferStats {
        var s = JitterBufferStats()
        s.received = jitter[0].load(ordering: .relaxed)
        s.duplicates = jitter[1].load(ordering: .relaxed)
        s.late = jitter[2].load(ordering: .relaxed)
        s.overflow = jitter[3].load(ordering: .relaxed)
        s.played = jitter[4].load(ordering: .relaxed)
        s.concealedSamples = jitter[5].load(ordering: .relaxed)
        s.underruns = jitter[6].load(ordering: .relaxed)
        s.skewDrops = jitter[7].load(ordering: .relaxed)
        s.stretchedSamples = jitter[8].load(ordering: .relaxed)
        s.talkSpurts = jitter[9].load(ordering: .relaxed)
        s.targetSamples = Int(jitter[10].load(ordering: .relaxed))
        s.depthSamples = Int(jitter[11].load(ordering: .relaxed))
        s.jitterSamples = Int(jitter[12].load(ordering: .relaxed))
        return s
    }
}
