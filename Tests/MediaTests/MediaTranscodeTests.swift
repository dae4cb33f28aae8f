// MediaTranscodeTests: transcoding in the relay end to end on loopback: a 1 kHz tone PCMU → G.729 and G.729 → PCMA keeps its frequency and level; telephone-event and CN untouched; odd sizes dropped; SID as comfort noise.
import Testing
import Glibc
import MediaCore
import MediaCodecs
@testable import Media

/// Test audio: a sine, and G.711/G.729 payloads of it.
enum Tone {
    /// `count` samples of a `frequency` Hz sine of `amplitude`, starting at sample `start` (8 kHz).
    static func samples(_ count: Int, start: Int = 0, frequency: Double = 1000, amplitude: Double = 10_000) -> [Int16] {
        (0..<count).map { Int16((amplitude * sin(2 * Double.pi * frequency * Double(start + $0) / 8000)).rounded()) }
    }

    static func ulaw(_ pcm: [Int16]) -> [UInt8] { pcm.map(G711.linearToUlaw) }

    /// 20 ms G.729 payloads (2 frames, 20 bytes) of a tone, encoded by MediaCodecs' encoder.
    static func g729Packets(_ count: Int, frequency: Double = 1000, amplitude: Double = 10_000) -> [[UInt8]] {
        let encoder = G729Encoder()
        return (0..<count).map { k in
            let pcm = samples(160, start: 160 * k, frequency: frequency, amplitude: amplitude)
            var out = [UInt8](repeating: 0, count: 20)
            let n = pcm.withUnsafeBufferPointer { p in out.withUnsafeMutableBytes { encoder.encode(p, into: $0)!.bytes } }
            precondition(n == 20)
            return out
        }
    }

    /// (power of `frequency`, total mean square, level of the tone in dBFS) of `pcm`.
    static func measure(_ pcm: [Int16], frequency: Double = 1000) -> (tone: Double, total: Double, dBFS: Double) {
        pcm.withUnsafeBufferPointer { p in
            let tone = ToneMeter.power(of: frequency, in: p)
            return (tone, ToneMeter.meanSquare(p), ToneMeter.levelDBFS(meanSquare: tone))
        }
    }
}

extension MediaEngineTests {
    static let pcmuToG729 = MediaTranscode(incoming: .pcmu, incomingPayloadType: 0, outgoing: .g729, outgoingPayloadType: 18)
    static let g729ToPCMU = MediaTranscode(incoming: .g729, incomingPayloadType: 18, outgoing: .pcmu, outgoingPayloadType: 0)
    static let g729ToPCMA = MediaTranscode(incoming: .g729, incomingPayloadType: 18, outgoing: .pcma, outgoingPayloadType: 8)

    @Test func toneSurvivesPCMUToG729() throws {
        var rig = try Rig()
        try rig.create { a, b in
            a.transcode = Self.pcmuToG729
            b.transcode = Self.g729ToPCMU
        }
        let decoder = G729Decoder()
        var sent: [Int16] = []
        var received: [Int16] = []
        for k in 0..<100 {
            let pcm = Tone.samples(160, start: 160 * k)
            let ulaw = Tone.ulaw(pcm)
            sent += ulaw.map(G711.ulawToLinear)
            let seq = UInt16(1000 + k)
            rig.peerA.send(Packets.rtp(pt: 0, seq: seq, marker: k == 0, payload: ulaw), to: rig.legA.local)
            let got = try #require(rig.peerB.receive())
            let h = try #require(got.bytes.withUnsafeBytes { RTPHeader.parse($0) })
            #expect(h.payloadType == 18)
            #expect(h.payloadLength == 20, "20 ms of G.729 is two 10-byte frames")
            #expect(h.sequence == seq)
            #expect(h.timestamp == UInt32(seq) &* 160, "timestamp kept: both codecs run at 8 kHz")
            #expect(h.marker == (k == 0))
            var pcmOut = [Int16](repeating: 0, count: 160)
            let n = Array(got.bytes[12...]).withUnsafeBytes { p in pcmOut.withUnsafeMutableBufferPointer { decoder.decode(p, into: $0) } }
            #expect(n == 160)
            received += pcmOut
        }
        // Past the codec's start-up (the first 200 ms).
        let input = Tone.measure(Array(sent[1600...]))
        let output = Tone.measure(Array(received[1600...]))
        print("transcode PCMU→G.729: tone in \(input.dBFS) dBFS, out \(output.dBFS) dBFS, purity \(output.tone / output.total)")
        #expect(abs(output.dBFS - input.dBFS) < 3, "1 kHz level within 3 dB: in \(input.dBFS), out \(output.dBFS)")
        #expect(output.tone / output.total > 0.8, "the output is mostly the 1 kHz tone")
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        #expect(stats.a.packetsTranscoded == 100)
        #expect(stats.a.transcodeDropped == 0)
        #expect(stats.b.bytesSent == 100 * 32)
    }

