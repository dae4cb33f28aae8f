// MediaEngineTests: the realtime relay end to end over loopback: plain and SRTP legs, latching, payload types, RTCP, events, teardown.
import Testing
import Glibc
import CShim
import MediaCore
@testable import Media

// Serialized: the descriptor-count and allocation tests must not see other tests' sockets or threads.
@Suite(.serialized) struct MediaEngineTests {
    /// A running engine with one session between `peerA` (leg a) and `peerB` (leg b).
    struct Rig {
        let engine: MediaEngine
        let peerA = UDPPeer()
        let peerB = UDPPeer()
        let legA: MediaSocketPair
        let legB: MediaSocketPair
        var id: MediaSessionID!

        init(configuration: MediaEngineConfiguration = testConfiguration(), muxA: Bool = true, muxB: Bool = true) throws {
            engine = try MediaEngine(configuration: configuration)
            try engine.start()
            legA = try MediaSocketPair.open(local: loopback, rtcpMux: muxA)
            legB = try MediaSocketPair.open(local: loopback, rtcpMux: muxB)
        }

        mutating func create(_ configure: (inout MediaLegConfiguration, inout MediaLegConfiguration) -> Void = { _, _ in }) throws {
            var a = MediaLegConfiguration(sockets: legA, remote: peerA.address)
            var b = MediaLegConfiguration(sockets: legB, remote: peerB.address)
            configure(&a, &b)
            id = try engine.createSession(a: a, b: b)
            let created = engine.collectEvents { if case .sessionCreated = $0 { return true }; return false }
            precondition(created.contains { if case .sessionCreated = $0 { return true }; return false }, "no sessionCreated")
        }
    }

    @Test func relaysPlainToPlainBothWays() throws {
        var rig = try Rig()
        try rig.create()
        for i in 0..<20 {
            let p = Packets.rtp(seq: UInt16(i), payload: Packets.payload(i))
            rig.peerA.send(p, to: rig.legA.local)
            let got = try #require(rig.peerB.receive())
            #expect(got.bytes == p)
            #expect(got.from == rig.legB.local, "relayed from leg b's own socket")
            let q = Packets.rtp(seq: UInt16(100 + i), ssrc: 0xABCD, payload: Packets.payload(i, tag: 0x5A))
            rig.peerB.send(q, to: rig.legB.local)
            let back = try #require(rig.peerA.receive())
            #expect(back.bytes == q)
        }
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let final = events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first
        let stats = try #require(final)
        #expect(stats.a.packetsReceived == 20)
        #expect(stats.b.packetsReceived == 20)
        #expect(stats.a.packetsSent == 20)
        #expect(stats.b.packetsSent == 20)
        #expect(stats.a.bytesReceived == 20 * 172)
        #expect(stats.a.packetsLost == 0)
    }

    @Test(arguments: [SRTPSuite.aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32, .aeadAES128GCM, .aeadAES256GCM])
    func relaysPlainToSRTPBothWays(suite: SRTPSuite) throws {
        var rig = try Rig()
        let keys = try SRTPLegKeys(suite: suite)
        try rig.create { _, b in
            b.srtpReceive = keys.engineReceive
            b.srtpSend = keys.engineSend
        }
        for i in 0..<10 {
            let p = Packets.rtp(seq: UInt16(i), payload: Packets.payload(i))
            rig.peerA.send(p, to: rig.legA.local)
            let got = try #require(rig.peerB.receive())
            #expect(got.bytes.count == p.count + suite.rtpOverhead, "the trunk leg carries SRTP")
            #expect(Array(got.bytes[12..<p.count]) != Array(p[12...]), "no plaintext payload on the SRTP leg")
            #expect(Packets.unprotect(keys.peerReceive, got.bytes) == p)
            let q = Packets.rtp(seq: UInt16(500 + i), ssrc: 0x99, payload: Packets.payload(i, tag: 3))
            rig.peerB.send(Packets.protect(keys.peerSend, q), to: rig.legB.local)
            let back = try #require(rig.peerA.receive())
            #expect(back.bytes == q, "the PBX leg gets the original payload")
        }
        // A tampered SRTP packet is dropped and counted, a replayed one too.
        var bad = Packets.protect(keys.peerSend, Packets.rtp(seq: 600, ssrc: 0x99, payload: Packets.payload(1)))
        let replay = Packets.protect(keys.peerSend, Packets.rtp(seq: 601, ssrc: 0x99, payload: Packets.payload(2)))
        bad[30] ^= 1
        rig.peerB.send(bad, to: rig.legB.local)
        rig.peerB.send(replay, to: rig.legB.local)
        #expect(rig.peerA.receive()?.bytes == Packets.rtp(seq: 601, ssrc: 0x99, payload: Packets.payload(2)))
        rig.peerB.send(replay, to: rig.legB.local)
        #expect(rig.peerA.receive(timeoutMilliseconds: 200) == nil)
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        #expect(stats.b.srtpFailures == 2)
        #expect(stats.b.packetsReceived == 11)
    }

