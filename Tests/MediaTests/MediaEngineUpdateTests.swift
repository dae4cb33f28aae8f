// MediaEngineUpdateTests: re-INVITE updates (new far end, new SRTP keys) and stream re-origination across a source change.
import Testing
import Glibc
import MediaCore
@testable import Media

extension MediaEngineTests {
    @Test func updateMovesTheFarEndAndRekeys() throws {
        var rig = try Rig()
        try rig.create()
        let p = Packets.rtp(seq: 1, payload: Packets.payload(1))
        rig.peerA.send(p, to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes == p)
        // The trunk side moves to another address and switches to SRTP.
        let newPeer = UDPPeer()
        let keys = try SRTPLegKeys(suite: .aesCM128HmacSHA1_32)
        var b = MediaLegConfiguration(sockets: rig.legB, remote: newPeer.address)
        b.srtpReceive = keys.engineReceive
        b.srtpSend = keys.engineSend
        try rig.engine.updateLeg(rig.id, leg: .b, b)
        let events = rig.engine.collectEvents { if case .legUpdated = $0 { return true }; return false }
        #expect(events.contains { if case .legUpdated(let id, .b) = $0 { return id == rig.id }; return false })
        let q = Packets.rtp(seq: 2, payload: Packets.payload(2))
        rig.peerA.send(q, to: rig.legA.local)
        let got = try #require(newPeer.receive())
        #expect(Packets.unprotect(keys.peerReceive, got.bytes) == q)
        #expect(rig.peerB.receive(timeoutMilliseconds: 100) == nil, "nothing to the old far end")
        let r = Packets.rtp(seq: 3, ssrc: 0x77, payload: Packets.payload(3))
        newPeer.send(Packets.protect(keys.peerSend, r), to: rig.legB.local)
        #expect(rig.peerA.receive()?.bytes == r)
        // A stale handle is refused on the control side.
        #expect(throws: MediaEngineError.self) {
            try rig.engine.updateLeg(MediaSessionID(slot: rig.id.slot, generation: rig.id.generation &+ 5), leg: .a,
                                     MediaLegConfiguration(sockets: rig.legA, remote: nil))
        }
    }

    @Test func rewriterKeepsOneContinuousStreamAcrossASourceChange() throws {
        var rig = try Rig()
        try rig.create { _, b in
            b.rewriter = RTPStreamRewriter(outgoingSSRC: 0x5555_0001, initialSequence: 1000, initialTimestamp: 50_000)
        }
        var seen: [RTPHeader] = []
        for (seq, ssrc) in [(UInt16(10), UInt32(0xAAAA)), (11, 0xAAAA), (500, 0xBBBB), (501, 0xBBBB)] {
            rig.peerA.send(Packets.rtp(seq: seq, ssrc: ssrc, payload: Packets.payload(Int(seq))), to: rig.legA.local)
            let got = try #require(rig.peerB.receive())
            let h = try #require(got.bytes.withUnsafeBytes { RTPHeader.parse($0) })
            #expect(Array(got.bytes[12...]) == Packets.payload(Int(seq)), "payload untouched")
            seen.append(h)
        }
        #expect(seen.map(\.ssrc) == Array(repeating: 0x5555_0001, count: 4))
        #expect(seen.map(\.sequence) == [1000, 1001, 1002, 1003])
        #expect(seen[1].timestamp == 50_160)
        #expect(seen[2].marker, "a new source starts a talkspurt")
        #expect(seen[3].timestamp &- seen[2].timestamp == 160)
    }
}

extension MediaEngineTests {
    @Test func fullEventQueueDropsReportsButNeverLosesTheFinalStats() throws {
        var configuration = testConfiguration()
        configuration.eventQueueCapacity = 16
        var rig = try Rig(configuration: configuration)
        try rig.create { a, _ in a.telephoneEventPayloadType = 101 }
        // 40 key presses with nobody draining the events: the queue fills, the relay goes on.
        for k in 0..<40 {
            var p = Packets.rtp(pt: 101, seq: UInt16(k), payload: [UInt8(k % 10), 0x80 | 10, 0, 160])
            p[4] = UInt8(k)          // each press has its own timestamp
            rig.peerA.send(p, to: rig.legA.local)
            #expect(rig.peerB.receive()?.bytes == p)
        }
        #expect(rig.engine.status.eventsDropped > 0)
        #expect(rig.engine.status.warnings.contains { $0.contains("event queue full") })
        try rig.engine.destroySession(rig.id)
        usleep(50_000)               // the destroy happens while the queue is still full
        var dtmf = 0
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        for e in events { if case .dtmf = e { dtmf += 1 } }
        #expect(dtmf >= 10 && dtmf < 40)
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        #expect(stats.a.packetsReceived == 40)
    }
}

