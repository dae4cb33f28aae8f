// MediaAllocationTests: the media thread allocates nothing while relaying 10,000 packets each way (plain ↔ SRTP with SR/RR read on the way, and PCMU ↔ G.729 transcoding with the box's own SR/RR).
import Testing
import Glibc
import CShim
import CAllocCounter
import MediaCore
@testable import Media

extension MediaEngineTests {
    @Test func allocationCounterCountsARegisteredThread() throws {
        // The control for the zero below: an allocating closure on a registered thread is counted.
        #expect(tb_alloc_counter_is_interposing() == 1, "this test binary's malloc is the counting one")
        var thread = pthread_t()
        tb_alloc_counter_reset()
        let rc = pthread_create(&thread, nil, { _ in
            tb_alloc_counter_register_thread()
            let array = [Int](repeating: 7, count: 1000)
            let box = Box(array.count)
            tb_alloc_counter_unregister_thread()
            return box.value == 1000 ? nil : UnsafeMutableRawPointer(bitPattern: 1)
        }, nil)
        #expect(rc == 0)
        pthread_join(thread, nil)
        #expect(tb_alloc_counter_allocations() >= 2)
        // Unregistered threads (this one) are not counted.
        tb_alloc_counter_reset()
        let other = [Int](repeating: 1, count: 1000)
        #expect(other.count == 1000)
        #expect(tb_alloc_counter_allocations() == 0)
    }

    // Every suite: libsrtp2's NSS crypto (a heap context per packet) is replaced by CShim's
    // allocation-free AES-ICM, HMAC-SHA1 and AES-GCM.
    @Test(.serialized, arguments: SRTPSuite.allCases)
    func mediaThreadDoesNotAllocateInSteadyState(suite: SRTPSuite) throws {
        var configuration = testConfiguration()
        configuration.threadStartHook = tb_alloc_counter_register_thread
        configuration.statsIntervalMilliseconds = 100    // periodic events run during the measurement too
        configuration.oneWayAudioMilliseconds = 0
        var rig = try Rig(configuration: configuration)
        let keys = try SRTPLegKeys(suite: suite)
        try rig.create { a, b in
            a.telephoneEventPayloadType = 101
            b.srtpReceive = keys.engineReceive
            b.srtpSend = keys.engineSend
        }
        var seqA: UInt16 = 0
        var seqB: UInt16 = 0
        var mismatches = 0
        var missing = 0
        // One round: `count` packets each way in a window of 50, each checked at the far end.
        func relay(_ count: Int) {
            var sent = 0
            while sent < count {
                let window = min(50, count - sent)
                var expectedAtB: [[UInt8]] = []
                var expectedAtA: [[UInt8]] = []
                for _ in 0..<window {
                    let p = Packets.rtp(seq: seqA, ssrc: 0xA, payload: Packets.payload(Int(seqA)))
                    rig.peerA.send(p, to: rig.legA.local)
                    expectedAtB.append(p)
                    seqA &+= 1
                    let q = Packets.rtp(seq: seqB, ssrc: 0xB, payload: Packets.payload(Int(seqB), tag: 0xB))
                    rig.peerB.send(Packets.protect(keys.peerSend, q), to: rig.legB.local)
                    expectedAtA.append(q)
                    seqB &+= 1
                }
                for p in expectedAtB {
                    guard let got = rig.peerB.receive() else { missing += 1; continue }
                    if Packets.unprotect(keys.peerReceive, got.bytes) != p { mismatches += 1 }
                }
                for q in expectedAtA {
                    guard let got = rig.peerA.receive() else { missing += 1; continue }
                    if got.bytes != q { mismatches += 1 }
                }
                // RTCP crosses too and is read on the way: a's SR to b (SRTCP there), b's RR on it back,
                // which gives leg b's round trip.
                let ntp = NTPTimestamp(seconds: 0xE8F0_0000 + UInt32(sent / 50), fraction: 0x8000_0000)
                rig.peerA.send(Packets.report(ssrc: 0xA, ntp: ntp), to: rig.legA.local)
                if let got = rig.peerB.receive(), Packets.unprotect(keys.peerReceive, got.bytes, rtcp: true) != nil {
                    let rr = Packets.report(ssrc: 0xB, blocks: [RTCPReportBlock(ssrc: 0xA, extendedHighestSequence: UInt32(seqA),
                                                                                lastSR: ntp.compact, delaySinceLastSR: 0)])
                    rig.peerB.send(Packets.protect(keys.peerSend, rr, rtcp: true), to: rig.legB.local)
                    if rig.peerA.receive()?.bytes != rr { mismatches += 1 }
                } else {
                    missing += 1
                }
                sent += window
            }
        }
        relay(1_000)                 // warm-up: first-use work (metadata, lazy tables) happens here
        _ = rig.engine.pollEvents { _ in }
        tb_alloc_counter_reset()
        relay(10_000)
        let allocations = tb_alloc_counter_allocations()
        let frees = tb_alloc_counter_frees()
        #expect(missing == 0)
        #expect(mismatches == 0)
        #expect(allocations == 0, "media thread allocated \(allocations) times (freed \(frees)) while relaying")
        #expect(frees == 0)
        var statsEvents = 0
        rig.engine.pollEvents { if case .stats = $0 { statsEvents += 1 } }
        #expect(statsEvents > 0, "the timer path ran during the measurement")
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        #expect(stats.a.packetsReceived == 11_000)
        #expect(stats.b.packetsReceived == 11_000)
        #expect(stats.b.srtpFailures == 0)
        #expect(stats.b.rtcpReceived == 220 && stats.a.rtcpReceived == 220)
        #expect(stats.b.roundTripSamples == 220 && stats.b.roundTripMilliseconds != nil)
    }
}