    @Test func srtpBothLegsWithDifferentKeys() throws {
        var rig = try Rig()
        let ka = try SRTPLegKeys(suite: .aesCM128HmacSHA1_80)
        let kb = try SRTPLegKeys(suite: .aeadAES128GCM)
        try rig.create { a, b in
            a.srtpReceive = ka.engineReceive; a.srtpSend = ka.engineSend
            b.srtpReceive = kb.engineReceive; b.srtpSend = kb.engineSend
        }
        let p = Packets.rtp(seq: 7, payload: Packets.payload(7))
        rig.peerA.send(Packets.protect(ka.peerSend, p), to: rig.legA.local)
        let got = try #require(rig.peerB.receive())
        #expect(Packets.unprotect(kb.peerReceive, got.bytes) == p)
        // RTCP crosses too, re-protected with the other leg's key.
        let r = Packets.rtcp()
        rig.peerA.send(Packets.protect(ka.peerSend, r, rtcp: true), to: rig.legA.local)
        let rtcp = try #require(rig.peerB.receive())
        #expect(Packets.unprotect(kb.peerReceive, rtcp.bytes, rtcp: true) == r)
    }

    @Test func latchesToTheRealSourceAndMovesAfterSilence() throws {
        var configuration = testConfiguration()
        configuration.relatchAfterMilliseconds = 400
        var rig = try Rig(configuration: configuration)
        let signalled = UDPPeer()          // what SDP said; the phone is really behind NAT at peerA
        try rig.create { a, _ in a.remote = signalled.address }
        // Before any packet from leg a, leg b's media goes to the signalled address.
        rig.peerB.send(Packets.rtp(seq: 1, payload: Packets.payload(1)), to: rig.legB.local)
        #expect(signalled.receive()?.bytes == Packets.rtp(seq: 1, payload: Packets.payload(1)))
        rig.peerA.send(Packets.rtp(seq: 1, payload: Packets.payload(1)), to: rig.legA.local)
        _ = rig.peerB.receive()
        let latched = rig.engine.collectEvents { if case .latched(_, .a, _, false) = $0 { return true }; return false }
        #expect(latched.contains { if case .latched(_, .a, let addr, false) = $0 { return addr == rig.peerA.address }; return false })
        rig.peerB.send(Packets.rtp(seq: 2, payload: Packets.payload(2)), to: rig.legB.local)
        #expect(rig.peerA.receive()?.bytes == Packets.rtp(seq: 2, payload: Packets.payload(2)), "sent to the latched source")
        #expect(signalled.receive(timeoutMilliseconds: 100) == nil)
        // Another source while the latched one is active is dropped.
        let moved = UDPPeer()
        moved.send(Packets.rtp(seq: 3, payload: Packets.payload(3)), to: rig.legA.local)
        #expect(rig.peerB.receive(timeoutMilliseconds: 50) == nil)
        // After the latched source has been silent for the relatch time, the new source takes over.
        usleep(450_000)
        moved.send(Packets.rtp(seq: 4, payload: Packets.payload(4)), to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes == Packets.rtp(seq: 4, payload: Packets.payload(4)))
        let relatched = rig.engine.collectEvents { if case .latched(_, .a, let addr, false) = $0 { return addr == moved.address }; return false }
        #expect(relatched.contains { if case .latched(_, .a, let addr, false) = $0 { return addr == moved.address }; return false })
        rig.peerB.send(Packets.rtp(seq: 5, payload: Packets.payload(5)), to: rig.legB.local)
        #expect(moved.receive()?.bytes == Packets.rtp(seq: 5, payload: Packets.payload(5)))
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        #expect(stats.a.foreignDropped == 1)
        #expect(stats.a.latchedAddress == moved.address)
    }

