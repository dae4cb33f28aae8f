// BoardProfile tests: the shipped profile, overrides, board names, and many bad files (each refused with its line).
import Foundation
import LineCore
import Testing

private let good = """
    trunkbox-board 1
    # a comment line
    description Test board  with   spaces
    chip gpiochip0
    audio hw:1
    pin hook-relay 17
    pin ring-detect 27 active-low   # trailing comment
    pin reset-button 3 chip gpiochip1 active-low
    """

@Suite struct BoardProfileTests {
    @Test func parsesAGoodProfile() throws {
        let profile = try BoardProfile.parse(good)
        #expect(profile.format == 1)
        #expect(profile.description == "Test board with spaces")
        #expect(profile.chip == "gpiochip0")
        #expect(profile.audioDevice == "hw:1")
        #expect(profile.pin(.hookRelay) == BoardPin(role: .hookRelay, chip: "gpiochip0", offset: 17))
        #expect(profile.pin(.ringDetect) == BoardPin(role: .ringDetect, chip: "gpiochip0", offset: 27, activeLow: true))
        #expect(profile.pin(.resetButton) == BoardPin(role: .resetButton, chip: "gpiochip1", offset: 3, activeLow: true))
        #expect(profile.pin(.polarity) == nil)
        #expect(profile.allPins.map(\.role) == [.hookRelay, .ringDetect, .resetButton])
    }

    @Test func crlfLineEndsAndTabsAreFine() throws {
        let profile = try BoardProfile.parse("trunkbox-board 1\r\nchip\tgpiochip2\r\npin hook-relay 1\r\npin ring-detect 2\r\n")
        #expect(profile.pin(.ringDetect)?.chip == "gpiochip2")
    }

