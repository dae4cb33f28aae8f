// RTCPScannerTests: the allocation-free RTCP walk agrees with the full parser and refuses what A.2 refuses (RFC 3550 A.2).
import Testing
@testable import MediaCore

@Suite struct RTCPScannerTests {
    static func scan(_ bytes: [UInt8]) -> (items: [RTCPScanItem], error: RTCPError?) {
        var items: [RTCPScanItem] = []
        let error = bytes.withUnsafeBytes { RTCPScanner.scan($0) { items.append($0) } }
        return (items, error)
    }

    /// What the scanner should report, derived from the full parser's values.
    static func expectedItems(_ packets: [RTCPPacket]) -> [RTCPScanItem] {
        packets.flatMap { packet -> [RTCPScanItem] in
            switch packet {
            case .senderReport(let sr):
                [.senderInfo(ssrc: sr.ssrc, sr.senderInfo)] + sr.reportBlocks.map { .reportBlock(reporter: sr.ssrc, $0) }
            case .receiverReport(let rr): rr.reportBlocks.map { .reportBlock(reporter: rr.ssrc, $0) }
            case .goodbye(let bye): bye.ssrcs.map { .goodbye(ssrc: $0) }
            default: []
            }
        }
    }

    @Test func writtenReportScansToItsFields() throws {
        let info = RTCPSenderInfo(ntpTimestamp: NTPTimestamp(seconds: 5, fraction: 6), rtpTimestamp: 7, packetCount: 8, octetCount: 9)
        var report = RTCPCompoundReport(ssrc: 42, cname: try #require(RTCPCName("box")), senderInfo: info, goodbye: true)
        let block = RTCPReportBlock(ssrc: 43, fractionLost: 1, cumulativeLost: -2, extendedHighestSequence: 3, jitter: 4,
                                    lastSR: 0xB705_2000, delaySinceLastSR: 0x0005_4000)
        report.appendReportBlock(block)
        var buffer = [UInt8](repeating: 0, count: report.byteCount)
        _ = buffer.withUnsafeMutableBytes { report.write(into: $0) }
        let result = Self.scan(buffer)
        #expect(result.error == nil)
        #expect(result.items == [.senderInfo(ssrc: 42, info), .reportBlock(reporter: 42, block), .goodbye(ssrc: 42)])
    }

    @Test func invalidCompoundCallsNothingAndSaysWhy() {
        let rr: [UInt8] = [0x81, 0xC9, 0x00, 0x07, 0, 0, 0, 1] + Array(repeating: 0, count: 24)
        let r1 = Self.scan(rr + [0xA1, 0xCB, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 4] + [0x81, 0xCB, 0x00, 0x01, 0, 0, 0, 1])
        #expect(r1.error == .paddingNotLast(offset: 32) && r1.items.isEmpty, "the valid RR before it is not reported")
        #expect(Self.scan(rr + [0x80]).error == .lengthMismatch(offset: 32))
        #expect(Self.scan([0x81, 0xCA, 0x00, 0x01, 0, 0, 0, 1]).error == .firstPacketNotReport(packetType: 202, padded: false))
        #expect(Self.scan([0x82, 0xC9, 0x00, 0x07, 0, 0, 0, 1] + Array(repeating: 0, count: 24)).error == .malformedPacket(offset: 0, packetType: 201))
    }

    @Test func agreesWithTheParserOnRandomCompounds() {
        var g = SeededGenerator(seed: 11)
        var agreedValid = 0
        for _ in 0..<20_000 {
            // Random packets with plausible headers so many pass.
            var bytes: [UInt8] = []
            for i in 0..<Int.random(in: 1...3, using: &g) {
                let type: UInt8 = i == 0 ? [200, 201].randomElement(using: &g)! : [200, 201, 202, 203, 204].randomElement(using: &g)!
                let count = UInt8.random(in: 0...2, using: &g)
                let words = Int.random(in: 1...14, using: &g)
                bytes += [0x80 | count, type, 0, UInt8(words)]
                bytes += (0..<(words * 4)).map { _ in UInt8.random(in: 0...3, using: &g) }
            }
            let scanned = Self.scan(bytes)
            let parsed = Result { try RTCPCompound.parse(bytes) }
            switch parsed {
            case .success(let packets):
                #expect(scanned.error == nil)
                #expect(scanned.items == Self.expectedItems(packets))
                agreedValid += 1
            case .failure:
                // The parser also checks SDES chunk structure, which the scanner skips.
                if scanned.error == nil { #expect(bytes.contains(202)) }
            }
        }
        #expect(agreedValid > 1_000)
    }
}
