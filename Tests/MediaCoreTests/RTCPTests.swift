// RTCPTests: compound RTCP written without allocation and parsed back, the A.2 validity checks, NTP and round-trip time (RFC 3550 §6, A.2, §6.4.1).
import Testing
@testable import MediaCore

@Suite struct RTCPTests {
    static func write(_ report: RTCPCompoundReport, capacity: Int = 1500) -> [UInt8] {
        var buffer = [UInt8](repeating: 0xEE, count: capacity)
        let n = buffer.withUnsafeMutableBytes { report.write(into: $0) }
        return Array(buffer.prefix(n))
    }

    static func cname(_ s: String) -> RTCPCName {
        guard let c = RTCPCName(s) else { fatalError("test CNAME \(s) invalid") }
        return c
    }

    @Test func emptyReceiverReportWithCNAMEHasTheExactOctets() {
        let bytes = Self.write(RTCPCompoundReport(ssrc: 0x1122_3344, cname: Self.cname("ab")))
        #expect(bytes == [
            0x80, 0xC9, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44,                          // RR, RC 0, length 1
            0x81, 0xCA, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44,                          // SDES, SC 1, length 3
            0x01, 0x02, 0x61, 0x62, 0x00, 0x00, 0x00, 0x00,                          // CNAME "ab", END, pad
        ])
    }

    @Test func sdesChunkAlwaysEndsWithANullOctetAndAWordBoundary() {
        for (name, itemsLength) in [("a", 4), ("abc", 8), ("abcd", 8), ("abcdef", 12)] {
            let bytes = Self.write(RTCPCompoundReport(ssrc: 1, cname: Self.cname(name)))
            #expect(bytes.count == 8 + 8 + itemsLength, "\(name)")
            #expect(bytes[16 + 2 + name.utf8.count] == 0, "END after \(name)")
            #expect(bytes.count % 4 == 0)
        }
    }

    @Test func senderReportWithBlocksSDESAndByeRoundTrips() throws {
        let info = RTCPSenderInfo(ntpTimestamp: NTPTimestamp(seconds: 0xE8F0_0001, fraction: 0x8000_0000),
                                  rtpTimestamp: 0x1234_5678, packetCount: 500, octetCount: 80_000)
        var report = RTCPCompoundReport(ssrc: 0xAABB_CCDD, cname: Self.cname("trunkbox@192.0.2.1"), senderInfo: info, goodbye: true)
        let b1 = RTCPReportBlock(ssrc: 0x0101_0101, fractionLost: 25, cumulativeLost: 10, extendedHighestSequence: 65536 + 99,
                                 jitter: 80, lastSR: 0xB705_2000, delaySinceLastSR: 0x0005_4000)
        let b2 = RTCPReportBlock(ssrc: 0x0202_0202, fractionLost: 0, cumulativeLost: -5, extendedHighestSequence: 7,
                                 jitter: 0, lastSR: 0, delaySinceLastSR: 0)
        let appended = report.appendReportBlock(b1) && report.appendReportBlock(b2)
        #expect(appended)
        let bytes = Self.write(report)
        #expect(bytes.count == report.byteCount)
        #expect(Array(bytes.prefix(4)) == [0x82, 0xC8, 0x00, 0x12], "SR, RC 2, (28 + 48)/4 − 1 = 18 words")
        let packets = try RTCPCompound.parse(bytes)
        #expect(packets.count == 3)
        #expect(packets[0] == .senderReport(RTCPSenderReport(ssrc: 0xAABB_CCDD, senderInfo: info, reportBlocks: [b1, b2])))
        guard case .sourceDescription(let sdes) = packets[1] else { Issue.record("no SDES"); return }
        #expect(sdes.cname(of: 0xAABB_CCDD) == "trunkbox@192.0.2.1")
        #expect(packets[2] == .goodbye(RTCPGoodbye(ssrcs: [0xAABB_CCDD])))
    }

    @Test func reportBlocksAreCappedAndTheWriterNeedsRoom() {
        var report = RTCPCompoundReport(ssrc: 1, cname: Self.cname("x"))
        for i in 0..<4 {
            let ok = report.appendReportBlock(RTCPReportBlock(ssrc: UInt32(i)))
            #expect(ok)
        }
        let fifth = report.appendReportBlock(RTCPReportBlock(ssrc: 9))
        #expect(!fifth && report.reportBlockCount == 4)
        #expect(report.reportBlock(3)?.ssrc == 3 && report.reportBlock(4) == nil)
        var small = [UInt8](repeating: 0xEE, count: report.byteCount - 1)
        let written = small.withUnsafeMutableBytes { report.write(into: $0) }
        #expect(written == 0)
        #expect(small.allSatisfy { $0 == 0xEE }, "nothing written")
        report.removeAllReportBlocks()
        #expect(report.byteCount == 8 + 12)
        #expect(RTCPCName("") == nil && RTCPCName(String(repeating: "a", count: 256)) == nil)
        #expect(RTCPCName(String(repeating: "a", count: 255))?.count == 255)
    }

    @Test func cumulativeLostIsTwentyFourBitSigned() throws {
        var report = RTCPCompoundReport(ssrc: 1, cname: Self.cname("x"))
        report.appendReportBlock(RTCPReportBlock(ssrc: 2, cumulativeLost: -5))
        report.appendReportBlock(RTCPReportBlock(ssrc: 3, cumulativeLost: 10_000_000))
        report.appendReportBlock(RTCPReportBlock(ssrc: 4, cumulativeLost: -9_000_000))
        let bytes = Self.write(report)
        #expect(Array(bytes[12..<16]) == [0x00, 0xFF, 0xFF, 0xFB], "fraction 0, −5 in 24 bits")
        guard case .receiverReport(let rr) = try RTCPCompound.parse(bytes)[0] else { Issue.record("no RR"); return }
        #expect(rr.reportBlocks.map(\.cumulativeLost) == [-5, 0x7F_FFFF, -0x80_0000])
    }

    @Test func blockFromReceiverStatisticsCarriesTheirFields() throws {
        var stats = RTPReceiverStats(clockRate: 8000)
        for seq in UInt16(0)...UInt16(99) where seq != 50 {
            stats.update(sequence: seq, rtpTimestamp: UInt32(seq) * 160, arrival: UInt32(seq) * 160 + (seq % 2 == 0 ? 0 : 32))
        }
        let expectedJitter = stats.jitter
        var report = RTCPCompoundReport(ssrc: 7, cname: Self.cname("x"))
        report.appendReportBlock(RTCPReportBlock(ssrc: 8, stats: &stats, lastSR: 0x1234_5678, delaySinceLastSR: 65536))
        guard case .receiverReport(let rr) = try RTCPCompound.parse(Self.write(report))[0] else { Issue.record("no RR"); return }
        let b = try #require(rr.reportBlocks.first)
        #expect(b.ssrc == 8 && b.cumulativeLost == 1 && b.fractionLost == UInt8(256 / 99) && b.extendedHighestSequence == 99)
        #expect(b.jitter == expectedJitter && b.jitter > 0 && b.lastSR == 0x1234_5678 && b.delaySinceLastSR == 65536)
    }

    @Test func paddingOnTheLastPacketIsRemoved() throws {
        let bytes: [UInt8] = [
            0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1,                  // RR
            0xA1, 0xCB, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 4,      // BYE with P, 4 octets of padding
        ]
        let packets = try RTCPCompound.parse(bytes)
        #expect(packets == [.receiverReport(RTCPReceiverReport(ssrc: 1)), .goodbye(RTCPGoodbye(ssrcs: [1]))])
    }

    @Test func byeReasonSDESItemsAndUnknownTypesAreRead() throws {
        let bytes: [UInt8] = [
            0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1,
            0x82, 0xCA, 0x00, 0x06,                               // SDES, two chunks
            0, 0, 0, 1, 0x01, 0x01, 0x78, 0x02, 0x01, 0x79, 0x00, 0x00,   // CNAME "x", NAME "y", END, pad
            0, 0, 0, 2, 0x01, 0x02, 0x7A, 0x7A, 0x00, 0x00, 0x00, 0x00,   // CNAME "zz", END, pad
            0x80, 0xCC, 0x00, 0x02, 0, 0, 0, 1, 0x61, 0x62, 0x63, 0x64,    // APP, subtype 0, name "abcd"
            0x81, 0xCB, 0x00, 0x03, 0, 0, 0, 1, 0x04, 0x67, 0x6F, 0x6E, 0x65, 0, 0, 0,   // BYE "gone"
        ]
        let packets = try RTCPCompound.parse(bytes)
        #expect(packets.count == 4)
        #expect(packets[1] == .sourceDescription(RTCPSourceDescription(chunks: [
            .init(ssrc: 1, items: [.init(type: 1, value: [0x78]), .init(type: 2, value: [0x79])]),
            .init(ssrc: 2, items: [.init(type: 1, value: [0x7A, 0x7A])]),
        ])))
        #expect(packets[2] == .other(packetType: 204, count: 0, body: [0, 0, 0, 1, 0x61, 0x62, 0x63, 0x64]))
        guard case .goodbye(let bye) = packets[3] else { Issue.record("no BYE"); return }
        #expect(bye.ssrcs == [1] && bye.reasonText == "gone")
    }

    static func rejection(_ bytes: [UInt8]) -> RTCPError? {
        do {
            _ = try RTCPCompound.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func compoundPacketsFailingTheA2ChecksAreRefused() {
        let rr: [UInt8] = [0x80, 0xC9, 0x00, 0x01, 0, 0, 0, 1]
        let bye: [UInt8] = [0x81, 0xCB, 0x00, 0x01, 0, 0, 0, 1]
        #expect(Self.rejection([0x80, 0xC9, 0x00]) == .tooShort(count: 3))
        #expect(Self.rejection([]) == .tooShort(count: 0))
        #expect(Self.rejection([0x40, 0xC9, 0x00, 0x01, 0, 0, 0, 1]) == .badVersion(offset: 0, version: 1))
        #expect(Self.rejection(bye + rr) == .firstPacketNotReport(packetType: 203, padded: false), "BYE first")
        #expect(Self.rejection([0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 4]) == .firstPacketNotReport(packetType: 201, padded: true))
        #expect(Self.rejection(rr + [0x41, 0xCB, 0x00, 0x01, 0, 0, 0, 1]) == .badVersion(offset: 8, version: 1))
        #expect(Self.rejection(rr + [0x81, 0xCB, 0x00, 0x02, 0, 0, 0, 1]) == .lengthMismatch(offset: 8), "length past the end")
        #expect(Self.rejection(rr + [0, 0, 0, 0]) == .badVersion(offset: 8, version: 0), "zero word after the RR")
        #expect(Self.rejection(rr + [0x80, 0xC9]) == .lengthMismatch(offset: 8), "trailing octets")
        #expect(Self.rejection([0x80, 0xC9, 0x00, 0x02, 0, 0, 0, 1]) == .lengthMismatch(offset: 0))
        // Padding on a packet that is not the last.
        #expect(Self.rejection(rr + [0xA1, 0xCB, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 4] + bye) == .paddingNotLast(offset: 8))
        #expect(Self.rejection(rr + [0xA1, 0xCB, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0]) == .badPadding(offset: 8, count: 0))
        #expect(Self.rejection(rr + [0xA1, 0xCB, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 9]) == .badPadding(offset: 8, count: 9))
        // Counts larger than the body.
        #expect(Self.rejection([0x81, 0xC9, 0x00, 0x01, 0, 0, 0, 1]) == .malformedPacket(offset: 0, packetType: 201), "RC 1, no block")
        #expect(Self.rejection([0x80, 0xC8, 0x00, 0x01, 0, 0, 0, 1]) == .malformedPacket(offset: 0, packetType: 200), "SR without sender info")
        #expect(Self.rejection(rr + [0x81, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 0x01, 0x09, 0x61, 0x62]) == .malformedPacket(offset: 8, packetType: 202), "SDES item past the end")
        #expect(Self.rejection(rr + [0x81, 0xCA, 0x00, 0x02, 0, 0, 0, 1, 0x01, 0x02, 0x61, 0x62]) == .malformedPacket(offset: 8, packetType: 202), "SDES without END")
        #expect(Self.rejection(rr + [0x82, 0xCB, 0x00, 0x01, 0, 0, 0, 1]) == .malformedPacket(offset: 8, packetType: 203), "BYE SC 2, one SSRC")
        #expect(Self.rejection(rr + [0x81, 0xCB, 0x00, 0x02, 0, 0, 0, 1, 0x09, 0x61, 0, 0]) == .malformedPacket(offset: 8, packetType: 203), "BYE reason past the end")
    }

    @Test func randomDatagramsNeverTrap() {
        var g = SeededGenerator(seed: 7)
        var parsed = 0
        for _ in 0..<20_000 {
            let n = Int.random(in: 0...80, using: &g) & ~3
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
            if n >= 4 {
                bytes[0] = 0x80 | (bytes[0] & 0x1F)
                bytes[1] = 201
                bytes[2] = 0
                bytes[3] = UInt8.random(in: 0...UInt8(n / 4 - 1), using: &g)
            }
            if (try? RTCPCompound.parse(bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 100)
    }

    @Test func ntpTimestampsFromUnixTime() {
        let epoch = NTPTimestamp(unixSeconds: 0, nanoseconds: 0)
        #expect(epoch.seconds == 2_208_988_800 && epoch.fraction == 0)
        let half = NTPTimestamp(unixSeconds: 1, nanoseconds: 500_000_000)
        #expect(half.seconds == 2_208_988_801 && half.fraction == 0x8000_0000)
        #expect(half.rawValue == UInt64(2_208_988_801) << 32 | 0x8000_0000)
        #expect(NTPTimestamp(rawValue: half.rawValue) == half)
        #expect(NTPTimestamp(seconds: 0x0001_B710, fraction: 0x8000_0000).compact == 0xB710_8000)
        // 2036-02-07 06:28:16 UTC is NTP era 1, second 0.
        #expect(NTPTimestamp(unixSeconds: 2_085_978_496, nanoseconds: 0).seconds == 0)
        #expect(epoch < half)
    }

    @Test func roundTripTimeFollowsTheSection6_4_1Example() throws {
        // RFC 3550 §6.4.1 figure: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s),
        // DLSR = 0x0005:4000 (5.250 s): delay 0x0006:2000 = 6.125 s.
        let ms = try #require(RTCPRoundTrip.milliseconds(arrival: 0xB710_8000, lastSR: 0xB705_2000, delaySinceLastSR: 0x0005_4000))
        #expect(ms == 6125)
        #expect(RTCPRoundTrip.milliseconds(arrival: 0xB710_8000, lastSR: 0, delaySinceLastSR: 0) == nil, "no SR yet")
        #expect(RTCPRoundTrip.milliseconds(arrival: 0xB705_2000, lastSR: 0xB705_2000, delaySinceLastSR: 0x0001_0000) == nil, "negative")
        // Across a wrap of the compact clock.
        #expect(RTCPRoundTrip.milliseconds(arrival: 0x0000_4000, lastSR: 0xFFFF_C000, delaySinceLastSR: 0x0000_4000) == 250)
        let sr = NTPTimestamp(seconds: 100, fraction: 0)
        let now = NTPTimestamp(seconds: 101, fraction: 0x4000_0000)
        #expect(RTCPRoundTrip.delaySinceLastSR(srArrival: sr, now: now) == 0x0001_4000, "1.25 s")
    }
}