    @Test func mapsPayloadTypesAndDropsUnmapped() throws {
        var rig = try Rig()
        try rig.create { a, _ in
            var map = PayloadTypeMap()
            map[0] = 8
            map[101] = 96
            a.payloadTypeMap = map
        }
        rig.peerA.send(Packets.rtp(pt: 0, seq: 1, marker: true, payload: Packets.payload(1)), to: rig.legA.local)
        let got = try #require(rig.peerB.receive())
        #expect(got.bytes[1] == 0x80 | 8, "PT 0 → 8, marker kept")
        #expect(Array(got.bytes[2...]) == Array(Packets.rtp(pt: 0, seq: 1, payload: Packets.payload(1))[2...]))
        rig.peerA.send(Packets.rtp(pt: 18, seq: 2, payload: Packets.payload(2)), to: rig.legA.local)
        #expect(rig.peerB.receive(timeoutMilliseconds: 100) == nil, "unmapped PT 18 is dropped")
        rig.peerA.send(Packets.rtp(pt: 101, seq: 3, payload: [1, 0x0A, 0, 160]), to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes[1] == 96)
    }

    @Test func rtcpMuxLegToSeparateRTCPPortAndBack() throws {
        var rig = try Rig(muxA: true, muxB: false)
        let peerBRTCP = UDPPeer()
        try rig.create { _, b in b.remoteRTCP = peerBRTCP.address }
        #expect(rig.legB.rtcp >= 0)
        // RTCP on leg a's single port (RFC 5761) goes to b's RTCP port; RTP still to b's RTP port.
        rig.peerA.send(Packets.rtcp(ssrc: 1), to: rig.legA.local)
        let rtcp = try #require(peerBRTCP.receive())
        #expect(rtcp.bytes == Packets.rtcp(ssrc: 1))
        #expect(rtcp.from == rig.legB.local.with(port: rig.legB.local.port + 1), "from b's RTCP socket (RTP port + 1)")
        rig.peerA.send(Packets.rtp(seq: 9, payload: Packets.payload(9)), to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes == Packets.rtp(seq: 9, payload: Packets.payload(9)))
        #expect(peerBRTCP.receive(timeoutMilliseconds: 50) == nil)
        // RTCP into b's RTCP port comes out of a's multiplexed port.
        peerBRTCP.send(Packets.rtcp(ssrc: 2), to: rig.legB.local.with(port: rig.legB.local.port + 1))
        let back = try #require(rig.peerA.receive())
        #expect(back.bytes == Packets.rtcp(ssrc: 2))
        #expect(back.from == rig.legA.local)
    }

    @Test func reportsRTPTimeout() throws {
        var configuration = testConfiguration()
        configuration.rtpTimeoutMilliseconds = 100
        var rig = try Rig(configuration: configuration)
        try rig.create()
        let start = tb_monotonic_ns()
        let events = rig.engine.collectEvents(timeoutMilliseconds: 2000) { if case .rtpTimeout = $0 { return true }; return false }
        let elapsed = (tb_monotonic_ns() - start) / 1_000_000
        #expect(events.contains { if case .rtpTimeout(let id) = $0 { return id == rig.id }; return false })
        #expect(elapsed >= 80, "not before the time-out")
    }