extension MediaEngineTests {
    // A transcoding session: PCMU plain on leg a, G.729 over SRTP on leg b; bcg729 encodes and decodes
    // on the media thread, with its state made on the control side.
    @Test func mediaThreadDoesNotAllocateWhileTranscoding() throws {
        var configuration = testConfiguration()
        configuration.threadStartHook = tb_alloc_counter_register_thread
        configuration.statsIntervalMilliseconds = 100
        configuration.oneWayAudioMilliseconds = 0
        // The box sends its own SR/RR (SRTCP on b) during the measurement.
        configuration.rtcpMinimumIntervalMilliseconds = 100
        var rig = try Rig(configuration: configuration)
        let keys = try SRTPLegKeys(suite: .aesCM128HmacSHA1_80)
        var reports = 0
        try rig.create { a, b in
            a.telephoneEventPayloadType = 101
            a.transcode = MediaTranscode(incoming: .pcmu, incomingPayloadType: 0, outgoing: .g729, outgoingPayloadType: 18)
            b.transcode = MediaTranscode(incoming: .g729, incomingPayloadType: 18, outgoing: .pcmu, outgoingPayloadType: 0)
            b.srtpReceive = keys.engineReceive
            b.srtpSend = keys.engineSend
        }
        let ulaw = (0..<50).map { Tone.ulaw(Tone.samples(160, start: 160 * $0)) }
        let g729 = Tone.g729Packets(50)
        var seqA: UInt16 = 0
        var seqB: UInt16 = 0
        var wrong = 0
        var missing = 0
        func relay(_ count: Int) {
            var sent = 0
            while sent < count {
                let window = min(50, count - sent)
                var expectedAtB: [UInt16] = []
                var expectedAtA: [(seq: UInt16, bytes: Int)] = []
                for k in 0..<window {
                    rig.peerA.send(Packets.rtp(pt: 0, seq: seqA, ssrc: 0xA, payload: ulaw[k]), to: rig.legA.local)
                    expectedAtB.append(seqA)
                    seqA &+= 1
                    // Every tenth packet ends with an Annex B SID frame (decoded as comfort noise).
                    let q = Packets.rtp(pt: 18, seq: seqB, ssrc: 0xB, payload: k % 10 == 9 ? g729[k] + [0x12, 0x34] : g729[k])
                    rig.peerB.send(Packets.protect(keys.peerSend, q), to: rig.legB.local)
                    expectedAtA.append((seqB, k % 10 == 9 ? 240 : 160))
                    seqB &+= 1
                }
                for seq in expectedAtB {
                    guard let got = rig.peerB.receiveRTP(rtcp: { _ in reports += 1 }) else { missing += 1; continue }
                    guard let plain = Packets.unprotect(keys.peerReceive, got.bytes),
                          let h = plain.withUnsafeBytes({ RTPHeader.parse($0) }),
                          h.payloadType == 18, h.payloadLength == 20, h.sequence == seq else { wrong += 1; continue }
                }
                for expected in expectedAtA {
                    guard let got = rig.peerA.receiveRTP(rtcp: { _ in reports += 1 }),
                          let h = got.bytes.withUnsafeBytes({ RTPHeader.parse($0) }) else { missing += 1; continue }
                    if h.payloadType != 0 || h.payloadLength != expected.bytes || h.sequence != expected.seq { wrong += 1 }
                }
                // a's reports are consumed by the box (it terminates RTCP here).
                rig.peerA.send(Packets.report(ssrc: 0xA, ntp: NTPTimestamp(seconds: 0xE8F0_0000 + UInt32(sent / 50), fraction: 0),
                                              blocks: [RTCPReportBlock(ssrc: 0xB, extendedHighestSequence: UInt32(seqB))]),
                               to: rig.legA.local)
                sent += window
            }
        }
        relay(1_000)                 // warm-up
        _ = rig.engine.pollEvents { _ in }
        tb_alloc_counter_reset()
        relay(10_000)
        let allocations = tb_alloc_counter_allocations()
        let frees = tb_alloc_counter_frees()
        print("transcoding allocation test: \(allocations) allocations, \(frees) frees on the media thread over 10,000 packets each way")
        #expect(missing == 0)
        #expect(wrong == 0)
        #expect(allocations == 0, "media thread allocated \(allocations) times (freed \(frees)) while transcoding")
        #expect(frees == 0)
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        print("transcoding allocation test: \(reports) RTCP reports from the box, \(stats.a.rtcpSent + stats.b.rtcpSent) sent")
        #expect(reports > 0 && stats.a.rtcpSent + stats.b.rtcpSent > 0, "the box's own reports went out during the test")
        #expect(stats.a.rtcpReceived == 220)
        #expect(stats.a.packetsTranscoded == 11_000)
        #expect(stats.b.packetsTranscoded == 11_000)
        #expect(stats.b.srtpFailures == 0)
    }
}

private final class Box {
    let value: Int
    init(_ value: Int) { self.value = value }
}
