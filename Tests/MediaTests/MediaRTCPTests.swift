// MediaRTCPTests: RTCP over loopback: a relayed session measures each leg's round trip from the SRs and RRs crossing it (SRTCP included); a transcoding session sends its own SR/RR and consumes the peers' (RFC 3550 §6.4, RFC 3711 §3.4).
import Testing
import Glibc
import CShim
import MediaCore
@testable import Media

extension Packets {
    /// A compound SR (or RR with `ntp` nil) with SDES CNAME "peer" from `ssrc`.
    static func report(ssrc: UInt32, ntp: NTPTimestamp? = nil, blocks: [RTCPReportBlock] = []) -> [UInt8] {
        let info = ntp.map { RTCPSenderInfo(ntpTimestamp: $0, rtpTimestamp: 1234, packetCount: 10, octetCount: 1600) }
        var report = RTCPCompoundReport(ssrc: ssrc, cname: RTCPCName("peer")!, senderInfo: info)
        for b in blocks { report.appendReportBlock(b) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { report.write(into: $0) }
        return Array(buffer.prefix(n))
    }

    /// Whether a datagram on a multiplexed port is RTCP (RFC 5761 §4: second octet 192...223).
    static func isRTCP(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && (192...223).contains(bytes[1]) }
}

extension UDPPeer {
    /// The next RTP datagram; RTCP arriving before it (the box's own reports) is skipped and returned
    /// through `rtcp`.
    func receiveRTP(timeoutMilliseconds: Int32 = 1000, rtcp: (([UInt8]) -> Void)? = nil) -> (bytes: [UInt8], from: MediaAddress)? {
        while let got = receive(timeoutMilliseconds: timeoutMilliseconds) {
            if Packets.isRTCP(got.bytes) { rtcp?(got.bytes); continue }
            return got
        }
        return nil
    }
}

extension MediaEngineTests {
    static func sessionStats(_ rig: MediaEngineTests.Rig) throws -> MediaSessionStats {
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        return try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
    }

    // Peer b holds its RR 200 ms after the SR from a reached it but says it held it 80 ms (DLSR): to the
    // box the other 120 ms are b's round trip. Leg b is SRTP: the SR reaches b as SRTCP and b's RR
    // is SRTCP, read between unprotect and the re-protect toward a.
    @Test func aRelayedSessionMeasuresTheRoundTripOfTheLegAnSRWentTo() throws {
        var rig = try Rig()
        let keys = try SRTPLegKeys(suite: .aesCM128HmacSHA1_80)
        try rig.create { _, b in
            b.srtpReceive = keys.engineReceive
            b.srtpSend = keys.engineSend
        }
        // Audio both ways first (latching; the stream b receives is a's SSRC 0xA).
        for i in 0..<5 {
            rig.peerA.send(Packets.rtp(seq: UInt16(i), ssrc: 0xA, payload: Packets.payload(i)), to: rig.legA.local)
            _ = try #require(rig.peerB.receive())
            rig.peerB.send(Packets.protect(keys.peerSend, Packets.rtp(seq: UInt16(i), ssrc: 0xB, payload: Packets.payload(i))), to: rig.legB.local)
            _ = try #require(rig.peerA.receive())
        }
        for round in 0..<3 {
            // a's SR crosses the box toward b.
            let ntp = NTPTimestamp(seconds: 0xE8F0_0000 + UInt32(round), fraction: 0x4000_0000)
            let sr = Packets.report(ssrc: 0xA, ntp: ntp)
            rig.peerA.send(sr, to: rig.legA.local)
            let atB = try #require(rig.peerB.receive())
            #expect(Packets.unprotect(keys.peerReceive, atB.bytes, rtcp: true) == sr, "relayed, not consumed")
            usleep(200_000)
            // b reports on a's stream: LSR of that SR, DLSR 80 ms, and what it receives: 10 % lost, jitter 80.
            let block = RTCPReportBlock(ssrc: 0xA, fractionLost: 25, cumulativeLost: 3, extendedHighestSequence: 4, jitter: 80,
                                        lastSR: ntp.compact, delaySinceLastSR: UInt32(65536 * 80 / 1000))
            let rr = Packets.report(ssrc: 0xB, blocks: [block])
            rig.peerB.send(Packets.protect(keys.peerSend, rr, rtcp: true), to: rig.legB.local)
            let atA = try #require(rig.peerA.receive())
            #expect(atA.bytes == rr, "the RR reaches a in clear, unchanged")
        }
        let stats = try Self.sessionStats(rig)
        let rtt = try #require(stats.b.roundTripMilliseconds)
        let mean = try #require(stats.b.roundTripMeanMilliseconds)
        #expect(stats.b.roundTripSamples == 3)
        #expect(rtt >= 115 && rtt < 170, "200 ms held − 80 ms DLSR ≈ 120 ms, measured \(rtt)")
        #expect(mean >= 115 && mean < 170, "mean \(mean)")
        // a sent no RR on b's SRs: no round trip on a.
        #expect(stats.a.roundTripMilliseconds == nil && stats.a.roundTripSamples == 0)
        // What b says it receives from the box.
        let peer = try #require(stats.b.peerReport)
        #expect(peer.fractionLost == 25 && peer.cumulativeLost == 3 && peer.jitter == 80 && peer.jitterMilliseconds == 10)
        #expect(stats.b.rtcpReceived == 3 && stats.a.rtcpReceived == 3 && stats.b.srtpFailures == 0)
    }

