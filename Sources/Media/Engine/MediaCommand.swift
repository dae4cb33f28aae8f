// MediaCommand: what the control side asks of the media thread through the command queue (plain values only).
import MediaCore

// A leg as the media thread receives it: no references, only values and raw libsrtp handles (their
// owners stay alive on the control side until the thread reports it no longer uses them).
struct MediaLegSpec {
    var rtpFD: Int32
    var rtcpFD: Int32
    var remote: MediaAddress?
    var remoteRTCP: MediaAddress?
    var srtpReceive: OpaquePointer?
    var srtpSend: OpaquePointer?
    var secure: Bool
    var payloadTypeMap: PayloadTypeMap
    var telephoneEventPayloadType: UInt8
    var clockRate: UInt32
    var latching: Bool
    var rewriter: RTPStreamRewriter?
    // Transcoding of what the leg receives (owned by a MediaTranscoder on the control side).
    var transcoder: UnsafeMutablePointer<MediaTranscoderState>?
}

// Control → media thread.
enum MediaCommand {
    case create(MediaSessionID, MediaLegSpec, MediaLegSpec)
    case update(MediaSessionID, MediaLeg, MediaLegSpec)
    case destroy(MediaSessionID)
    case sendDTMF(MediaSessionID, MediaLeg, MediaDTMFRequest)
}

// An RFC 4733 event the box originates out of one leg.
struct MediaDTMFRequest {
    var event: UInt8
    var durationSamples: UInt32
    var volume: UInt8
    var payloadType: UInt8
}
