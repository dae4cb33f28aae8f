// LineSession: the state of a session bridging an RTP leg with the line: jitter buffer, codec channels, PCM and packet buffers, made on the control side.
import CBCG729
import MediaCore

// What the media thread reads and writes for the line session: a plain struct behind a pointer (no
// references), all of its memory made on the control side.
struct LineSessionState {
    var codec: MediaCodec
    var payloadType: UInt8
    var jitter: JitterBuffer
    var concealer: PacketLossConcealer
    var decoder: OpaquePointer?
    var encoder: OpaquePointer?
    // Decoded 8 kHz audio waiting to be played (a packet may be longer than a period).
    var fifo: UnsafeMutablePointer<Int16>
    var fifoCount = 0
    let fifoCapacity: Int
    // One G.729 frame of scratch (concealment shorter than a frame).
    var scratch: UnsafeMutablePointer<Int16>
    // The RTP packet the line is filling: header, payload, room for the SRTP trailer.
    var packet: UnsafeMutableRawPointer
    var packetSamples: Int
    var filledSamples = 0
    var ssrc: UInt32
    var sequence: UInt16
    var timestamp: UInt32
    var firstPacket = true
}

// The control side's owner of a line session's memory (kept alive by MediaEngine, like an SRTP context,
// until the media thread reports the session destroyed).
final class LineSession {
    static let packetCapacity = 12 + 480 + SRTPContext.maximumTrailer + 16
    let state: UnsafeMutablePointer<LineSessionState>

    init(_ configuration: LineLegConfiguration) throws(MediaEngineError) {
        var decoder: OpaquePointer?
        var encoder: OpaquePointer?
        if configuration.codec == .g729 {
            guard let d = initBcg729DecoderChannel() else { throw .invalidConfiguration("bcg729 decoder: out of memory") }
            guard let e = initBcg729EncoderChannel(0) else {
                closeBcg729DecoderChannel(d)
                throw .invalidConfiguration("bcg729 encoder: out of memory")
            }
            decoder = d
            encoder = e
        }
        var jb = configuration.jitterBuffer
        jb.maximumPayload = max(jb.maximumPayload, 480)
        let fifoCapacity = 2048
        let fifo = UnsafeMutablePointer<Int16>.allocate(capacity: fifoCapacity)
        fifo.initialize(repeating: 0, count: fifoCapacity)
        let scratch = UnsafeMutablePointer<Int16>.allocate(capacity: 80)
        scratch.initialize(repeating: 0, count: 80)
        let packet = UnsafeMutableRawPointer.allocate(byteCount: LineSession.packetCapacity, alignment: 16)
        packet.initializeMemory(as: UInt8.self, repeating: 0, count: LineSession.packetCapacity)
        state = .allocate(capacity: 1)
        state.initialize(to: LineSessionState(
            codec: configuration.codec, payloadType: configuration.payloadType,
            jitter: JitterBuffer(jb), concealer: PacketLossConcealer(),
            decoder: decoder, encoder: encoder,
            fifo: fifo, fifoCapacity: fifoCapacity, scratch: scratch, packet: packet,
            packetSamples: configuration.packetMilliseconds * 8,
            ssrc: configuration.ssrc, sequence: configuration.initialSequence, timestamp: configuration.initialTimestamp))
    }

    deinit {
        let s = state.pointee
        if let d = s.decoder { closeBcg729DecoderChannel(d) }
        if let e = s.encoder { closeBcg729EncoderChannel(e) }
        s.jitter.deallocate()
        s.concealer.deallocate()
        s.fifo.deallocate()
        s.scratch.deallocate()
        s.packet.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }
}
