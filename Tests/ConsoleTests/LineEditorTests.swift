// LineEditorTests: every key of the line editor, escape sequences split across reads, history, limits.
import Testing
@testable import Console

/// Drives a LineEditor with bytes; collects output and events.
struct EditorRig {
    var editor: LineEditor
    var out: [UInt8] = []
    var events: [EditorEvent] = []

    init(prompt: String = "> ", echo: Bool = true, maxLength: Int = 512, historyLimit: Int = 50) {
        editor = LineEditor(maxLength: maxLength, historyLimit: historyLimit)
        editor.begin(prompt: prompt, echo: echo, into: &out)
        out = []
    }

    mutating func type(_ s: String) { type(Array(s.utf8)) }

    mutating func type(_ bytes: [UInt8]) {
        for b in bytes {
            if let e = editor.feed(b, into: &out) { events.append(e) }
        }
    }

    /// Output so far as text, then cleared.
    mutating func take() -> String {
        defer { out = [] }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func restart() {
        editor.begin(prompt: "> ", into: &out)
        out = []
    }

    var lines: [String] {
        events.compactMap { if case .line(let b) = $0 { return String(decoding: b, as: UTF8.self) } else { return nil } }
    }
}

@Suite struct LineEditorTests {
    @Test func printableCharactersEchoAndEndWithEnter() {
        var r = EditorRig()
        r.type("show")
        #expect(r.take() == "show")
        r.type("\r")
        #expect(r.take() == "\r\n")
        #expect(r.lines == ["show"])
        #expect(!r.editor.active)
    }

    @Test func crLfAndCrLfEachEndOneLine() {
        for ending in ["\r", "\n", "\r\n"] {
            var r = EditorRig()
            r.type("a" + ending)
            r.restart()
            r.type("b" + ending)
            r.restart()
            r.type("c" + ending)
            #expect(r.lines == ["a", "b", "c"], "ending \(Array(ending.utf8))")
        }
        var r = EditorRig()
        r.type("\r")
        r.restart()
        r.type("\n")   // the LF of a CR LF: no second (empty) line
        #expect(r.lines == [""])
        r.restart()
        r.type("\n")   // a lone LF now ends a line
        #expect(r.lines == ["", ""])
    }

    @Test func insertInTheMiddleRedrawsTheTail() {
        var r = EditorRig()
        r.type("shw")
        _ = r.take()
        r.type("\u{1B}[D")
        #expect(r.take() == "\u{8}")
        r.type("o")
        #expect(r.take() == "ow\u{8}")
        #expect(r.editor.text == "show" && r.editor.cursor == 3)
    }

    @Test func arrowsInBothEncodingsHomeEndAndControlKeys() {
        var r = EditorRig()
        r.type("abcdef")
        _ = r.take()
        r.type("\u{1B}OD\u{1B}OD")          // SS3 left twice
        #expect(r.editor.cursor == 4)
        r.type("\u{1B}[C")                  // CSI right
        #expect(r.editor.cursor == 5)
        #expect(r.take() == "\u{8}\u{8}e")
        r.type("\u{1B}[H")
        #expect(r.editor.cursor == 0)
        #expect(r.take() == "\u{1B}[5D")
        r.type("\u{1B}[F")
        #expect(r.editor.cursor == 6)
        #expect(r.take() == "abcdef")
        r.type("\u{01}")                    // Ctrl-A
        #expect(r.editor.cursor == 0)
        r.type("\u{05}")                    // Ctrl-E
        #expect(r.editor.cursor == 6)
        r.type("\u{1B}[1~")
        #expect(r.editor.cursor == 0)
        r.type("\u{1B}[4~")
        #expect(r.editor.cursor == 6)
        r.type("\u{02}\u{02}\u{06}")        // Ctrl-B twice, Ctrl-F
        #expect(r.editor.cursor == 5)
    }

    @Test func backspaceBothCodesAndDelete() {
        var r = EditorRig()
        r.type("abcd")
        _ = r.take()
        r.type([0x7F])
        #expect(r.editor.text == "abc")
        #expect(r.take() == "\u{8}\u{1B}[K")
        r.type([0x08])
        #expect(r.editor.text == "ab")
        r.type("\u{1B}[D")
        _ = r.take()
        r.type("\u{1B}[3~")                 // Delete under the cursor
        #expect(r.editor.text == "a")
        #expect(r.take() == "\u{1B}[K")
        r.type("\u{01}")
        r.type([0x7F])                      // backspace at the start does nothing
        #expect(r.editor.text == "a")
    }

    @Test func killKeys() {
        var r = EditorRig()
        r.type("show cdr last")
        r.type("\u{17}")                     // Ctrl-W: delete the word before the cursor
        #expect(r.editor.text == "show cdr ")
        r.type("\u{17}")
        #expect(r.editor.text == "show ")
        r.type("calls\u{01}\u{06}\u{06}")   // cursor after "sh"
        r.type("\u{0B}")                     // Ctrl-K: kill to end
        #expect(r.editor.text == "sh")
        r.type("\u{15}")                     // Ctrl-U: kill the line
        #expect(r.editor.text == "" && r.editor.cursor == 0)
    }

