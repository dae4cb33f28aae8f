// RTCPPeerStateTests: round trip from LSR/DLSR on a manual clock, the peer's report, the box's own SR/RR octets and its report schedule (RFC 3550 §6.4.1, A.3, A.7).
import Testing
@testable import MediaCore

@Suite struct RTCPPeerStateTests {
    static let ms: UInt64 = 1_000_000
    static let s: UInt64 = 1_000_000_000
    /// An SR time whose compact form is easy to read: seconds 0xE8F0_1234, fraction 0x8000_0000 → 0x1234_8000.
    static let srTime = NTPTimestamp(seconds: 0xE8F0_1234, fraction: 0x8000_0000)

    static func cname(_ s: String) -> RTCPCName {
        guard let c = RTCPCName(s) else { fatalError("test CNAME \(s) invalid") }
        return c
    }

    @Test func anSRForwardedAndTheRRBackGiveTheRoundTripWithoutThePeersHoldingTime() throws {
        var peer = RTCPPeerState()
        // The far side's SR crosses the box toward the peer at t = 10 s.
        peer.senderReportSent(Self.srTime, at: 10 * Self.s)
        #expect(Self.srTime.compact == 0x1234_8000)
        // The peer holds it 250 ms (DLSR = 0.25 × 65536) and its RR arrives at 10.330 s: 80 ms of network.
        let block = RTCPReportBlock(ssrc: 0xAA, fractionLost: 64, cumulativeLost: 12, extendedHighestSequence: 1000,
                                    jitter: 160, lastSR: 0x1234_8000, delaySinceLastSR: 16384)
        let sample = peer.reportBlockReceived(block, sentSSRC: 0xAA, at: 10 * Self.s + 330 * Self.ms)
        let rtt = try #require(sample)
        #expect(abs(rtt - 80) < 0.001)
        #expect(peer.roundTripMilliseconds == rtt && peer.roundTripSamples == 1)
        // What the peer says it receives from us.
        #expect(peer.peerReport?.fractionLost == 64 && peer.peerReport?.cumulativeLost == 12 && peer.peerReport?.jitter == 160)
        // A second SR and its RR: 120 ms; the mean is 100.
        let later = NTPTimestamp(seconds: 0xE8F0_1239, fraction: 0)
        peer.senderReportSent(later, at: 15 * Self.s)
        _ = peer.reportBlockReceived(RTCPReportBlock(ssrc: 0xAA, lastSR: later.compact, delaySinceLastSR: 0x0001_0000),
                                     sentSSRC: 0xAA, at: 16 * Self.s + 120 * Self.ms)
        #expect(abs((peer.roundTripMilliseconds ?? 0) - 120) < 0.001)
        #expect(abs((peer.meanRoundTripMilliseconds ?? 0) - 100) < 0.001 && peer.roundTripSamples == 2)
    }

    @Test func blocksThatNameNoRememberedSRGiveNoSample() {
        var peer = RTCPPeerState()
        // No SR yet: LSR 0 means the peer has none either.
        let none = peer.reportBlockReceived(RTCPReportBlock(ssrc: 1), sentSSRC: nil, at: Self.s)
        #expect(none == nil)
        #expect(peer.peerReport != nil, "its loss and jitter still count")
        peer.senderReportSent(Self.srTime, at: Self.s)
        // An LSR the box never saw pass.
        let unknown = peer.reportBlockReceived(RTCPReportBlock(ssrc: 1, lastSR: 0x0BAD_0000, delaySinceLastSR: 0), sentSSRC: nil, at: 2 * Self.s)
        #expect(unknown == nil)
        // A DLSR longer than the time since the SR (a peer's clock gone wrong) is not a negative RTT.
        let negative = peer.reportBlockReceived(RTCPReportBlock(ssrc: 1, lastSR: Self.srTime.compact, delaySinceLastSR: 0x0002_0000),
                                                sentSSRC: nil, at: 2 * Self.s)
        #expect(negative == nil)
        // A block about another source than the one the box sends the peer is not the peer's view of us.
        var other = RTCPPeerState()
        other.senderReportSent(Self.srTime, at: Self.s)
        let foreign = other.reportBlockReceived(RTCPReportBlock(ssrc: 7, fractionLost: 9, lastSR: Self.srTime.compact), sentSSRC: 8, at: 2 * Self.s)
        #expect(foreign == nil)
        #expect(other.peerReport == nil && other.roundTripSamples == 0)
    }