    @Test func toneSurvivesG729ToPCMA() throws {
        var rig = try Rig()
        try rig.create { _, b in
            b.transcode = Self.g729ToPCMA
        }
        let payloads = Tone.g729Packets(100)
        var received: [Int16] = []
        for (k, payload) in payloads.enumerated() {
            let seq = UInt16(k)
            rig.peerB.send(Packets.rtp(pt: 18, seq: seq, ssrc: 0x729, payload: payload), to: rig.legB.local)
            let got = try #require(rig.peerA.receive())
            let h = try #require(got.bytes.withUnsafeBytes { RTPHeader.parse($0) })
            #expect(h.payloadType == 8)
            #expect(h.payloadLength == 160)
            #expect(h.timestamp == UInt32(seq) &* 160)
            #expect(h.ssrc == 0x729)
            received += got.bytes[12...].map(G711.alawToLinear)
        }
        let reference = Tone.measure(Tone.samples(16_000))
        let output = Tone.measure(Array(received[1600...]))
        print("transcode G.729→PCMA: tone sent \(reference.dBFS) dBFS, out \(output.dBFS) dBFS, purity \(output.tone / output.total)")
        #expect(abs(output.dBFS - reference.dBFS) < 3, "1 kHz level within 3 dB: sent \(reference.dBFS), out \(output.dBFS)")
        #expect(output.tone / output.total > 0.8)
    }

