// SDPCodec: a codec the box can use, as offer/answer (RFC 3264 §5.1, §6.1) matches it against rtpmap entries.

/// A locally supported encoding, matched against offered formats by name, clock rate and channels.
public struct SDPCodec: Sendable, Hashable {
    /// Encoding name, e.g. `PCMA`, `G729`, `telephone-event`.
    public var encodingName: String
    /// RTP clock rate in Hz.
    public var clockRate: UInt32
    /// Channel count; nil means one.
    public var channels: Int?
    /// Format parameters the box wants to state in its answer (e.g. `annexb=no`, `0-16`).
    public var fmtp: String?

    /// Creates a codec description.
    public init(encodingName: String, clockRate: UInt32, channels: Int? = nil, fmtp: String? = nil) {
        self.encodingName = encodingName
        self.clockRate = clockRate
        self.channels = channels
        self.fmtp = fmtp
    }

    /// Channel count with the default applied.
    public var channelCount: Int { channels ?? 1 }

    /// G.711 µ-law.
    public static let pcmu = SDPCodec(encodingName: "PCMU", clockRate: 8000)
    /// G.711 A-law.
    public static let pcma = SDPCodec(encodingName: "PCMA", clockRate: 8000)
    /// G.729 without Annex B silence suppression.
    public static let g729 = SDPCodec(encodingName: "G729", clockRate: 8000, fmtp: "annexb=no")
    /// G.722 (RTP clock 8000 per RFC 3551 §4.5.2).
    public static let g722 = SDPCodec(encodingName: "G722", clockRate: 8000)
    /// RFC 4733 DTMF events 0-16 at 8000 Hz.
    public static let telephoneEvent = SDPCodec(encodingName: "telephone-event", clockRate: 8000, fmtp: "0-16")
}