    @Test func fourSlotsKeepTheLatestSRsAndTheOldestIsOverwritten() {
        var peer = RTCPPeerState()
        for i in 0..<5 {
            peer.senderReportSent(NTPTimestamp(seconds: 100 + UInt32(i), fraction: 0), at: UInt64(i) * Self.s + Self.s)
        }
        // SR 0 (LSR 100 << 16) was overwritten by SR 4; SRs 1...4 are still known.
        let overwritten = peer.reportBlockReceived(RTCPReportBlock(ssrc: 1, lastSR: 100 << 16), sentSSRC: nil, at: 10 * Self.s)
        #expect(overwritten == nil)
        let rtt = peer.reportBlockReceived(RTCPReportBlock(ssrc: 1, lastSR: 101 << 16), sentSSRC: nil, at: 10 * Self.s)
        #expect(rtt.map { abs($0 - 8000) < 0.001 } == true, "SR 1 passed at 2 s")
        // The same SR seen twice keeps its first time.
        peer.senderReportSent(NTPTimestamp(seconds: 104, fraction: 0), at: 9 * Self.s)
        let again = peer.reportBlockReceived(RTCPReportBlock(ssrc: 1, lastSR: 104 << 16), sentSSRC: nil, at: 10 * Self.s)
        #expect(again.map { abs($0 - 5000) < 0.001 } == true)
    }

    @Test func lsrAndDLSRComeFromThePeersLastSR() {
        var peer = RTCPPeerState()
        #expect(peer.lastSRFields(at: Self.s).lastSR == 0 && peer.lastSRFields(at: Self.s).delaySinceLastSR == 0)
        peer.senderReportReceived(Self.srTime, at: 3 * Self.s)
        let f = peer.lastSRFields(at: 3 * Self.s + 1500 * Self.ms)
        #expect(f.lastSR == 0x1234_8000 && f.delaySinceLastSR == 0x0001_8000, "1.5 s in 1/65536 s")
    }

