// MediaRealtimeLoop+Transcode: one RTP payload decoded to 16-bit PCM and encoded to the other leg's codec, in place (G.711, G.729 through bcg729; RFC 3551 §4.5.6, §4.5.14).
//
// REALTIME FILE. In steady state the code here does no allocation, takes no lock, does no logging and
// never awaits (see MediaRealtimeLoop.swift; MediaAllocationTests proves it). bcg729's per-frame
// encoder and decoder work on their channel context and the stack only.
import CBCG729
import MediaCore

extension MediaRealtimeLoop {
    static let g729FrameSamples = 80
    static let g729FrameBytes = 10
    static let g729SIDBytes = 2

    // Rewrites the payload of the RTP packet at `packet` (header already parsed) from the transcoder's
    // incoming codec to its outgoing one: PCM goes through the transcoder's buffer, the new payload is
    // written right after the header (padding removed). Returns the new packet
    // length, or nil when the payload is not whole frames, too long, or the result would not fit.
    @inline(__always)
    func transcode(_ t: UnsafeMutablePointer<MediaTranscoderState>, packet: UnsafeMutableRawPointer, header: RTPHeader) -> Int? {
        let payload = (packet + header.headerLength).assumingMemoryBound(to: UInt8.self)
        let inBytes = header.payloadLength
        let pcm = t.pointee.pcm
        let capacity = t.pointee.pcmCapacity
        guard inBytes > 0 else { return nil }
        var samples = 0
        switch t.pointee.incoming {
        case .pcmu:
            guard inBytes <= capacity else { return nil }
            for i in 0..<inBytes { pcm[i] = G711.ulawToLinear(payload[i]) }
            samples = inBytes
        case .pcma:
            guard inBytes <= capacity else { return nil }
            for i in 0..<inBytes { pcm[i] = G711.alawToLinear(payload[i]) }
            samples = inBytes
        case .g729:
            guard let decoder = t.pointee.decoder else { return nil }
            let voice = inBytes / MediaRealtimeLoop.g729FrameBytes
            let rest = inBytes % MediaRealtimeLoop.g729FrameBytes
            guard rest == 0 || rest == MediaRealtimeLoop.g729SIDBytes else { return nil }
            let sid = rest == MediaRealtimeLoop.g729SIDBytes
            samples = (voice + (sid ? 1 : 0)) * MediaRealtimeLoop.g729FrameSamples
            guard samples <= capacity else { return nil }
            var frame = 0
            while frame < voice {
                bcg729Decoder(decoder, payload + frame * MediaRealtimeLoop.g729FrameBytes, UInt8(MediaRealtimeLoop.g729FrameBytes),
                              0, 0, 0, pcm + frame * MediaRealtimeLoop.g729FrameSamples)
                frame += 1
            }
            if sid {
                // Annex B silence descriptor: the decoder makes comfort noise at the level it describes.
                bcg729Decoder(decoder, payload + voice * MediaRealtimeLoop.g729FrameBytes, UInt8(MediaRealtimeLoop.g729SIDBytes),
                              0, 1, 0, pcm + voice * MediaRealtimeLoop.g729FrameSamples)
            }
        }
        // The new payload is written over the old one, right after the header.
        let outBytes: Int
        switch t.pointee.outgoing {
        case .pcmu, .pcma:
            outBytes = samples
        case .g729:
            guard samples % MediaRealtimeLoop.g729FrameSamples == 0 else { return nil }
            outBytes = samples / MediaRealtimeLoop.g729FrameSamples * MediaRealtimeLoop.g729FrameBytes
        }
        let length = header.headerLength + outBytes
        guard length <= MediaRealtimeLoop.receiveCapacity else { return nil }
        switch t.pointee.outgoing {
        case .pcmu:
            for i in 0..<samples { payload[i] = G711.linearToUlaw(pcm[i]) }
        case .pcma:
            for i in 0..<samples { payload[i] = G711.linearToAlaw(pcm[i]) }
        case .g729:
            guard let encoder = t.pointee.encoder else { return nil }
            var frame = 0
            var written = 0
            while frame < samples / MediaRealtimeLoop.g729FrameSamples {
                var n: UInt8 = 0
                bcg729Encoder(encoder, pcm + frame * MediaRealtimeLoop.g729FrameSamples, payload + written, &n)
                written += Int(n)
                frame += 1
            }
            // Without VAD every frame is a 10-octet voice frame.
            guard written == outBytes else { return nil }
        }
        // Padding, if any, is gone (the relay path sets the payload type).
        packet.assumingMemoryBound(to: UInt8.self)[0] &= ~0x20
        return length
    }
}