extension MediaEngineTests {
    @Test func sendsDTMFInsideTheOutgoingStream() throws {
        var rig = try Rig()
        let keys = try SRTPLegKeys(suite: .aesCM128HmacSHA1_80)
        try rig.create { _, b in
            b.rewriter = RTPStreamRewriter(outgoingSSRC: 0x0B0B_0B0B, initialSequence: 2000, initialTimestamp: 80_000)
            b.srtpSend = keys.engineSend
            b.srtpReceive = keys.engineReceive
        }
        func next() throws -> (RTPHeader, [UInt8]) {
            let got = try #require(rig.peerB.receive())
            let plain = try #require(Packets.unprotect(keys.peerReceive, got.bytes))
            return (try #require(plain.withUnsafeBytes { RTPHeader.parse($0) }), Array(plain[12...]))
        }
        // Nothing went out of leg b yet: there is no stream to send the event in.
        try rig.engine.sendDTMF(rig.id, leg: .b, event: 1)
        let refused = rig.engine.collectEvents { if case .commandFailed = $0 { return true }; return false }
        #expect(refused.contains { if case .commandFailed(_, .noOutgoingStream) = $0 { return true }; return false })
        for i in 0..<3 {
            rig.peerA.send(Packets.rtp(seq: UInt16(i), payload: Packets.payload(i)), to: rig.legA.local)
            _ = try next()
        }
        try rig.engine.sendDTMF(rig.id, leg: .b, event: 9, durationMilliseconds: 120, payloadType: 101)
        var packets: [(RTPHeader, [UInt8])] = []
        var audioSeq: UInt16 = 3
        while packets.count < 20 {
            // The PBX keeps talking; its audio is held back while the event plays.
            rig.peerA.send(Packets.rtp(seq: audioSeq, payload: Packets.payload(Int(audioSeq))), to: rig.legA.local)
            audioSeq += 1
            let p = try next()
            #expect(p.0.payloadType == 101)
            packets.append(p)
            if packets.filter({ $0.1[1] & 0x80 != 0 }).count == 3 { break }
        }
        #expect(packets.allSatisfy { $0.0.payloadType == 101 && $0.0.ssrc == 0x0B0B_0B0B && $0.1[0] == 9 })
        #expect(packets.map(\.0.sequence) == (0..<packets.count).map { UInt16(2003 + $0) }, "continues the stream's sequence")
        #expect(Set(packets.map(\.0.timestamp)).count == 1, "one timestamp for the whole event")
        #expect(packets[0].0.marker)
        let ends = packets.filter { $0.1[1] & 0x80 != 0 }
        #expect(ends.count == 3)
        #expect(ends.allSatisfy { Int($0.1[2]) << 8 | Int($0.1[3]) == 960 }, "120 ms at 8 kHz")
        let sent = rig.engine.collectEvents { if case .dtmfSent = $0 { return true }; return false }
        #expect(sent.contains { if case .dtmfSent(_, .b, 9) = $0 { return true }; return false })
        // Audio resumes right after the event: next sequence number, a later timestamp.
        while rig.peerB.receive(timeoutMilliseconds: 50) != nil {}
        rig.peerA.send(Packets.rtp(seq: audioSeq, payload: Packets.payload(Int(audioSeq))), to: rig.legA.local)
        let resumed = try next()
        #expect(resumed.0.payloadType == 0)
        #expect(resumed.0.sequence == UInt16(2003 + packets.count))
        #expect(resumed.0.timestamp &- packets[0].0.timestamp >= 160)
        #expect(resumed.1 == Packets.payload(Int(audioSeq)))
    }
}
