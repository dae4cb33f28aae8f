// RTPStreamRewriterTests: one continuous outgoing stream across a change of incoming SSRC (RFC 3550 §5.1, §8.2).
import Testing
@testable import MediaCore

@Suite struct RTPStreamRewriterTests {
    static func packet(_ ssrc: UInt32, _ seq: UInt16, _ ts: UInt32, marker: Bool = false) -> RTPHeader {
        RTPHeader(marker: marker, payloadType: 0, sequence: seq, timestamp: ts, ssrc: ssrc, payloadLength: 160)
    }

    @Test func firstSourceKeepsItsSpacingUnderTheNewOrigin() {
        var w = RTPStreamRewriter(outgoingSSRC: 0xB0B0_B0B0, initialSequence: 5000, initialTimestamp: 1_000_000)
        var out: [RTPHeader] = []
        for (seq, ts) in [(UInt16(100), UInt32(8000)), (101, 8160), (103, 8480), (102, 8320)] {
            var h = Self.packet(0xA, seq, ts)
            w.rewrite(&h, arrival: ts)
            out.append(h)
        }
        #expect(out.map(\.ssrc).allSatisfy { $0 == 0xB0B0_B0B0 })
        #expect(out.map(\.sequence) == [5000, 5001, 5003, 5002], "gap and reordering pass through")
        #expect(out.map(\.timestamp) == [1_000_000, 1_000_160, 1_000_480, 1_000_320])
        #expect(!out.contains { $0.marker })
    }

    @Test func sourceChangeContinuesSequenceAndTimestampByElapsedTime() {
        var w = RTPStreamRewriter(outgoingSSRC: 77, initialSequence: 65534, initialTimestamp: 0xFFFF_FF00)
        var arrival: UInt32 = 0x1000
        var sent: [RTPHeader] = []
        for i in 0..<3 {
            var h = Self.packet(0x1111, 40000 &+ UInt16(i), 123_456 &+ UInt32(i) * 160)
            w.rewrite(&h, arrival: arrival)
            sent.append(h)
            arrival &+= 160
        }
        #expect(sent.map(\.sequence) == [65534, 65535, 0], "wraps")
        #expect(sent.last?.timestamp == 0xFFFF_FF00 &+ 320)
        // Re-INVITE: a new source with unrelated numbers, 1 s (8000 units) after the last packet.
        let lastArrival = arrival &- 160
        var h = Self.packet(0x2222, 7, 999)
        w.rewrite(&h, arrival: lastArrival &+ 8000)
        #expect(h.ssrc == 77 && h.sequence == 1, "highest sent + 1")
        #expect(h.timestamp == 0xFFFF_FF00 &+ 320 &+ 8000, "advanced by the elapsed time")
        #expect(h.marker, "talkspurt start after the change")
        var h2 = Self.packet(0x2222, 8, 1159)
        w.rewrite(&h2, arrival: lastArrival &+ 8160)
        #expect(h2.sequence == 2 && h2.timestamp == h.timestamp &+ 160 && !h2.marker)
        // A late packet of the old source keeps the old mapping and does not re-anchor.
        var late = Self.packet(0x1111, 40001, 123_456 + 160)
        w.rewrite(&late, arrival: lastArrival &+ 8200)
        #expect(late.sequence == 65535 && late.timestamp == 0xFFFF_FF00 &+ 160 && late.ssrc == 77)
        var h3 = Self.packet(0x2222, 9, 1319)
        w.rewrite(&h3, arrival: lastArrival &+ 8320)
        #expect(h3.sequence == 3 && h3.timestamp == h.timestamp &+ 320 && !h3.marker)
    }

    @Test func backToBackSourceChangesStillMoveForward() {
        var w = RTPStreamRewriter(outgoingSSRC: 1, initialSequence: 10, initialTimestamp: 1000)
        var a = Self.packet(0xA, 500, 50)
        w.rewrite(&a, arrival: 100)
        var b = Self.packet(0xB, 9, 9)
        w.rewrite(&b, arrival: 100)   // same arrival instant: timestamp still advances
        #expect(b.sequence == 11 && b.timestamp == 1001)
    }

    @Test func inPlaceRewriteWritesTheBuffer() throws {
        var w = RTPStreamRewriter(outgoingSSRC: 0xDEAD_BEEF, initialSequence: 1, initialTimestamp: 2)
        var bytes: [UInt8] = [0x80, 0x00, 0x12, 0x34, 0, 0, 0x10, 0, 0, 0, 0, 5] + Array(repeating: 0xFF, count: 160)
        let header = try #require(rtp(bytes))
        let written = bytes.withUnsafeMutableBytes { w.rewrite(packet: $0, header: header, arrival: 0) }
        let back = try #require(rtp(bytes))
        #expect(back == written)
        #expect(back.ssrc == 0xDEAD_BEEF && back.sequence == 1 && back.timestamp == 2 && !back.marker)
        var next: [UInt8] = [0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 6] + Array(repeating: 0xFF, count: 160)
        let h2 = try #require(rtp(next))
        _ = next.withUnsafeMutableBytes { w.rewrite(packet: $0, header: h2, arrival: 400) }
        let back2 = try #require(rtp(next))
        #expect(back2.marker && back2.sequence == 2 && back2.timestamp == 402 && back2.payloadType == 0)
        #expect(Array(next[12...]) == Array(repeating: 0xFF, count: 160))
    }
}
