// LineAudioConfiguration: the analog line's ALSA device, period, buffer, rate and rate adaptation, and a line session's codec and jitter buffer.
import MediaCore

/// Converts one period between the line's 8 kHz audio and the card's rate, on the media thread.
///
/// Supplied by the owner when the card does not run at 8 kHz (e.g. a speexdsp resampler made on the
/// control side). Both functions are called once per period with `context`; they must not allocate,
/// lock, log or block. Each returns the frames it wrote (at most `outputCapacity`); fewer than asked is
/// padded with silence (playback) or dropped (capture).
public struct LineRateAdapter: @unchecked Sendable {
    /// 8 kHz mono → the card's rate: (context, input, inputFrames, output, outputCapacity) → frames written.
    public typealias Convert = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<Int16>, Int32, UnsafeMutablePointer<Int16>, Int32) -> Int32
    /// Opaque state for the two functions; it must live until the line is closed.
    public var context: UnsafeMutableRawPointer?
    /// Playback direction: 8 kHz → card rate.
    public var toDevice: Convert
    /// Capture direction: card rate → 8 kHz.
    public var fromDevice: Convert

    /// An adapter calling `toDevice` and `fromDevice` with `context`.
    public init(context: UnsafeMutableRawPointer?, toDevice: Convert, fromDevice: Convert) {
        self.context = context
        self.toDevice = toDevice
        self.fromDevice = fromDevice
    }
}

/// The line's sound card as the media thread drives it.
public struct LineAudioConfiguration: Sendable {
    /// ALSA PCM name (`hw:0`, `plughw:1,0`, a configured plugin name); the same name for capture and playback.
    public var device: String
    /// Period in ms: 10 or 20. The media thread moves exactly one period per period of its own clock.
    public var periodMilliseconds: Int = 20
    /// Device buffer, in periods (2...8).
    public var bufferPeriods: Int = 4
    /// Periods of silence written ahead when playback starts (1 or 2): the margin against the media
    /// thread's own scheduling delay; it is part of the added latency.
    public var playbackPrefillPeriods: Int = 1
    /// While the device is down, the control side's `maintainLine` tries to open it this often.
    public var retryMilliseconds: Int = 2000
    /// Sample rate asked of the card (8000...192000; 8000 by default). The card's own rate is taken when it
    /// will not run at this one and recorded in the status.
    public var rate: Int = 8000
    /// An owner-supplied adapter for a card not at 8 kHz. When nil (the usual case) the engine makes its
    /// own from speexdsp (`LineResampler`, at `resampleQuality`) on the control side for the rate the
    /// card gave, and frees it when it closes the device.
    public var rateAdapter: LineRateAdapter?
    /// speexdsp quality of the engine's resampler: 0 (fastest) ... 10 (best); 5 by default.
    public var resampleQuality: Int = 5
    /// The telephony DSP run on the line's audio (nil: none: no detection, no DTMF, no echo cancelling).
    public var dsp: LineDSPConfiguration? = LineDSPConfiguration()

    /// The line on `device` with 20 ms periods.
    public init(device: String, periodMilliseconds: Int = 20) {
        self.device = device
        self.periodMilliseconds = periodMilliseconds
    }

    func validate() throws(MediaEngineError) {
        guard periodMilliseconds == 10 || periodMilliseconds == 20 else {
            throw .invalidConfiguration("line period must be 10 or 20 ms")
        }
        guard (2...8).contains(bufferPeriods), (1...2).contains(playbackPrefillPeriods), playbackPrefillPeriods < bufferPeriods else {
            throw .invalidConfiguration("line buffer must be 2...8 periods and the prefill 1 or 2 periods, fewer than the buffer")
        }
        guard retryMilliseconds >= 100 else { throw .invalidConfiguration("line retry interval must be at least 100 ms") }
        guard !device.isEmpty else { throw .invalidConfiguration("line device name is empty") }
        guard (8000...192_000).contains(rate) else { throw .invalidConfiguration("line rate must be 8000...192000 Hz") }
        guard (0...10).contains(resampleQuality) else { throw .invalidConfiguration("line resample quality must be 0...10") }
    }
}

/// The line side of a line session: the codec of the RTP leg, and the stream the line originates.
public struct LineLegConfiguration: Sendable {
    /// Codec of the RTP leg (both ways).
    public var codec: MediaCodec = .pcmu
    /// Its payload type on the RTP leg.
    public var payloadType: UInt8 = 0
    /// Packet time of the RTP the line sends, in ms (10...60, a multiple of 10 and of the line period).
    public var packetMilliseconds: Int = 20
    /// SSRC, first sequence number and first timestamp of the stream the line sends.
    public var ssrc: UInt32 = .random(in: 1...UInt32.max)
    public var initialSequence: UInt16 = .random(in: 0...UInt16.max)
    public var initialTimestamp: UInt32 = .random(in: 0...UInt32.max)
    /// Bounds of the adaptive jitter buffer toward the line.
    public var jitterBuffer = JitterBufferConfiguration()

    /// PCMU, payload type 0, 20 ms packets, random SSRC, sequence and timestamp.
    public init(codec: MediaCodec = .pcmu, payloadType: UInt8? = nil) {
        self.codec = codec
        self.payloadType = payloadType ?? (codec == .pcmu ? 0 : codec == .pcma ? 8 : 18)
    }

    func validate(periodMilliseconds: Int) throws(MediaEngineError) {
        guard payloadType < 128 else { throw .invalidConfiguration("line payload type must be below 128") }
        guard (10...60).contains(packetMilliseconds), packetMilliseconds % 10 == 0,
              packetMilliseconds % periodMilliseconds == 0 else {
            throw .invalidConfiguration("line packet time must be 10...60 ms and a multiple of the \(periodMilliseconds) ms period")
        }
        guard jitterBuffer.clockRate == 8000, jitterBuffer.minimumMilliseconds >= 10,
              jitterBuffer.maximumMilliseconds <= 1000, jitterBuffer.minimumMilliseconds <= jitterBuffer.maximumMilliseconds else {
            throw .invalidConfiguration("line jitter buffer: 8 kHz, minimum ≥ 10 ms, maximum ≤ 1000 ms")
        }
    }
}
