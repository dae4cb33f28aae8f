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

    // The line's leg: no sockets, no far end.
    static var none: MediaLegSpec {
        MediaLegSpec(rtpFD: -1, rtcpFD: -1, remote: nil, remoteRTCP: nil, srtpReceive: nil, srtpSend: nil, secure: false,
                     payloadTypeMap: PayloadTypeMap(), telephoneEventPayloadType: 0xFF, clockRate: 8000, latching: false,
                     rewriter: nil, transcoder: nil)
    }
}

// Control → media thread.
enum MediaCommand {
    case create(MediaSessionID, MediaLegSpec, MediaLegSpec)
    case update(MediaSessionID, MediaLeg, MediaLegSpec)
    case destroy(MediaSessionID)
    case sendDTMF(MediaSessionID, MediaLeg, MediaDTMFRequest)
    // A session bridging an RTP leg (leg a) with the line (leg b).
    case createLine(MediaSessionID, MediaLegSpec, UnsafeMutablePointer<LineSessionState>)
    // Starts the line clock: one period of `periodSamples` (8 kHz) every `periodNs`.
    case lineClock(periodSamples: Int, periodNs: UInt64)
    // The line's device, opened on the control side, for the thread to drive.
    case lineAttach(LineDeviceSpec)
    // The thread lets go of the device (`lineAudioReleased` follows).
    case lineDetach
    // The line's DSP stage (nil: none), the `number`th such command; the thread publishes the number
    // once it no longer uses the previous stage.
    case lineDSP(Unmanaged<LineDSPStage>?, number: UInt64)
    // Caller-ID listening, call-progress detection on/off; a new call for the echo canceller.
    case lineDSPListen(Bool)
    case lineDSPProgress(Bool)
    case lineDSPResetEcho
    // A digit (RFC 4733 event code) to play on the line: tone, then at least the gap.
    case lineDSPDigit(event: UInt8, toneSamples: Int, gapSamples: Int)
}

// An RFC 4733 event the box originates out of one leg.
struct MediaDTMFRequest {
    var event: UInt8
    var durationSamples: UInt32
    var volume: UInt8
    var payloadType: UInt8
    // Open-ended: a digit still sounding (heard on the line); `durationSamples` is only a cap until its end
    // is known. Its packets report what has sounded so far rather than announcing the next interval.
    var openEnded = false
}