    @Test func theBoxsSenderReportHasTheRFC3550LayoutAndParsesBack() throws {
        var peer = RTCPPeerState()
        peer.senderReportReceived(Self.srTime, at: 20 * Self.s)
        // The peer's stream: 100 packets in order, then 4 missing, then 96 more (A.3: 4 lost of 200 expected).
        var stats = RTPReceiverStats(clockRate: 8000)
        for i in 0..<200 where !(100..<104).contains(i) {
            stats.update(sequence: UInt16(1000 + i), rtpTimestamp: UInt32(i * 160), arrival: UInt32(i * 160 + 5000))
        }
        let info = RTCPSenderInfo(ntpTimestamp: NTPTimestamp(seconds: 0xE8F0_2000, fraction: 0x4000_0000),
                                  rtpTimestamp: 0x0102_0304, packetCount: 250, octetCount: 40_000)
        let report = peer.makeReport(ssrc: 0xB0B0_0001, cname: Self.cname("tb"), senderInfo: info, peerSSRC: 0xCAFE_F00D,
                                     stats: &stats, at: 20 * Self.s + 250 * Self.ms)
        var buffer = [UInt8](repeating: 0xEE, count: 200)
        let n = buffer.withUnsafeMutableBytes { report.write(into: $0) }
        let b = Array(buffer.prefix(n))
        // SR: V=2 P=0 RC=1, PT 200, length 12 words - 1 (header 8 + sender info 20 + block 24 = 52 octets).
        #expect(Array(b[0..<8]) == [0x81, 200, 0x00, 12, 0xB0, 0xB0, 0x00, 0x01])
        #expect(Array(b[8..<28]) == [0xE8, 0xF0, 0x20, 0x00, 0x40, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04,
                                     0x00, 0x00, 0x00, 250, 0x00, 0x00, 0x9C, 0x40])
        // Report block: SSRC, fraction lost 4/200 × 256 = 5, cumulative 4, highest seq 1199, jitter 0,
        // LSR 0x1234_8000, DLSR 0.25 s = 0x4000.
        #expect(Array(b[28..<52]) == [0xCA, 0xFE, 0xF0, 0x0D, 5, 0x00, 0x00, 0x04, 0x00, 0x00, 0x04, 0xAF,
                                      0x00, 0x00, 0x00, 0x00, 0x12, 0x34, 0x80, 0x00, 0x00, 0x00, 0x40, 0x00])
        // Then SDES CNAME "tb" (PT 202).
        #expect(Array(b[52..<64]) == [0x81, 202, 0x00, 0x03, 0xB0, 0xB0, 0x00, 0x01, 0x01, 0x02, 0x74, 0x62])
        #expect(n == 68)
        let packets = try RTCPCompound.parse(b)
        guard case .senderReport(let sr) = packets[0] else { Issue.record("not an SR: \(packets)"); return }
        #expect(sr.ssrc == 0xB0B0_0001 && sr.senderInfo == info)
        #expect(sr.reportBlocks == [RTCPReportBlock(ssrc: 0xCAFE_F00D, fractionLost: 5, cumulativeLost: 4, extendedHighestSequence: 1199,
                                                    jitter: 0, lastSR: 0x1234_8000, delaySinceLastSR: 0x4000)])
        guard case .sourceDescription(let sdes) = packets[1] else { Issue.record("no SDES"); return }
        #expect(sdes.cname(of: 0xB0B0_0001) == "tb")
        // The SR the box sent is remembered: the peer's RR on it 90 ms later with DLSR 40 ms gives 50 ms.
        let rtt = peer.reportBlockReceived(RTCPReportBlock(ssrc: 0xB0B0_0001, lastSR: info.ntpTimestamp.compact,
                                                           delaySinceLastSR: UInt32(65536 * 40 / 1000)),
                                           sentSSRC: 0xB0B0_0001, at: 20 * Self.s + 340 * Self.ms)
        #expect(rtt.map { abs($0 - 50) < 0.02 } == true, "\(String(describing: rtt))")
    }

    @Test func withoutRTPSentItIsAReceiverReportAndWithoutRTPReceivedItHasNoBlock() throws {
        var peer = RTCPPeerState()
        var none = RTPReceiverStats(clockRate: 8000)
        let empty = peer.makeReport(ssrc: 5, cname: Self.cname("tb"), senderInfo: nil, peerSSRC: 0, stats: &none, at: Self.s)
        #expect(empty.senderInfo == nil && empty.reportBlockCount == 0)
        var buffer = [UInt8](repeating: 0, count: 100)
        let n = buffer.withUnsafeMutableBytes { empty.write(into: $0) }
        #expect(Array(buffer[0..<8]) == [0x80, 201, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05], "RR, RC 0, length 1")
        #expect(try RTCPCompound.parse(Array(buffer.prefix(n))).count == 2)
        var some = RTPReceiverStats(clockRate: 8000)
        for i in 0..<10 { some.update(sequence: UInt16(i), rtpTimestamp: UInt32(i * 160), arrival: UInt32(i * 160)) }
        let rr = peer.makeReport(ssrc: 5, cname: Self.cname("tb"), senderInfo: nil, peerSSRC: 9, stats: &some, at: Self.s)
        #expect(rr.reportBlockCount == 1 && rr.reportBlock(0)?.ssrc == 9 && rr.reportBlock(0)?.lastSR == 0)
    }

    @Test func reportsAreScheduledRandomlyBetweenHalfAndOneAndAHalfTimesTheMinimum() {
        let c = 2.71828 - 1.5
        var peer = RTCPPeerState()
        #expect(!peer.isReportDue(at: 1000 * Self.s), "nothing before the first is scheduled")
        // The first report: half the 5 s minimum, × (0.5 + r), compensated by e − 3/2.
        peer.scheduleNextReport(at: 0, packetSize: nil, weSent: true, peerSent: true, bandwidth: 545, random: 0)
        #expect(peer.nextReportAt == UInt64(2.5 * 0.5 / c * 1e9))
        #expect(!peer.isReportDue(at: peer.nextReportAt - 1) && peer.isReportDue(at: peer.nextReportAt))
        // After one went out: the full minimum.
        peer.scheduleNextReport(at: 10 * Self.s, packetSize: 100, weSent: true, peerSent: true, bandwidth: 545, random: 1)
        #expect(peer.reportsSent == 1)
        #expect(peer.nextReportAt == 10 * Self.s + UInt64(5 * 1.5 / c * 1e9))
        // Over many draws the interval stays within 0.5...1.5 × 5 s / (e − 3/2).
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<1000 {
            peer.scheduleNextReport(at: 0, packetSize: 100, weSent: false, peerSent: true, bandwidth: 545,
                                    random: Double.random(in: 0..<1, using: &generator))
            let t = Double(peer.nextReportAt) / 1e9
            #expect(t >= 2.5 / c - 1e-6 && t <= 7.5 / c + 1e-6)
        }
        // A shorter minimum (tests of the engine use one) scales the same way while it is above the
        // bandwidth term...
        var quick = RTCPPeerState()
        quick.scheduleNextReport(at: 0, packetSize: nil, weSent: true, peerSent: true, bandwidth: 100_000, random: 0.5, minimumSeconds: 0.5)
        #expect(quick.nextReportAt == UInt64(0.25 / c * 1e9))
        // ...and below it, the A.7 size × members / bandwidth rules: 128 octets × 2 / 545 octets/s.
        var slow = RTCPPeerState()
        slow.scheduleNextReport(at: 0, packetSize: nil, weSent: true, peerSent: true, bandwidth: 545, random: 0.5, minimumSeconds: 0.2)
        #expect(slow.nextReportAt == UInt64(128.0 * 2 / 545 / c * 1e9))
    }

    @Test func theBookkeepingAllocatesNothing() {
        // The struct is plain inline storage: no references (a copy is independent).
        var a = RTCPPeerState()
        a.senderReportSent(Self.srTime, at: Self.s)
        var b = a
        b.senderReportSent(NTPTimestamp(seconds: 1, fraction: 0), at: 2 * Self.s)
        #expect(_isPOD(RTCPPeerState.self))
        let onlyInB = a.reportBlockReceived(RTCPReportBlock(ssrc: 1, lastSR: 1 << 16), sentSSRC: nil, at: 3 * Self.s)
        #expect(onlyInB == nil)
        let inB = b.reportBlockReceived(RTCPReportBlock(ssrc: 1, lastSR: 1 << 16), sentSSRC: nil, at: 3 * Self.s)
        #expect(inB != nil)
    }
}
