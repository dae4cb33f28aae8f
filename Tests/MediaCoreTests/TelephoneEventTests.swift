// TelephoneEventTests: RFC 4733 payload parse/write and one report per key press (RFC 4733 §2.3, §2.5).
import Testing
@testable import MediaCore

@Suite struct TelephoneEventTests {
    @Test func payloadFieldsFollowSection2_3() throws {
        // Event 5, E=1, R=0, volume 10, duration 800.
        let bytes: [UInt8] = [0x05, 0x8A, 0x03, 0x20]
        let e = try #require(withBytes(bytes) { TelephoneEvent.parse($0) })
        #expect(e == TelephoneEvent(event: 5, end: true, volume: 10, duration: 800))
        var out = [UInt8](repeating: 0, count: 4)
        let n = out.withUnsafeMutableBytes { e.write(into: $0) }
        #expect(n == 4)
        #expect(out == bytes)
        // The reserved bit is ignored on receipt; volume keeps six bits.
        let r = try #require(withBytes([0x0B, 0x7F, 0xFF, 0xFF]) { TelephoneEvent.parse($0) })
        #expect(r.event == 11 && !r.end && r.volume == 63 && r.duration == 0xFFFF)
        #expect(withBytes([0x05, 0x8A, 0x03]) { TelephoneEvent.parse($0) } == nil)
        var short = [UInt8](repeating: 0xAA, count: 3)
        let m = short.withUnsafeMutableBytes { e.write(into: $0) }
        #expect(m == 0 && short == [0xAA, 0xAA, 0xAA])
        #expect(TelephoneEvent(event: 10, duration: 0).dtmfCharacter == "*")
        #expect(TelephoneEvent(event: 11, duration: 0).dtmfCharacter == "#")
        #expect(TelephoneEvent(event: 13, duration: 0).dtmfCharacter == "B")
        #expect(TelephoneEvent(event: 7, duration: 0).dtmfCharacter == "7")
        #expect(TelephoneEvent(event: 16, duration: 0).dtmfCharacter == nil)
    }

    /// The packets a sender emits for one key press (§2.5.1): updates every 20 ms, then the end three times.
    static func press(_ digit: UInt8, updates: Int, step: UInt16 = 160) -> [TelephoneEvent] {
        var packets = (1...updates).map { TelephoneEvent(event: digit, duration: UInt16($0) * step) }
        let final = UInt16(updates + 1) * step
        packets += Array(repeating: TelephoneEvent(event: digit, end: true, duration: final), count: 3)
        return packets
    }

    @Test func eachPressIsReportedOnceAtItsEndDespiteThreeEndPackets() {
        var tracker = TelephoneEventTracker()
        var reports: [(event: UInt8, durationMs: Int, ended: Bool)] = []
        for (digit, ts) in [(UInt8(1), UInt32(1000)), (2, 5000), (2, 9000), (11, 13000)] {
            for packet in Self.press(digit, updates: 5) {
                if let r = tracker.receive(packet, rtpTimestamp: ts) { reports.append(r) }
            }
        }
        #expect(reports.map(\.event) == [1, 2, 2, 11], "the same digit twice is two presses (new timestamp)")
        #expect(reports.allSatisfy { $0.ended && $0.durationMs == 120 }, "6 × 160 units at 8 kHz = 120 ms")
    }

    @Test func timestampWrapStartsANewEventAndLateOldPacketsAreIgnored() {
        var tracker = TelephoneEventTracker()
        var reports: [UInt8] = []
        let before: UInt32 = 0xFFFF_FF00
        let after: UInt32 = 0x0000_0200   // after the 32-bit wrap
        for p in Self.press(3, updates: 2) { if let r = tracker.receive(p, rtpTimestamp: before) { reports.append(r.event) } }
        for p in Self.press(4, updates: 2) { if let r = tracker.receive(p, rtpTimestamp: after) { reports.append(r.event) } }
        // A retransmitted end of the old event arriving late.
        if let r = tracker.receive(TelephoneEvent(event: 3, end: true, duration: 480), rtpTimestamp: before) { reports.append(r.event) }
        #expect(reports == [3, 4])
    }

    @Test func pressWhoseEndIsLostIsReportedWhenTheNextBegins() throws {
        var tracker = TelephoneEventTracker()
        for d: UInt16 in [160, 320, 480] {
            let x1 = tracker.receive(TelephoneEvent(event: 5, duration: d), rtpTimestamp: 100)
            #expect(x1 == nil)
        }
        let x2 = tracker.receive(TelephoneEvent(event: 6, duration: 160), rtpTimestamp: 2000)
        let r = try #require(x2)
        #expect(r.event == 5 && !r.ended && r.durationMs == 60)
        var last: (event: UInt8, durationMs: Int, ended: Bool)?
        for p in [TelephoneEvent(event: 6, end: true, duration: 400), TelephoneEvent(event: 6, end: true, duration: 400)] {
            if let x = tracker.receive(p, rtpTimestamp: 2000) { last = x }
        }
        #expect(last?.event == 6 && last?.ended == true && last?.durationMs == 50)
        let x3 = tracker.flush()
        #expect(x3 == nil, "already reported")
    }

    @Test func flushReportsAnUnendedPressOnce() throws {
        var tracker = TelephoneEventTracker()
        let x4 = tracker.receive(TelephoneEvent(event: 9, duration: 800), rtpTimestamp: 7)
        #expect(x4 == nil)
        let x5 = tracker.flush()
        let r = try #require(x5)
        #expect(r.event == 9 && !r.ended && r.durationMs == 100)
        let x6 = tracker.flush()
        #expect(x6 == nil)
        let x7 = tracker.receive(TelephoneEvent(event: 9, end: true, duration: 960), rtpTimestamp: 7)
        #expect(x7 == nil, "late end of a flushed press")
    }

    @Test func aPressSeenOnlyByItsEndPacketsCountsOnce() {
        var tracker = TelephoneEventTracker()
        var count = 0
        for _ in 0..<3 where tracker.receive(TelephoneEvent(event: 0, end: true, duration: 800), rtpTimestamp: 44) != nil { count += 1 }
        #expect(count == 1)
    }

    @Test func longEventSegmentsContinueOnePress() throws {
        // §2.5.1.3: a segment's timestamp is the previous one's plus its duration. Here at 16 kHz.
        var tracker = TelephoneEventTracker(clockRate: 16000)
        let x8 = tracker.receive(TelephoneEvent(event: 1, duration: 30000), rtpTimestamp: 500)
        #expect(x8 == nil)
        let x9 = tracker.receive(TelephoneEvent(event: 1, duration: 65535), rtpTimestamp: 500)
        #expect(x9 == nil)
        let x10 = tracker.receive(TelephoneEvent(event: 1, duration: 320), rtpTimestamp: 500 + 65535)
        #expect(x10 == nil, "next segment")
        let x11 = tracker.receive(TelephoneEvent(event: 1, end: true, duration: 16465), rtpTimestamp: 500 + 65535)
        let r = try #require(x11)
        #expect(r.event == 1 && r.ended && r.durationMs == (65535 + 16465) * 1000 / 16000)
    }

    @Test func changeOfEventCodeUnderTheSameTimestampIsANewPress() {
        var tracker = TelephoneEventTracker()
        var events: [UInt8] = []
        for p in [TelephoneEvent(event: 1, end: true, duration: 160), TelephoneEvent(event: 2, end: true, duration: 160)] {
            if let r = tracker.receive(p, rtpTimestamp: 10) { events.append(r.event) }
        }
        #expect(events == [1, 2])
    }
}