    @Test func reportsOneWayAudio() throws {
        var configuration = testConfiguration()
        configuration.oneWayAudioMilliseconds = 150
        var rig = try Rig(configuration: configuration)
        try rig.create()
        var events: [MediaEvent] = []
        for i in 0..<25 {
            rig.peerA.send(Packets.rtp(seq: UInt16(i), payload: Packets.payload(i)), to: rig.legA.local)
            _ = rig.peerB.receive(timeoutMilliseconds: 100)
            usleep(20_000)
            rig.engine.pollEvents { events.append($0) }
        }
        let oneWay = events.compactMap { e -> MediaLeg? in if case .oneWayAudio(_, let leg) = e { return leg }; return nil }
        #expect(oneWay == [.b], "leg b is silent while a talks, reported once")
    }

    @Test func reportsDTMFOncePerKeyPressAndRelaysIt() throws {
        var rig = try Rig()
        try rig.create { a, _ in a.telephoneEventPayloadType = 101 }
        // RFC 4733 digit 5: start, update, three end packets, all with the event's timestamp.
        let durations: [(UInt16, Bool)] = [(160, false), (320, false), (480, true), (480, true), (480, true)]
        for (i, (d, end)) in durations.enumerated() {
            var p = Packets.rtp(pt: 101, seq: UInt16(40 + i), marker: i == 0, payload: [5, (end ? 0x80 : 0) | 10, UInt8(d >> 8), UInt8(d & 0xFF)])
            p[4] = 0; p[5] = 0; p[6] = 0x10; p[7] = 0   // same timestamp for every packet of the event
            rig.peerA.send(p, to: rig.legA.local)
            #expect(rig.peerB.receive()?.bytes == p, "relayed unchanged")
        }
        let events = rig.engine.collectEvents(timeoutMilliseconds: 300) { _ in false }
        let dtmf = events.compactMap { e -> (UInt8, Int, Bool)? in
            if case .dtmf(_, .a, let ev, let ms, let ended) = e { return (ev, ms, ended) }
            return nil
        }
        #expect(dtmf.count == 1)
        #expect(dtmf.first?.0 == 5)
        #expect(dtmf.first?.1 == 60)
        #expect(dtmf.first?.2 == true)
        // A press whose end packets are lost is reported when the next one starts (not ended).
        for (i, ts) in [(UInt8(0x20), UInt16(50)), (0x30, 51)].enumerated() {
            var p = Packets.rtp(pt: 101, seq: ts.1, payload: [UInt8(7 + i), 10, 0, 160])
            p[6] = ts.0
            rig.peerA.send(p, to: rig.legA.local)
            _ = rig.peerB.receive()
        }
        let more = rig.engine.collectEvents(timeoutMilliseconds: 300) { _ in false }
        let lost = more.compactMap { e -> (UInt8, Bool)? in if case .dtmf(_, .a, let ev, _, let ended) = e { return (ev, ended) }; return nil }
        #expect(lost.count == 1)
        #expect(lost.first?.0 == 7)
        #expect(lost.first?.1 == false)
        // The second one (8) has no end either: destroying the session reports it.
        try rig.engine.destroySession(rig.id)
        let last = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        #expect(last.contains { if case .dtmf(_, .a, 8, _, false) = $0 { return true }; return false })
        let stats = try #require(last.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        #expect(stats.a.packetsReceived == 7)
    }

