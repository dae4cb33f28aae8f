// MediaTranscode: transcoding between G.711 µ-law, A-law and G.729 for one direction of a session (RFC 3551 §4.5.6, §4.5.14), used only when the legs share no codec.
import CBCG729

/// An audio codec the relay can transcode between, all 8 kHz.
public enum MediaCodec: UInt8, Sendable, Hashable, BitwiseCopyable, CaseIterable {
    /// G.711 µ-law (static payload type 0): one octet per sample.
    case pcmu
    /// G.711 A-law (static payload type 8): one octet per sample.
    case pcma
    /// G.729 (Annex A bit stream, static payload type 18): 10 octets per 10 ms frame, a 2-octet
    /// Annex B SID frame may end a payload.
    case g729
}

/// Transcoding of the audio one leg *receives* (like `payloadTypeMap`): packets arriving on the leg
/// with `incomingPayloadType` are decoded from `incoming` to 16-bit PCM and encoded to `outgoing`,
/// leaving the other leg with `outgoingPayloadType`. Sequence number, timestamp (both codecs run at
/// 8 kHz), SSRC and marker stay; the stream rewriter, SRTP and the send follow as for any packet.
///
/// Each packet is transcoded on its own, frame for frame: it leaves carrying the same audio time it
/// arrived with (no repacketisation), so the packet time needs no setting beyond the longest packet
/// accepted. Packets of any other payload type (RFC 4733 telephone-event, RFC 3389 comfort noise) are
/// not transcoded: `payloadTypeMap` maps or drops them as without transcoding.
///
/// Dropped and counted in the leg's `transcodeDropped`: a G.729 payload that is not whole 10-octet
/// frames (optionally plus one 2-octet SID), a G.711 payload going to G.729 that is not whole 10 ms
/// frames (80 samples), an empty payload, and a packet longer than `maximumPacketMilliseconds`.
///
/// G.729 Annex B SID frames are decoded as comfort noise (bcg729's Annex B decoder): a SID frame
/// becomes 10 ms of noise at the level the SID describes, so a payload of N voice frames and a SID
/// gives (N+1)·10 ms of G.711. Toward G.729 the encoder runs without VAD (always voice frames).
///
/// A plain value: the engine makes the codec state (bcg729 channels, PCM buffer) on the control side
/// when the command is built and frees it once the media thread has let go of it.
public struct MediaTranscode: Sendable, Hashable, BitwiseCopyable {
    /// The codec of what the leg receives.
    public var incoming: MediaCodec
    /// Its payload type on this leg (only packets with this payload type are transcoded).
    public var incomingPayloadType: UInt8
    /// The codec sent out of the other leg.
    public var outgoing: MediaCodec
    /// Its payload type on the other leg.
    public var outgoingPayloadType: UInt8
    /// The longest packet transcoded, in ms (a multiple of 10, 10...120; SDP maxptime, or 120 when
    /// absent): it sizes the leg's PCM buffer. Longer packets are dropped and counted.
    public var maximumPacketMilliseconds: Int

    /// The longest packet time the engine accepts for transcoding (960 samples; 960 octets of G.711).
    public static let packetMillisecondsLimit = 120

    public init(incoming: MediaCodec, incomingPayloadType: UInt8, outgoing: MediaCodec, outgoingPayloadType: UInt8,
                maximumPacketMilliseconds: Int = MediaTranscode.packetMillisecondsLimit) {
        self.incoming = incoming
        self.incomingPayloadType = incomingPayloadType
        self.outgoing = outgoing
        self.outgoingPayloadType = outgoingPayloadType
        self.maximumPacketMilliseconds = maximumPacketMilliseconds
    }

    func validate() throws(MediaEngineError) {
        guard incoming != outgoing else { throw .invalidConfiguration("transcoding needs two different codecs") }
        guard incomingPayloadType < 128, outgoingPayloadType < 128 else {
            throw .invalidConfiguration("transcoding payload types must be below 128")
        }
        guard (10...MediaTranscode.packetMillisecondsLimit).contains(maximumPacketMilliseconds),
              maximumPacketMilliseconds % 10 == 0 else {
            throw .invalidConfiguration("transcoding packet time must be a multiple of 10 ms, 10...\(MediaTranscode.packetMillisecondsLimit)")
        }
    }
}

// What the media thread reads and writes for one transcoding direction: raw bcg729 channels and a
// PCM buffer, all made on the control side. A plain struct behind a pointer (no references).
struct MediaTranscoderState {
    var incoming: MediaCodec
    var incomingPayloadType: UInt8
    var outgoing: MediaCodec
    var outgoingPayloadType: UInt8
    var decoder: OpaquePointer?
    var encoder: OpaquePointer?
    var pcm: UnsafeMutablePointer<Int16>
    var pcmCapacity: Int
}

// The control side's owner of one direction's codec state (kept alive by MediaEngine, like an
// SRTPContext, until the media thread reports it no longer uses it).
final class MediaTranscoder {
    let state: UnsafeMutablePointer<MediaTranscoderState>

    init(_ transcode: MediaTranscode) throws(MediaEngineError) {
        try transcode.validate()
        var decoder: OpaquePointer?
        var encoder: OpaquePointer?
        if transcode.incoming == .g729 {
            guard let d = initBcg729DecoderChannel() else { throw .invalidConfiguration("bcg729 decoder: out of memory") }
            decoder = d
        }
        if transcode.outgoing == .g729 {
            guard let e = initBcg729EncoderChannel(0) else {
                if let decoder { closeBcg729DecoderChannel(decoder) }
                throw .invalidConfiguration("bcg729 encoder: out of memory")
            }
            encoder = e
        }
        let capacity = transcode.maximumPacketMilliseconds * 8
        let pcm = UnsafeMutablePointer<Int16>.allocate(capacity: capacity)
        pcm.initialize(repeating: 0, count: capacity)
        state = .allocate(capacity: 1)
        state.initialize(to: MediaTranscoderState(
            incoming: transcode.incoming, incomingPayloadType: transcode.incomingPayloadType,
            outgoing: transcode.outgoing, outgoingPayloadType: transcode.outgoingPayloadType,
            decoder: decoder, encoder: encoder, pcm: pcm, pcmCapacity: capacity))
    }

    deinit {
        if let d = state.pointee.decoder { closeBcg729DecoderChannel(d) }
        if let e = state.pointee.encoder { closeBcg729EncoderChannel(e) }
        state.pointee.pcm.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }
}
