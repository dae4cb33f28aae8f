// RTPHeaderTests: RTP header parsing with CSRC, extension and padding, malformed packets, field writers, demux and PT map (RFC 3550 §5.1, §5.3.1, A.1; RFC 5761 §4).
import Testing
@testable import MediaCore

@Suite struct RTPHeaderTests {
    /// V=2 P=0 X=0 CC=0, M=1 PT=0, seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304, 160 octets of payload.
    static let plain: [UInt8] = [0x80, 0x80, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04]
        + Array(repeating: 0xFF, count: 160)

    @Test func fixedHeaderFieldsAreReadBigEndian() throws {
        let h = try #require(rtp(Self.plain))
        #expect(h.marker && h.payloadType == 0)
        #expect(h.sequence == 0x1234 && h.timestamp == 0xDEAD_BEEF && h.ssrc == 0x0102_0304)
        #expect(h.headerLength == 12 && h.payloadLength == 160 && h.csrcCount == 0 && !h.hasExtension && h.paddingLength == 0)
    }

    @Test func markerAndSevenBitPayloadTypeAreSeparate() throws {
        var bytes = Self.plain
        bytes[1] = 0x7F   // M=0, PT=127
        let h = try #require(rtp(bytes))
        #expect(!h.marker && h.payloadType == 127)
        bytes[1] = 0x88   // M=1, PT=8
        let h2 = try #require(rtp(bytes))
        #expect(h2.marker && h2.payloadType == 8)
    }

    @Test func csrcListLengthensTheHeader() throws {
        // CC=2: two CSRC words after the fixed header, then 4 octets of payload.
        let bytes: [UInt8] = [0x82, 0x08, 0, 1, 0, 0, 0, 160, 0, 0, 0, 9, 0xAA, 0xAA, 0xAA, 0xAA, 0xBB, 0xBB, 0xBB, 0xBB, 1, 2, 3, 4]
        let h = try #require(rtp(bytes))
        #expect(h.csrcCount == 2 && h.headerLength == 20 && h.payloadLength == 4 && h.payloadType == 8 && h.ssrc == 9)
    }

    @Test func extensionLengthIsCountedInWordsAfterItsOwnHeader() throws {
        // CC=1, X=1: fixed 12 + CSRC 4 + extension header 4 (profile 0xBEDE, length 2) + 8 octets; payload 3.
        let bytes: [UInt8] = [0x91, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 7,
                              0xBE, 0xDE, 0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 0x55, 0x55, 0x55]
        let h = try #require(rtp(bytes))
        #expect(h.hasExtension && h.csrcCount == 1 && h.headerLength == 28 && h.payloadLength == 3)
    }

    @Test func paddingIsExcludedFromThePayload() throws {
        // P=1: 5 octets of payload then 3 octets of padding whose last octet is the count 3.
        let bytes: [UInt8] = [0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 0, 0, 3]
        let h = try #require(rtp(bytes))
        #expect(h.paddingLength == 3 && h.payloadLength == 5 && h.headerLength == 12)
        // Padding that fills everything after the header leaves an empty payload, which is valid.
        let allPadding: [UInt8] = [0xA0, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 4]
        #expect(rtp(allPadding)?.payloadLength == 0)
    }

    @Test func malformedPacketsAreRefusedWithoutTrapping() {
        #expect(rtp(Array(Self.plain.prefix(11))) == nil, "shorter than the fixed header")
        #expect(rtp([]) == nil)
        for version: UInt8 in [0, 1, 3] {
            var bytes = Self.plain
            bytes[0] = version << 6
            #expect(rtp(bytes) == nil, "version \(version)")
        }
        // CC=15 needs 72 octets of header; a 20-octet packet cannot hold it.
        #expect(rtp([0x8F, 0] + Array(repeating: 0, count: 18)) == nil, "CSRC count overflows the packet")
        // X set but no room for the extension header.
        #expect(rtp([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE]) == nil)
        // Extension length (0x0100 words) past the end.
        #expect(rtp([0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0x01, 0x00, 1, 2, 3, 4]) == nil)
        // Padding count longer than what follows the header, zero, or P set with nothing after the header.
        #expect(rtp([0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 5]) == nil, "padding 5 > 4 octets")
        #expect(rtp([0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 0]) == nil, "padding count 0")
        #expect(rtp([0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]) == nil, "P set, no octets after the header")
        #expect(rtp([0xB0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 0, 0xFF]) == nil, "padding reaching into the extension")
    }