    @Test func destroyReturnsFinalStatsAndClosesSockets() throws {
        let engine = try MediaEngine(configuration: testConfiguration())
        try engine.start()
        let peerA = UDPPeer()
        let peerB = UDPPeer()
        let before = openDescriptorCount()
        let legA = try MediaSocketPair.open(local: loopback, rtcpMux: false)
        let legB = try MediaSocketPair.open(local: loopback, rtcpMux: false)
        #expect(openDescriptorCount() == before + 4)
        let id = try engine.createSession(a: MediaLegConfiguration(sockets: legA, remote: peerA.address),
                                          b: MediaLegConfiguration(sockets: legB, remote: peerB.address))
        for i in 0..<5 {
            peerA.send(Packets.rtp(seq: UInt16(i), payload: Packets.payload(i)), to: legA.local)
            #expect(peerB.receive() != nil)
        }
        try engine.destroySession(id)
        #expect(throws: MediaEngineError.unknownSession(id)) { try engine.destroySession(id) }
        let events = engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(let i, let s) = e, i == id { return s }; return nil }.first)
        #expect(stats.a.packetsReceived == 5)
        #expect(stats.b.packetsSent == 5)
        #expect(openDescriptorCount() == before, "all four sockets closed")
        #expect(engine.status.sessions == 0)
        // The slot is reused under a new generation; the old handle stays dead.
        let again = try engine.createSession(a: MediaLegConfiguration(sockets: try MediaSocketPair.open(local: loopback, rtcpMux: true), remote: nil),
                                             b: MediaLegConfiguration(sockets: try MediaSocketPair.open(local: loopback, rtcpMux: true), remote: nil))
        #expect(again.slot == id.slot)
        #expect(again.generation != id.generation)
        engine.stop()
        #expect(openDescriptorCount() == before, "stop closes the sockets of live sessions")
    }

    @Test func fullCommandQueueRefusesWithoutBlocking() throws {
        var configuration = testConfiguration()
        configuration.commandQueueCapacity = 2
        let engine = try MediaEngine(configuration: configuration)   // not started: nothing drains the queue
        let before = openDescriptorCount()
        var ids: [MediaSessionID] = []
        for _ in 0..<2 {
            ids.append(try engine.createSession(a: MediaLegConfiguration(sockets: try .open(local: loopback, rtcpMux: true), remote: nil),
                                                b: MediaLegConfiguration(sockets: try .open(local: loopback, rtcpMux: true), remote: nil)))
        }
        let a = try MediaSocketPair.open(local: loopback, rtcpMux: true)
        let b = try MediaSocketPair.open(local: loopback, rtcpMux: true)
        let start = tb_monotonic_ns()
        #expect(throws: MediaEngineError.commandQueueFull) {
            _ = try engine.createSession(a: MediaLegConfiguration(sockets: a, remote: nil), b: MediaLegConfiguration(sockets: b, remote: nil))
        }
        #expect(throws: MediaEngineError.commandQueueFull) { try engine.destroySession(ids[0]) }
        #expect(tb_monotonic_ns() - start < 50_000_000, "refused at once")
        #expect(fcntl(a.rtp, F_GETFD) >= 0, "the caller still owns the refused sockets")
        a.close()
        b.close()
        // Once the thread runs it drains the queue and the sessions come up.
        try engine.start()
        let created = engine.collectEvents(timeoutMilliseconds: 300) { _ in false }.filter { if case .sessionCreated = $0 { return true }; return false }
        #expect(created.count == 2)
        engine.stop()
        #expect(openDescriptorCount() == before)
    }

    @Test func stoppedEngineDoesNotRestart() throws {
        let engine = try MediaEngine(configuration: testConfiguration())
        try engine.start()
        #expect(throws: MediaEngineError.self) { try engine.start() }
        engine.stop()
        #expect(throws: MediaEngineError.self) { try engine.start() }
    }

    @Test func statusReportsSchedulingOutcome() throws {
        var configuration = testConfiguration()
        configuration.realtimePriority = 5
        let engine = try MediaEngine(configuration: configuration)
        #expect(engine.status.running == false)
        try engine.start()
        let status = engine.status
        #expect(status.running)
        // As root SCHED_FIFO is granted; elsewhere the engine runs anyway and says why.
        #expect(status.realtime || status.warnings.contains { $0.contains("normal priority") })
        #expect(!status.memoryLocked)
        engine.stop()
        #expect(engine.status.running == false)
    }

    @Test func refusesBadConfiguration() {
        var c = testConfiguration()
        c.batchSize = 0
        #expect(throws: MediaEngineError.self) { try MediaEngine(configuration: c) }
        c = testConfiguration()
        c.realtimePriority = 100
        #expect(throws: MediaEngineError.self) { try MediaEngine(configuration: c) }
    }
}
