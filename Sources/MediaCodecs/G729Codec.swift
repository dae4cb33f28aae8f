// G729Codec: ITU-T G.729 (Annex A bit stream, Annex B comfort noise) through bcg729, in RTP payload form (RFC 3551 §4.5.6).
import CBCG729

/// G.729 framing as RTP carries it: 10 ms frames of 80 samples at 8 kHz, each 10 bytes; an Annex B
/// silence descriptor (SID) frame is 2 bytes and may only end a payload (RFC 3551 §4.5.6).
public enum G729 {
    /// Samples in one 10 ms frame at 8 kHz.
    public static let samplesPerFrame = 80
    /// Bytes of one voice frame.
    public static let frameBytes = 10
    /// Bytes of one Annex B SID frame.
    public static let sidBytes = 2

    /// Voice frames and whether a SID frame ends a payload of `length` bytes; nil when no valid
    /// payload has that length (RFC 3551: 10·N bytes, optionally followed by a 2-byte SID).
    @inlinable
    public static func frames(inPayloadOf length: Int) -> (voice: Int, sid: Bool)? {
        guard length > 0 else { return nil }
        switch length % frameBytes {
        case 0: return (length / frameBytes, false)
        case sidBytes: return (length / frameBytes, true)
        default: return nil
        }
    }
}

/// One G.729 encoder channel: linear 16-bit PCM at 8 kHz in, RTP payload bytes out.
///
/// Not thread-safe: created on the control side, then used by one thread at a time (the media thread
/// for a call's lifetime). Encoding allocates nothing.
public final class G729Encoder: @unchecked Sendable {
    private let context: OpaquePointer

    /// Creates an encoder; `vad` turns on Annex B voice activity detection (SID frames and silence).
    public init(vad: Bool = false) {
        guard let context = initBcg729EncoderChannel(vad ? 1 : 0) else {
            fatalError("bcg729 could not allocate an encoder channel (out of memory)")
        }
        self.context = context
    }

    deinit { closeBcg729EncoderChannel(context) }

    /// Encodes `pcm` (a whole number of 80-sample frames) into `payload`; returns the payload length,
    /// or nil when `pcm` is not whole frames or `payload` is too small (10 bytes per frame). With VAD
    /// on, a silent frame yields a 2-byte SID or nothing; a SID ends the payload (RFC 3551 §4.5.6),
    /// so frames after one are not encoded and the count of samples used is returned beside the length.
    public func encode(_ pcm: UnsafeBufferPointer<Int16>, into payload: UnsafeMutableRawBufferPointer) -> (bytes: Int, samplesUsed: Int)? {
        let frames = pcm.count / G729.samplesPerFrame
        guard frames > 0, pcm.count % G729.samplesPerFrame == 0, payload.count >= frames * G729.frameBytes,
              let input = pcm.baseAddress, let output = payload.baseAddress else { return nil }
        let bytes = output.assumingMemoryBound(to: UInt8.self)
        var written = 0
        for frame in 0..<frames {
            var length: UInt8 = 0
            bcg729Encoder(context, input + frame * G729.samplesPerFrame, bytes + written, &length)
            written += Int(length)
            if Int(length) == G729.sidBytes { return (written, (frame + 1) * G729.samplesPerFrame) }
        }
        return (written, pcm.count)
    }
}

/// One G.729 decoder channel: RTP payload bytes in, linear 16-bit PCM at 8 kHz out, with the codec's
/// own concealment for lost frames and comfort noise after SID frames.
///
/// Not thread-safe: used by one thread at a time. Decoding allocates nothing.
public final class G729Decoder: @unchecked Sendable {
    private let context: OpaquePointer

    public init() {
        guard let context = initBcg729DecoderChannel() else {
            fatalError("bcg729 could not allocate a decoder channel (out of memory)")
        }
        self.context = context
    }

    deinit { closeBcg729DecoderChannel(context) }

    /// Decodes one RTP payload into `pcm`; returns the samples written (80 per voice frame, 80 for a
    /// SID frame), or nil when the payload length is not a valid G.729 payload or `pcm` is too small.
    public func decode(_ payload: UnsafeRawBufferPointer, into pcm: UnsafeMutableBufferPointer<Int16>) -> Int? {
        guard let (voice, sid) = G729.frames(inPayloadOf: payload.count) else { return nil }
        let total = (voice + (sid ? 1 : 0)) * G729.samplesPerFrame
        guard pcm.count >= total, let input = payload.baseAddress, let output = pcm.baseAddress else { return nil }
        let bytes = input.assumingMemoryBound(to: UInt8.self)
        for frame in 0..<voice {
            bcg729Decoder(context, bytes + frame * G729.frameBytes, UInt8(G729.frameBytes), 0, 0, 0,
                          output + frame * G729.samplesPerFrame)
        }
        if sid {
            bcg729Decoder(context, bytes + voice * G729.frameBytes, UInt8(G729.sidBytes), 0, 1, 0,
                          output + voice * G729.samplesPerFrame)
        }
        return total
    }

    /// Fills `frames` lost 10 ms frames with the decoder's concealment (ITU-T G.729 §4.4); returns the
    /// samples written, or nil when `pcm` is too small.
    public func conceal(frames: Int, into pcm: UnsafeMutableBufferPointer<Int16>) -> Int? {
        let total = frames * G729.samplesPerFrame
        guard frames > 0, pcm.count >= total, let output = pcm.baseAddress else { return nil }
        for frame in 0..<frames {
            bcg729Decoder(context, nil, 0, 1, 0, 0, output + frame * G729.samplesPerFrame)
        }
        return total
    }
}