    @Test func transcodingLeavesEventsAndComfortNoiseAndDropsOddSizes() throws {
        var rig = try Rig()
        try rig.create { a, b in
            var transcode = Self.pcmuToG729
            transcode.maximumPacketMilliseconds = 40
            a.transcode = transcode
            a.telephoneEventPayloadType = 101
            b.transcode = Self.g729ToPCMA
        }
        // RFC 4733 and RFC 3389 packets pass as they are (payloadTypeMap, identity here).
        let event = Packets.rtp(pt: 101, seq: 1, payload: [5, 0x0A, 0x00, 0xA0])
        rig.peerA.send(event, to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes == event)
        let cn = Packets.rtp(pt: 13, seq: 2, payload: [40])
        rig.peerA.send(cn, to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes == cn)
        // PCMU that is not whole 10 ms frames, empty, or longer than 40 ms cannot become G.729: dropped.
        for (seq, size) in [(UInt16(3), 100), (4, 0), (5, 400)] {
            rig.peerA.send(Packets.rtp(pt: 0, seq: seq, payload: [UInt8](repeating: 0xFF, count: size)), to: rig.legA.local)
        }
        #expect(rig.peerB.receive(timeoutMilliseconds: 200) == nil)
        // 30 ms passes (3 frames); padding is removed.
        var padded = Packets.rtp(pt: 0, seq: 6, payload: [UInt8](repeating: 0xFF, count: 240) + [0, 0, 0, 4])
        padded[0] |= 0x20
        rig.peerA.send(padded, to: rig.legA.local)
        let g729 = try #require(rig.peerB.receive())
        #expect(g729.bytes.count == 12 + 30)
        #expect(g729.bytes[0] == 0x80 && g729.bytes[1] == 18)
        // G.729 of 15 bytes is no whole frame: dropped. Voice + SID, and SID alone, come out as comfort noise.
        let voice = Tone.g729Packets(3)
        rig.peerB.send(Packets.rtp(pt: 18, seq: 1, payload: Array(voice[0][0..<15])), to: rig.legB.local)
        #expect(rig.peerA.receive(timeoutMilliseconds: 200) == nil)
        rig.peerB.send(Packets.rtp(pt: 18, seq: 2, payload: voice[1]), to: rig.legB.local)
        #expect(rig.peerA.receive()?.bytes.count == 12 + 160)
        rig.peerB.send(Packets.rtp(pt: 18, seq: 3, payload: voice[2] + [0x12, 0x34]), to: rig.legB.local)
        let withSID = try #require(rig.peerA.receive())
        #expect(withSID.bytes.count == 12 + 240, "two voice frames and a SID: 30 ms of A-law")
        rig.peerB.send(Packets.rtp(pt: 18, seq: 4, payload: [0x12, 0x34]), to: rig.legB.local)
        let sid = try #require(rig.peerA.receive())
        #expect(sid.bytes.count == 12 + 80, "a SID alone: 10 ms of comfort noise")
        #expect(sid.bytes[1] == 8)
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        #expect(stats.a.transcodeDropped == 3)
        #expect(stats.a.packetsTranscoded == 1)
        #expect(stats.b.transcodeDropped == 1)
        #expect(stats.b.packetsTranscoded == 3)
        #expect(stats.a.packetsReceived == 6)
    }

    @Test func updateTurnsTranscodingOnAndOff() throws {
        var rig = try Rig()
        try rig.create()
        let p = Packets.rtp(pt: 0, seq: 1, payload: Tone.ulaw(Tone.samples(160)))
        rig.peerA.send(p, to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes == p, "no transcoding: relayed as is")
        var a = MediaLegConfiguration(sockets: rig.legA, remote: rig.peerA.address)
        a.transcode = Self.pcmuToG729
        try rig.engine.updateLeg(rig.id, leg: .a, a)
        _ = rig.engine.collectEvents { if case .legUpdated = $0 { return true }; return false }
        rig.peerA.send(Packets.rtp(pt: 0, seq: 2, payload: Tone.ulaw(Tone.samples(160))), to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes.count == 12 + 20)
        a.transcode = nil
        try rig.engine.updateLeg(rig.id, leg: .a, a)
        _ = rig.engine.collectEvents { if case .legUpdated = $0 { return true }; return false }
        let q = Packets.rtp(pt: 0, seq: 3, payload: Tone.ulaw(Tone.samples(160)))
        rig.peerA.send(q, to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes == q)
    }

    @Test func refusesBadTranscoding() throws {
        let rig = try Rig()
        for bad in [MediaTranscode(incoming: .pcmu, incomingPayloadType: 0, outgoing: .pcmu, outgoingPayloadType: 0),
                    MediaTranscode(incoming: .pcmu, incomingPayloadType: 0, outgoing: .g729, outgoingPayloadType: 18, maximumPacketMilliseconds: 25),
                    MediaTranscode(incoming: .pcmu, incomingPayloadType: 0, outgoing: .g729, outgoingPayloadType: 18, maximumPacketMilliseconds: 130),
                    MediaTranscode(incoming: .pcmu, incomingPayloadType: 200, outgoing: .g729, outgoingPayloadType: 18)] {
            var a = MediaLegConfiguration(sockets: rig.legA, remote: rig.peerA.address)
            a.transcode = bad
            let b = MediaLegConfiguration(sockets: rig.legB, remote: rig.peerB.address)
            #expect(throws: MediaEngineError.self) { _ = try rig.engine.createSession(a: a, b: b) }
        }
    }
}
