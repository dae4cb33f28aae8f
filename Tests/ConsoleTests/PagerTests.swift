// PagerTests: --More-- paging at the terminal height: space, enter, q, Ctrl-C, wrapped lines.
import Testing
@testable import Console

@Suite struct PagerTests {
    func lines(_ n: Int) -> [[UInt8]] { (1...n).map { Array("l\($0)".utf8) } }
    func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    @Test func shortOutputIsNotPaged() {
        var p = Pager(height: 5)
        var out: [UInt8] = []
        #expect(p.start(lines(4), into: &out) == false)
        #expect(text(out) == "l1\r\nl2\r\nl3\r\nl4\r\n")
    }

    @Test func spacePagesEnterStepsQStops() {
        var p = Pager(height: 4)
        var out: [UInt8] = []
        #expect(p.start(lines(10), into: &out) == true)
        #expect(text(out) == "l1\r\nl2\r\nl3\r\n--More--")
        out = []
        #expect(p.feed(0x0D, into: &out) == false)
        #expect(text(out) == "\r\u{1B}[Kl4\r\n--More--")
        out = []
        #expect(p.feed(0x78, into: &out) == false)   // other keys: ignored
        #expect(out.isEmpty)
        #expect(p.feed(0x20, into: &out) == false)
        #expect(text(out) == "\r\u{1B}[Kl5\r\nl6\r\nl7\r\n--More--")
        out = []
        #expect(p.feed(0x71, into: &out) == true)
        #expect(text(out) == "\r\u{1B}[K")
        #expect(!p.waiting)
    }

    @Test func ctrlCStopsAndTheLastPageEnds() {
        var p = Pager(height: 3)
        var out: [UInt8] = []
        _ = p.start(lines(5), into: &out)
        #expect(p.feed(0x03, into: &out) == true)
        out = []
        _ = p.start(lines(3), into: &out)
        #expect(p.feed(0x20, into: &out) == true)
        #expect(text(out).hasSuffix("\r\u{1B}[Kl3\r\n"))
    }

    @Test func wrappedLinesCountTheirRowsAndZeroHeightDisablesPaging() {
        var p = Pager(height: 4, width: 10)
        var out: [UInt8] = []
        let long = [UInt8](repeating: 0x61, count: 25)   // three rows
        #expect(p.start([long, Array("b".utf8), Array("c".utf8)], into: &out) == true)
        #expect(text(out) == String(repeating: "a", count: 25) + "\r\n--More--")
        var q = Pager(height: 0)
        out = []
        #expect(q.start(lines(500), into: &out) == false)
    }
}

@Suite("Console text lines")
struct ConsoleTextLineTests {
    @Test func crlfRowsPrintWithoutAStrayQuestionMark() {
        // A CSV export ends every row with CR LF, the last one too.
        let lines = ConsoleText.lines("a,b\r\nc,d\r\n")
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == ["a,b", "c,d"])
    }

    @Test func aLoneControlByteIsStillShownAsAQuestionMark() {
        #expect(ConsoleText.lines("x\u{07}y\n").map { String(decoding: $0, as: UTF8.self) } == ["x?y"])
    }
}