    @Test func theShippedProfileParses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = try #require(BoardProfile.relativePath(forBoard: "generic-fxo"))
        let text = try String(contentsOf: root.appendingPathComponent("board").appendingPathComponent(path), encoding: .utf8)
        let profile = try BoardProfile.parse(text)
        #expect(profile.allPins.count == GPIORole.allCases.count)
        #expect(profile.pin(.hookRelay)?.offset == 17)
        #expect(profile.audioDevice == "plughw:1,0")
    }

    @Test(arguments: [
        ("", nil, "empty"),
        ("# only a comment\n", nil, "empty"),
        ("chip gpiochip0\n", 1, "must start with 'trunkbox-board 1'"),
        ("trunkbox-board 2\n", 1, "format 2 is not supported"),
        ("trunkbox-board one\n", 1, "expected 'trunkbox-board 1'"),
        ("trunkbox-board 1\ntrunkbox-board 1\n", 2, "given twice (first on line 1)"),
        ("trunkbox-board 1\nchip a\nchip b\n", 3, "'chip' given twice (first on line 2)"),
        ("trunkbox-board 1\nchip\n", 2, "expected 'chip NAME'"),
        ("trunkbox-board 1\nchip gpio chip\n", 2, "expected 'chip NAME'"),
        ("trunkbox-board 1\nchip gpio$chip\n", 2, "invalid GPIO chip name"),
        ("trunkbox-board 1\naudio\n", 2, "expected 'audio PCM'"),
        ("trunkbox-board 1\naudio hw:é\n", 2, "invalid ALSA device name"),
        ("trunkbox-board 1\ndescription\n", 2, "needs some text"),
        ("trunkbox-board 1\nfrobnicate 3\n", 2, "unknown statement 'frobnicate'"),
        ("trunkbox-board 1\nchip c\npin hook-relay\n", 3, "expected 'pin ROLE OFFSET"),
        ("trunkbox-board 1\nchip c\npin buzzer 4\n", 3, "unknown pin role 'buzzer'"),
        ("trunkbox-board 1\nchip c\npin hook-relay -1\n", 3, "offset '-1' is not a number"),
        ("trunkbox-board 1\nchip c\npin hook-relay 1024\n", 3, "offset '1024' is not a number from 0 to 1023"),
        ("trunkbox-board 1\nchip c\npin hook-relay 99999999999999999999\n", 3, "is not a number"),
        ("trunkbox-board 1\nchip c\npin hook-relay 0x10\n", 3, "is not a number"),
        ("trunkbox-board 1\nchip c\npin hook-relay ١٢\n", 3, "is not a number"),
        ("trunkbox-board 1\nchip c\npin hook-relay 1 active-high\n", 3, "unknown pin option 'active-high'"),
        ("trunkbox-board 1\nchip c\npin hook-relay 1 active-low active-low\n", 3, "'active-low' given twice"),
        ("trunkbox-board 1\nchip c\npin hook-relay 1 chip\n", 3, "'chip' needs a name"),
        ("trunkbox-board 1\nchip c\npin hook-relay 1 chip a chip b\n", 3, "'chip' given twice"),
        ("trunkbox-board 1\nchip c\npin hook-relay 1\npin hook-relay 2\n", 4, "hook-relay given twice (first on line 3)"),
        ("trunkbox-board 1\nchip c\npin hook-relay 1\npin ring-detect 1\n", 4, "ring-detect uses line 1 of c, already taken by hook-relay"),
        ("trunkbox-board 1\nchip c\npin hook-relay 1\n", nil, "no ring-detect pin"),
        ("trunkbox-board 1\nchip c\npin ring-detect 1\n", nil, "no hook-relay pin"),
        ("trunkbox-board 1\npin hook-relay 1\npin ring-detect 2 chip x\n", 2, "hook-relay has no chip"),
        ("trunkbox-board 1\nchip c\u{0}\n", 2, "control character U+0"),
        ("trunkbox-board 1\nchip c\rpin\n", 2, "control character U+D"),
        ("trunkbox-board 1\n" + String(repeating: "#", count: 201) + "\n", 2, "longer than 200 characters"),
        (String(repeating: "\n", count: 16_385), nil, "larger than 16384 bytes"),
    ] as [(String, Int?, String)])
    func refusesBadFiles(text: String, line: Int?, message: String) {
        do {
            let profile = try BoardProfile.parse(text)
            Issue.record("accepted: \(profile)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func errorsNameTheirLine() {
        #expect(BoardProfileError(line: 4, "bad").description == "line 4: bad")
        #expect(BoardProfileError(line: nil, "bad").description == "bad")
    }

    @Test func configOverridesReplaceChipAndOffsets() throws {
        let profile = try BoardProfile.parse(good)
        let overridden = try profile.overriding(chip: "gpiochip4", offsets: [.hookRelay: 5, .polarity: 6])
        #expect(overridden.pins.values.allSatisfy { $0.chip == "gpiochip4" })
        #expect(overridden.pin(.hookRelay)?.offset == 5)
        #expect(overridden.pin(.ringDetect)?.activeLow == true)
        #expect(overridden.pin(.polarity) == BoardPin(role: .polarity, chip: "gpiochip4", offset: 6))
        #expect(throws: BoardProfileError.self) { try profile.overriding(chip: nil, offsets: [.hookRelay: 27]) }
        #expect(throws: BoardProfileError.self) { try profile.overriding(chip: nil, offsets: [.hookRelay: 5_000]) }
        #expect(throws: BoardProfileError.self) { try profile.overriding(chip: "bad chip", offsets: [:]) }
    }

    @Test func boardNamesMapToPathsThatStayUnderBoard() {
        #expect(BoardProfile.relativePath(forBoard: "generic-fxo") == "generic/fxo/line.board")
        #expect(BoardProfile.relativePath(forBoard: "acme-fxo-hat") == "acme/fxo-hat/line.board")
        #expect(BoardProfile.relativePath(forBoard: "acme/fxo-hat") == "acme/fxo-hat/line.board")
        for bad in ["", "generic", "../etc-passwd", "a/../b", "/abs/x", "a/b/c", "..-x", "Generic-FXO", "a-", "-a"] {
            #expect(BoardProfile.relativePath(forBoard: bad) == nil, "\(bad)")
        }
    }

    /// Random text and random mutations of a good file never crash the parser.
    @Test func randomInputNeverCrashes() {
        var rng = SplitMix(seed: 42)
        let alphabet = Array("trunkbox-board 1\npin chip hook-relay ring-detect active-low 0123456789#\t\r\u{0}é-")
        var accepted = 0
        for _ in 0..<3_000 {
            var chars = Array(good)
            for _ in 0..<Int(rng.next() % 6) {
                let i = Int(rng.next() % UInt64(chars.count))
                chars[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            if (try? BoardProfile.parse(String(chars))) != nil { accepted += 1 }
            let random = String((0..<Int(rng.next() % 80)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            _ = try? BoardProfile.parse(random)
        }
        #expect(accepted > 0)
    }
}