    @Test func randomBytesNeverTrapAndAcceptedHeadersStayInsideThePacket() {
        var g = SeededGenerator(seed: 0x5EED)
        var accepted = 0
        for _ in 0..<50_000 {
            let n = Int.random(in: 0...64, using: &g)
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
            if n > 0, Bool.random(using: &g) { bytes[0] = 0x80 | (bytes[0] & 0x3F) }   // version 2 half the time
            if let h = rtp(bytes) {
                accepted += 1
                #expect(h.headerLength + h.payloadLength + h.paddingLength == n)
                #expect(h.headerLength >= 12 && h.payloadLength >= 0)
            }
        }
        #expect(accepted > 1_000, "the generator reaches the accepting paths")
    }

    @Test func headerWriterRoundTripsThroughTheParser() throws {
        let h = RTPHeader(marker: true, payloadType: 101, sequence: 65535, timestamp: 0xFFFF_FFFF, ssrc: 0xCAFE_BABE)
        var buffer = [UInt8](repeating: 0xEE, count: 16)
        let n = buffer.withUnsafeMutableBytes { RTPWrite.writeHeader(h, into: $0) }
        #expect(n == 12)
        #expect(Array(buffer.prefix(12)) == [0x80, 0xE5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xCA, 0xFE, 0xBA, 0xBE])
        #expect(Array(buffer.suffix(4)) == [0xEE, 0xEE, 0xEE, 0xEE], "nothing written past the header")
        var back = try #require(rtp(buffer))
        #expect(back.payloadLength == 4)
        back.payloadLength = 0
        #expect(back == h)
    }

    @Test func fieldWritersChangeOnlyTheirField() throws {
        var bytes = Self.plain
        bytes.withUnsafeMutableBytes { p in
            RTPWrite.setPayloadType(p, 0x88)   // only seven bits are used: 8
            RTPWrite.setSequence(p, 0xBEEF)
            RTPWrite.setTimestamp(p, 0x0102_0304)
            RTPWrite.setSSRC(p, 0xA0B0_C0D0)
        }
        var h = try #require(rtp(bytes))
        #expect(h.payloadType == 8 && h.marker, "marker kept when PT changes")
        #expect(h.sequence == 0xBEEF && h.timestamp == 0x0102_0304 && h.ssrc == 0xA0B0_C0D0)
        _ = bytes.withUnsafeMutableBytes { p in RTPWrite.setMarker(p, false) }
        h = try #require(rtp(bytes))
        #expect(!h.marker && h.payloadType == 8, "PT kept when the marker changes")
        #expect(Array(bytes[12...]) == Array(Self.plain[12...]), "payload untouched")
    }

    @Test func writersRefuseShortBuffersAndWriteNothing() {
        var short = [UInt8](repeating: 0x11, count: 11)
        let results = short.withUnsafeMutableBytes { p in
            [RTPWrite.setPayloadType(p, 0), RTPWrite.setMarker(p, true), RTPWrite.setSequence(p, 1),
             RTPWrite.setTimestamp(p, 1), RTPWrite.setSSRC(p, 1)]
        }
        #expect(results == [false, false, false, false, false])
        let n = short.withUnsafeMutableBytes { RTPWrite.writeHeader(RTPHeader(payloadType: 0, sequence: 0, timestamp: 0, ssrc: 0), into: $0) }
        #expect(n == 0 && short == [UInt8](repeating: 0x11, count: 11))
    }

    @Test func demuxUsesTheRFC5761Range() {
        func isRTCP(_ second: UInt8) -> Bool { withBytes([0x80, second, 0, 0]) { RTPDemux.isRTCP($0) } }
        #expect(isRTCP(200) && isRTCP(201) && isRTCP(192) && isRTCP(223))
        #expect(!isRTCP(191) && !isRTCP(224), "edges of 192...223")
        #expect(!isRTCP(0x00) && !isRTCP(0x80) && !isRTCP(0x08) && !isRTCP(0xE5), "PCMU, PCMU+M, PCMA, PT 101+M")
        #expect(!withBytes([0x80]) { RTPDemux.isRTCP($0) })
    }

    @Test func payloadTypeMapDropsByDefaultAndMapsWhatIsSet() {
        var map = PayloadTypeMap()
        for pt in UInt8(0)...255 { #expect(map[pt] == nil) }
        map[0] = 8
        map[101] = 96
        map[127] = 0
        #expect(map[0] == 8 && map[101] == 96 && map[127] == 0 && map[1] == nil && map[100] == nil)
        map[101] = nil
        #expect(map[101] == nil)
        map[200] = 5
        #expect(map[200] == nil, "only 0...127 exist")
        map[5] = 200
        #expect(map[5] == nil, "an outgoing value above 127 drops")
        let identity = PayloadTypeMap.identity
        #expect((0..<128).allSatisfy { identity[UInt8($0)] == UInt8($0) })
        var other = PayloadTypeMap()
        other[0] = 8
        other[127] = 0
        #expect(map == other && map != identity)
        #expect(MemoryLayout<PayloadTypeMap>.size == 128, "fixed inline storage")
    }
}