    // A transcoding session terminates RTCP: the box sends each leg its own SR (it relays the other
    // leg's audio there) with a report block on what it receives, SRTCP on the SRTP leg; the peers'
    // RRs are consumed and give the round trip.
    @Test func aTranscodingSessionSendsItsOwnReportsAndConsumesThePeers() throws {
        var configuration = testConfiguration()
        configuration.rtcpMinimumIntervalMilliseconds = 300
        configuration.rtcpCName = "box@test"
        var rig = try Rig(configuration: configuration)
        let keys = try SRTPLegKeys(suite: .aesCM128HmacSHA1_80)
        try rig.create { a, b in
            a.transcode = MediaTranscode(incoming: .pcmu, incomingPayloadType: 0, outgoing: .g729, outgoingPayloadType: 18)
            b.transcode = MediaTranscode(incoming: .g729, incomingPayloadType: 18, outgoing: .pcmu, outgoingPayloadType: 0)
            b.srtpReceive = keys.engineReceive
            b.srtpSend = keys.engineSend
        }
        let ulaw = (0..<50).map { Tone.ulaw(Tone.samples(160, start: 160 * $0)) }
        let g729 = Tone.g729Packets(50)
        var reportsAtA: [[RTCPPacket]] = []
        var reportsAtB: [[RTCPPacket]] = []
        var arrivalsAtB: [UInt64] = []
        var undecodable = 0
        func collectA(_ bytes: [UInt8]) {
            if let p = try? RTCPCompound.parse(bytes) { reportsAtA.append(p) } else { undecodable += 1 }
        }
        func collectB(_ bytes: [UInt8]) {
            guard let plain = Packets.unprotect(keys.peerReceive, bytes, rtcp: true), let p = try? RTCPCompound.parse(plain) else {
                undecodable += 1
                return
            }
            reportsAtB.append(p)
            arrivalsAtB.append(tb_monotonic_ns())
        }
        // A second of audio each way, 20 ms apart (100 packets in 50 pairs).
        for k in 0..<50 {
            rig.peerA.send(Packets.rtp(pt: 0, seq: UInt16(k), ssrc: 0xA, payload: ulaw[k]), to: rig.legA.local)
            rig.peerB.send(Packets.protect(keys.peerSend, Packets.rtp(pt: 18, seq: UInt16(k), ssrc: 0xB, payload: g729[k])), to: rig.legB.local)
            _ = rig.peerB.receiveRTP(rtcp: collectB)
            _ = rig.peerA.receiveRTP(rtcp: collectA)
            usleep(20_000)
        }
        // The first report after the audio is an SR with all of it counted.
        reportsAtA.removeAll()
        reportsAtB.removeAll()
        arrivalsAtB.removeAll()
        // The box's SR toward b: its SSRC is the stream it sends b (a's, transcoded), its block is on b's stream.
        func senderReportIndex(_ reports: [[RTCPPacket]], block: UInt32) -> Int? {
            for (i, compound) in reports.enumerated().reversed() {
                if case .senderReport(let sr) = compound.first, sr.reportBlocks.first?.ssrc == block { return i }
            }
            return nil
        }
        func senderReport(_ reports: [[RTCPPacket]], block: UInt32) -> RTCPSenderReport? {
            guard let i = senderReportIndex(reports, block: block), case .senderReport(let sr) = reports[i].first else { return nil }
            return sr
        }
        let deadline = tb_monotonic_ns() + 3_000_000_000
        while (senderReport(reportsAtB, block: 0xB) == nil || senderReport(reportsAtA, block: 0xA) == nil) && tb_monotonic_ns() < deadline {
            if let got = rig.peerB.receive(timeoutMilliseconds: 20), Packets.isRTCP(got.bytes) { collectB(got.bytes) }
            if let got = rig.peerA.receive(timeoutMilliseconds: 20), Packets.isRTCP(got.bytes) { collectA(got.bytes) }
        }
        #expect(undecodable == 0)
        let toB = try #require(senderReport(reportsAtB, block: 0xB), "no SR with a block on b's stream at b: \(reportsAtB)")
        let toA = try #require(senderReport(reportsAtA, block: 0xA), "no SR with a block on a's stream at a: \(reportsAtA)")
        #expect(toB.ssrc == 0xA && toA.ssrc == 0xB, "the SSRCs of the streams the box sends each leg")
        #expect(toB.senderInfo.packetCount == 50 && toB.senderInfo.octetCount == 50 * 20, "50 G.729 packets of 20 octets toward b")
        #expect(toA.senderInfo.packetCount == 50 && toA.senderInfo.octetCount == 50 * 160, "50 PCMU packets of 160 octets toward a")
        let blockB = try #require(toB.reportBlocks.first)
        #expect(blockB.extendedHighestSequence == 49 && blockB.cumulativeLost == 0 && blockB.lastSR == 0, "no SR from b yet")
        // Every compound carries the CNAME.
        for compound in reportsAtA + reportsAtB {
            guard compound.count >= 2, case .sourceDescription(let sdes) = compound[1] else { Issue.record("no SDES: \(compound)"); continue }
            #expect(sdes.chunks.first.flatMap { sdes.cname(of: $0.ssrc) } == "box@test")
        }
        // b answers the box's SR with an SR of its own whose block's DLSR leaves out 100 ms of the time it
        // held the box's SR: to the box, 100 ms of round trip. Neither reaches a.
        let rtcpAtABefore = reportsAtA.count
        let receivedAtB = arrivalsAtB[try #require(senderReportIndex(reportsAtB, block: 0xB))]
        usleep(150_000)
        let held = tb_monotonic_ns() - receivedAtB - 100_000_000
        let rr = Packets.report(ssrc: 0xB, ntp: NTPTimestamp(seconds: 0xE8F0_5555, fraction: 0),
                                blocks: [RTCPReportBlock(ssrc: 0xA, fractionLost: 3, cumulativeLost: 1, extendedHighestSequence: 49, jitter: 16,
                                                         lastSR: toB.senderInfo.ntpTimestamp.compact,
                                                         delaySinceLastSR: UInt32((held << 16) / 1_000_000_000))])
        rig.peerB.send(Packets.protect(keys.peerSend, rr, rtcp: true), to: rig.legB.local)
        // The box's next report to b carries LSR of b's SR.
        var lsrSeen = false
        let until = tb_monotonic_ns() + 2_000_000_000
        while !lsrSeen && tb_monotonic_ns() < until {
            if let got = rig.peerB.receive(timeoutMilliseconds: 20), Packets.isRTCP(got.bytes) {
                collectB(got.bytes)
                if case .receiverReport(let r)? = reportsAtB.last?.first, r.reportBlocks.first?.lastSR == 0x5555_0000 { lsrSeen = true }
                if case .senderReport(let r)? = reportsAtB.last?.first, r.reportBlocks.first?.lastSR == 0x5555_0000 { lsrSeen = true }
            }
            while let got = rig.peerA.receive(timeoutMilliseconds: 0) {
                if Packets.isRTCP(got.bytes) { collectA(got.bytes) }
            }
        }
        #expect(lsrSeen, "the box reports b's SR back (LSR) in its next report")
        for compound in reportsAtA[rtcpAtABefore...] {
            if case .senderReport(let sr) = compound.first { #expect(sr.ssrc != 0xB || sr.senderInfo.ntpTimestamp.seconds != 0xE8F0_5555, "b's SR relayed") }
        }
        let stats = try Self.sessionStats(rig)
        let rtt = try #require(stats.b.roundTripMilliseconds, "no round trip on b")
        #expect(rtt >= 99 && rtt < 140, "100 ms left out of DLSR, plus loopback: \(rtt)")
        #expect(stats.b.peerReport?.fractionLost == 3 && stats.b.peerReport?.jitter == 16)
        #expect(stats.a.rtcpSent >= 2 && stats.b.rtcpSent >= 2 && stats.b.rtcpReceived == 1)
        #expect(stats.b.srtpFailures == 0 && stats.a.srtpFailures == 0)
    }

    // A line session terminates its RTP leg: the box reports on it as the sender of the line's stream
    // (silence while the device is down) and the far end's RR gives the round trip.
    @Test func aLineSessionSendsItsOwnSenderReportsAndMeasuresTheRoundTrip() throws {
        var configuration = testConfiguration()
        configuration.rtcpMinimumIntervalMilliseconds = 300
        var rig = try LineRig(fixture: nil, configuration: configuration)
        _ = try rig.openLine(period: 20, retryMilliseconds: 60_000)
        try rig.createSession()
        var reports: [(sr: RTCPSenderReport, at: UInt64)] = []
        var rtp = 0
        func drain() {
            while let p = rig.peer.receive(timeoutMilliseconds: 0) {
                if Packets.isRTCP(p.bytes) {
                    if case .senderReport(let sr)? = (try? RTCPCompound.parse(p.bytes))?.first { reports.append((sr, tb_monotonic_ns())) }
                } else {
                    rtp += 1
                }
            }
        }
        let t0 = tb_monotonic_ns()
        for k in 0..<40 {
            sleepUntil(t0 + UInt64(k) * 20_000_000)
            rig.peer.send(Packets.rtp(pt: 0, seq: UInt16(k), ssrc: 0xFA5, payload: [UInt8](repeating: 0xFF, count: 160)), to: rig.leg.local)
            drain()
        }
        let deadline = tb_monotonic_ns() + 2_000_000_000
        while !reports.contains(where: { $0.sr.reportBlocks.first?.ssrc == 0xFA5 }) && tb_monotonic_ns() < deadline {
            usleep(1_000)
            drain()
        }
        let last = try #require(reports.last(where: { $0.sr.reportBlocks.first?.ssrc == 0xFA5 }), "no SR with a block on the far end's stream")
        let sr = last.sr
        #expect(sr.ssrc == 0x1_1AE, "the line's stream")
        #expect(sr.senderInfo.packetCount > 0 && sr.senderInfo.octetCount == sr.senderInfo.packetCount * 160)
        #expect(sr.reportBlocks[0].extendedHighestSequence <= 39 && sr.reportBlocks[0].extendedHighestSequence >= 1)
        // The far end reports on the line's stream with a DLSR 70 ms short of the time it held the SR.
        sleepUntil(tb_monotonic_ns() + 100_000_000)
        let held = tb_monotonic_ns() - last.at - 70_000_000
        let rr = Packets.report(ssrc: 0xFA5, blocks: [RTCPReportBlock(ssrc: 0x1_1AE, fractionLost: 0, extendedHighestSequence: 1000,
                                                                      jitter: 8, lastSR: sr.senderInfo.ntpTimestamp.compact,
                                                                      delaySinceLastSR: UInt32((held << 16) / 1_000_000_000))])
        rig.peer.send(rr, to: rig.leg.local)
        usleep(50_000)
        let (_, stats) = try rig.finish()
        let rtt = try #require(stats?.a.roundTripMilliseconds, "no round trip on the line session's RTP leg")
        #expect(rtt >= 69 && rtt < 110, "70 ms left out of DLSR, plus loopback and the 1 ms poll: \(rtt)")
        #expect(stats?.a.peerReport?.jitter == 8)
        #expect(stats?.a.rtcpReceived == 1 && (stats?.a.rtcpSent ?? 0) >= 1)
        #expect(rtp >= 20)
    }
}