    @Test func ctrlLRedrawsPromptAndLine() {
        var r = EditorRig()
        r.type("abc\u{02}")
        _ = r.take()
        r.type("\u{0C}")
        #expect(r.take() == "\r\n> abc\u{8}")
    }

    @Test func historyUpDownWithoutRepeatsAndKeepsTheDraft() {
        var r = EditorRig(historyLimit: 3)
        for l in ["one", "two", "two", "three", "four"] {
            r.type(l + "\r")
            r.restart()
        }
        #expect(r.editor.history.map { String(decoding: $0, as: UTF8.self) } == ["two", "three", "four"])
        r.type("dra")
        r.type("\u{1B}[A")
        #expect(r.editor.text == "four")
        r.type("\u{1B}[A\u{1B}[A\u{1B}[A")
        #expect(r.editor.text == "two")
        r.type("\u{1B}[B")
        #expect(r.editor.text == "three")
        r.type("\u{0E}\u{0E}")               // Ctrl-N twice: back to the draft
        #expect(r.editor.text == "dra")
        r.type("\u{10}")                     // Ctrl-P
        #expect(r.editor.text == "four")
    }

    @Test func linesCarryingASecretNeverEnterTheHistory() {
        var r = EditorRig()
        for l in ["channels 4", "password Sales-Secret-1", "  PASSWORD x", "no password", "registrar sip.example.net"] {
            r.type(l + "\r")
            r.restart()
        }
        let history = r.editor.history.map { String(decoding: $0, as: UTF8.self) }
        #expect(history == ["channels 4", "registrar sip.example.net"])
        #expect(r.lines.contains("password Sales-Secret-1"), "the line itself still goes to the session")
        r.type("\u{1B}[A\u{1B}[A\u{1B}[A")
        #expect(r.editor.text == "channels 4", "Up never brings the password back")
    }

    @Test func tabAndQuestionMarkAreEvents() {
        var r = EditorRig()
        r.type("sh\t")
        #expect(r.events == [.complete("sh")])
        r.type("ow c\u{02}?")
        #expect(r.events.last == .help("show "))
        #expect(r.editor.text == "show c", "? is not inserted")
        #expect(r.take().hasSuffix("c?\r\n"), "moves to the end, writes ?, goes to the next row")
    }

    @Test func ctrlCAbandonsAndCtrlDLeavesOnlyOnAnEmptyLine() {
        var r = EditorRig()
        r.type("show\u{03}")
        #expect(r.events == [.interrupt])
        #expect(r.take().hasSuffix("^C\r\n"))
        r.restart()
        r.type("ab\u{02}\u{04}")
        #expect(r.editor.text == "a")
        r.type("\u{01}\u{04}\u{04}")
        #expect(r.events == [.interrupt, .endOfInput])
    }

    @Test func passwordModeEchoesNothing() {
        var r = EditorRig(prompt: "Password: ", echo: false)
        r.type("s3cret?x\u{7F}\u{1B}[D\t")
        #expect(r.take() == "")
        r.type("\r")
        #expect(r.take() == "\r\n")
        #expect(r.lines == ["s3cret?"])
        #expect(r.editor.history.isEmpty, "passwords never enter the history")
    }

    @Test func lineLengthIsBounded() {
        var r = EditorRig(maxLength: 5)
        r.type("abcdefgh")
        #expect(r.editor.text == "abcde")
        #expect(r.take() == "abcde\u{7}\u{7}\u{7}")
        r.editor.insert("xyz", into: &r.out)
        #expect(r.editor.text == "abcde")
    }

    @Test func escapeSequencesSplitAcrossReadsAndUnknownOnesLeaveNoGarbage() {
        var r = EditorRig()
        r.type("ab")
        for b in Array("\u{1B}[D".utf8) { r.type([b]) }   // one byte per read
        #expect(r.editor.cursor == 1)
        _ = r.take()
        r.type("\u{1B}[15~")                             // F5: unknown
        r.type("\u{1B}[1;5C")                            // Ctrl-Right: unknown
        r.type("\u{1B}[?25h")                            // private mode: unknown
        r.type("\u{1B}[1234567890123456789~")            // over-long parameters
        r.type("\u{1B}OP")                               // F1 (SS3)
        r.type("\u{1B}x")                                // Alt-x
        r.type([0x1B, 0x1B, 0x5B, 0x43])                 // ESC ESC [ C: right once
        #expect(r.editor.text == "ab")
        #expect(r.editor.cursor == 2)
        #expect(r.take() == "b")
        r.type([0xC3, 0xA9, 0x80, 0xFF, 0x00, 0x07])     // 8-bit bytes and stray controls are ignored
        #expect(r.editor.text == "ab")
        r.type([0x1B, 0x5B, 0x0D])                       // CR aborts a sequence and still ends the line
        #expect(r.lines == ["ab"])
    }
}
