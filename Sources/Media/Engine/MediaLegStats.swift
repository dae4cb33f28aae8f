// MediaLegStats: counters and receive quality of one leg (RFC 3550 A.3 loss, A.8 jitter), the peer's reception report and the round-trip time from RTCP (§6.4.1), a plain value.

/// What one leg has seen: packets in and out, drops by cause, and the RFC 3550 receive statistics of
/// the RTP it received. "Received" is what arrived on the leg's sockets; "sent" is what the engine
/// relayed out of the leg.
public struct MediaLegStats: Sendable, Equatable, BitwiseCopyable {
    /// RTP packets received and accepted (after SRTP and latching checks).
    public var packetsReceived: UInt64 = 0
    /// Octets of those packets as they arrived (SRTP length on an SRTP leg).
    public var bytesReceived: UInt64 = 0
    /// RTP packets sent out of this leg.
    public var packetsSent: UInt64 = 0
    /// Octets sent out of this leg (after protection).
    public var bytesSent: UInt64 = 0
    /// RTCP packets received and accepted.
    public var rtcpReceived: UInt64 = 0
    /// RTCP packets sent out of this leg.
    public var rtcpSent: UInt64 = 0
    /// Packets that failed SRTP/SRTCP authentication or replay checks.
    public var srtpFailures: UInt64 = 0
    /// Packets from a source other than the latched one, dropped.
    public var foreignDropped: UInt64 = 0
    /// Packets dropped for another reason: not RTP, payload type mapped to drop, no destination yet,
    /// too long, protection failed on the way out.
    public var dropped: UInt64 = 0
    /// Packets the kernel did not take when sending out of this leg.
    public var sendFailures: UInt64 = 0
    /// RTP packets received here and transcoded (`MediaLegConfiguration.transcode`).
    public var packetsTranscoded: UInt64 = 0
    /// RTP packets received here in the transcoded payload type but dropped: not whole codec frames,
    /// longer than the transcoder's packet time, or too long once transcoded.
    public var transcodeDropped: UInt64 = 0
    /// RFC 3550 A.3 cumulative packets lost of the RTP received (negative with duplicates).
    public var packetsLost: Int64 = 0
    /// RFC 3550 A.8 interarrival jitter of the RTP received, in RTP timestamp units.
    public var jitter: UInt32 = 0
    /// The clock rate `jitter` is counted in.
    public var clockRate: UInt32 = 8000
    /// The latched source address of RTP, if any.
    public var latchedAddress: MediaAddress?
    /// Round-trip time between the box and this leg's peer from RTCP LSR/DLSR (RFC 3550 §6.4.1):
    /// the latest sample, milliseconds; nil until the peer has reported on an SR that passed the box
    /// (forwarded in a relayed session, the box's own in a terminated one).
    public var roundTripMilliseconds: Double?
    /// The mean of the round-trip samples, milliseconds.
    public var roundTripMeanMilliseconds: Double?
    /// Round-trip samples taken.
    public var roundTripSamples: UInt32 = 0
    /// The peer's latest reception report on the stream it gets from the box (its RTCP report block):
    /// what the far end says it receives from us. nil until one came.
    public var peerReport: MediaPeerReport?

    /// Creates zeroed counters.
    public init() {}

    /// Jitter in milliseconds.
    public var jitterMilliseconds: Double {
        clockRate == 0 ? 0 : Double(jitter) * 1000 / Double(clockRate)
    }
}

/// What a leg's peer reports receiving from the box (an RTCP report block, RFC 3550 §6.4.1).
public struct MediaPeerReport: Sendable, Equatable, BitwiseCopyable {
    /// Fraction lost since its previous report, in 1/256.
    public var fractionLost: UInt8
    /// Cumulative packets lost (negative with duplicates).
    public var cumulativeLost: Int32
    /// Interarrival jitter in RTP timestamp units of the stream the box sends the leg.
    public var jitter: UInt32
    /// The clock rate `jitter` is counted in.
    public var clockRate: UInt32

    public init(fractionLost: UInt8, cumulativeLost: Int32, jitter: UInt32, clockRate: UInt32) {
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.jitter = jitter
        self.clockRate = clockRate
    }

    /// Fraction lost as a percentage.
    public var fractionLostPercent: Double { Double(fractionLost) * 100 / 256 }

    /// Jitter in milliseconds.
    public var jitterMilliseconds: Double {
        clockRate == 0 ? 0 : Double(jitter) * 1000 / Double(clockRate)
    }
}

/// Both legs' statistics.
public struct MediaSessionStats: Sendable, Equatable, BitwiseCopyable {
    /// Leg A.
    public var a = MediaLegStats()
    /// Leg B.
    public var b = MediaLegStats()

    /// Creates zeroed statistics.
    public init() {}

    /// One leg's statistics.
    public subscript(_ leg: MediaLeg) -> MediaLegStats {
        get { leg == .a ? a : b }
        set { if leg == .a { a = newValue } else { b = newValue } }
    }
}
