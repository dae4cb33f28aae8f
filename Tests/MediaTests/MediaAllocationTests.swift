// MediaAllocationTests: the media thread allocates nothing while relaying 10,000 packets each way (plain ↔ SRTP).
import Testing
import Glibc
import CShim
import CAllocCounter
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
    }
}

private final class Box {
    let value: Int
    init(_ value: Int) { self.value = value }
}
