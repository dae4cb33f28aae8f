// MediaLegConfiguration: how one leg of a session relays: sockets, far end, SRTP, payload types, DTMF.
import MediaCore

/// One leg as signalling set it up. Payload-type mapping and DTMF detection apply to what the leg
/// *receives*: `payloadTypeMap` turns a payload type arriving on this leg into the one sent out of the
/// other leg.
public struct MediaLegConfiguration: Sendable {
    /// The leg's sockets (ownership passes to the engine with the command).
    public var sockets: MediaSocketPair
    /// The far end's RTP address from SDP; nil until known (packets toward the leg are dropped until
    /// the address is known or latched).
    public var remote: MediaAddress?
    /// The far end's RTCP address from SDP (`a=rtcp`); nil means RTP port + 1. Unused under rtcp-mux.
    public var remoteRTCP: MediaAddress?
    /// Unprotects what this leg receives (nil: the leg receives plain RTP).
    public var srtpReceive: SRTPContext?
    /// Protects what this leg sends (nil: the leg sends plain RTP).
    public var srtpSend: SRTPContext?
    /// The leg is SRTP: what it receives must be authenticated and what it sends protected, so until
    /// its contexts are given (the SDES answer), packets from it and toward it are dropped, never
    /// passed in clear (RFC 3711 §3.3; a `srtp required` profile never carries plain RTP).
    public var secure: Bool = false
    /// Payload type received here → payload type sent out of the other leg; nil entries drop.
    public var payloadTypeMap: PayloadTypeMap = .identity
    /// Transcoding of the audio received here, for when the legs share no codec: packets of
    /// `transcode.incomingPayloadType` are re-encoded (see `MediaTranscode`) instead of going through
    /// `payloadTypeMap`, which still maps telephone-event and comfort noise. The engine makes the codec
    /// state when the command is queued and frees it after `legUpdated` or `sessionDestroyed`.
    public var transcode: MediaTranscode?
    /// RFC 4733 telephone-event payload type as received on this leg, if negotiated.
    public var telephoneEventPayloadType: UInt8?
    /// RTP clock rate of the audio received here (jitter and time-stamps).
    public var clockRate: UInt32 = 8000
    /// Symmetric RTP: send to the source of this leg's packets rather than to `remote` (RFC 4961).
    public var latching: Bool = true
    /// When set, the engine re-originates the stream sent out of this leg (fixed SSRC, continuous
    /// sequence and timestamp across changes of the incoming source). Kept across updates.
    public var rewriter: RTPStreamRewriter?

    /// A leg on `sockets` toward `remote`.
    public init(sockets: MediaSocketPair, remote: MediaAddress?) {
        self.sockets = sockets
        self.remote = remote
    }

    // The plain-value form the media thread gets.
    var spec: MediaLegSpec {
        MediaLegSpec(
            rtpFD: sockets.rtp, rtcpFD: sockets.rtcp,
            remote: remote,
            remoteRTCP: sockets.rtcpMux ? nil : (remoteRTCP ?? remote.map { $0.with(port: $0.port &+ 1) }),
            srtpReceive: srtpReceive?.session, srtpSend: srtpSend?.session, secure: secure,
            payloadTypeMap: payloadTypeMap,
            telephoneEventPayloadType: telephoneEventPayloadType ?? 0xFF,
            clockRate: clockRate == 0 ? 8000 : clockRate,
            latching: latching, rewriter: rewriter, transcoder: nil)
    }
}
