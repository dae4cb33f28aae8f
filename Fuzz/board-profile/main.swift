// fuzz-board-profile: libFuzzer target for the board profile parser (board/<vendor>/<board>/line.board).
//
// A board file comes from the firmware image, but an installer can copy one in: any bytes must give a
// profile or a clear refusal, never a trap. Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz) it
// runs under libFuzzer; built normally it replays the files given as arguments. The invariants:
//   - a refusal names a line of the input (1...lines, or none for the file as a whole) and a non-empty reason;
//   - an accepted profile has a hook relay and a ring detect pin, offsets within 0...maxOffset, a
//     supported format, and no chip/offset pair used by two roles;
//   - overriding the chip or offsets with whatever the input's first words are either refuses with a
//     reason or keeps those invariants.

import FuzzSupport
import LineCore

func violation(_ data: UnsafeBufferPointer<UInt8>) -> String? {
    let text = String(decoding: data, as: UTF8.self)
    // Lines as the parser counts them: by LF scalars (Swift's Character joins CR LF into one).
    let lineCount = max(1, text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count)
    let profile: BoardProfile
    do {
        profile = try BoardProfile.parse(text)
    } catch {
        if error.message.isEmpty { return "refused with an empty reason\n  input: \(show(data))" }
        if let line = error.line, line < 1 || line > lineCount { return "refusal names line \(line) of \(lineCount): \(error)\n  input: \(show(data))" }
        return nil
    }
    if let problem = broken(profile) { return "accepted profile \(problem)\n  input: \(show(data))" }
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).prefix(2).map(String.init)
    let offset = words.count > 1 ? Int(words[1]) ?? words[1].utf8.count : 5
    for role in GPIORole.allCases {
        do {
            let changed = try profile.overriding(chip: words.first, offsets: [role: offset])
            if let problem = broken(changed) { return "override (\(words.first ?? "-"), \(role)=\(offset)) gives a profile that \(problem)\n  input: \(show(data))" }
        } catch {
            if error.message.isEmpty { return "override refused with an empty reason\n  input: \(show(data))" }
        }
    }
    return nil
}

/// What is wrong with a profile the parser or an override produced, or nil.
func broken(_ p: BoardProfile) -> String? {
    if p.pin(.hookRelay) == nil || p.pin(.ringDetect) == nil { return "lacks the hook relay or the ring detect pin" }
    if !BoardProfile.supportedFormats.contains(p.format) { return "has the unsupported format \(p.format)" }
    var seen = Set<String>()
    for pin in p.allPins {
        if pin.offset < 0 || pin.offset > BoardProfile.maxOffset { return "has the offset \(pin.offset)" }
        if !seen.insert("\(pin.chip)/\(pin.offset)").inserted { return "uses \(pin.chip) line \(pin.offset) twice" }
    }
    return nil
}

fuzzMain(name: "fuzz-board-profile", violation)
