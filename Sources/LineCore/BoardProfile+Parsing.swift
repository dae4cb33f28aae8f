// BoardProfile+Parsing: reads the line.board text format (see board/README.md); any input gives a profile or an error, never a crash.

extension BoardProfile {
    /// Largest file accepted, in bytes, and longest line, in characters.
    public static let maxFileBytes = 16_384
    public static let maxLineCharacters = 200

    /// Parses a profile. The first statement must be `trunkbox-board 1`; then `description`, `chip`,
    /// `audio` at most once each and one `pin ROLE OFFSET [active-low] [chip NAME]` per role.
    public static func parse(_ text: String) throws(BoardProfileError) -> BoardProfile {
        guard text.utf8.count <= maxFileBytes else {
            throw BoardProfileError(line: nil, "the file is larger than \(maxFileBytes) bytes")
        }
        var format: Int?
        var description: String?
        var chip: (name: String, line: Int)?
        var audio: String?
        var seenStatements: [String: Int] = [:]
        var pins: [GPIORole: (offset: Int, activeLow: Bool, chip: String?, line: Int)] = [:]

        var lineNumber = 0
        // "\r\n" is one Character in Swift, so both line ends are split on here.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = Substring(rawLine)
            guard line.count <= maxLineCharacters else {
                throw BoardProfileError(line: lineNumber, "line longer than \(maxLineCharacters) characters")
            }
            if let bad = line.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f }) {
                throw BoardProfileError(line: lineNumber, "control character U+\(String(bad.value, radix: 16, uppercase: true)) in the line")
            }
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = words.first else { continue }
            let args = Array(words.dropFirst())

            if format == nil && keyword != "trunkbox-board" {
                throw BoardProfileError(line: lineNumber, "the file must start with 'trunkbox-board 1', found '\(keyword)'")
            }
            if keyword != "pin" {
                if let first = seenStatements[String(keyword)] {
                    throw BoardProfileError(line: lineNumber, "'\(keyword)' given twice (first on line \(first))")
                }
                seenStatements[String(keyword)] = lineNumber
            }
            switch keyword {
            case "trunkbox-board":
                guard args.count == 1, let version = Int(args[0]) else {
                    throw BoardProfileError(line: lineNumber, "expected 'trunkbox-board 1'")
                }
                guard supportedFormats.contains(version) else {
                    throw BoardProfileError(line: lineNumber, "format \(version) is not supported (this firmware reads format \(supportedFormats.upperBound))")
                }
                format = version
            case "description":
                guard !args.isEmpty else { throw BoardProfileError(line: lineNumber, "'description' needs some text") }
                description = args.joined(separator: " ")
            case "chip":
                guard args.count == 1 else { throw BoardProfileError(line: lineNumber, "expected 'chip NAME'") }
                let name = String(args[0])
                guard isValidChipName(name) else { throw BoardProfileError(line: lineNumber, "invalid GPIO chip name '\(name)'") }
                chip = (name, lineNumber)
            case "audio":
                guard args.count == 1 else { throw BoardProfileError(line: lineNumber, "expected 'audio PCM' (an ALSA device name without spaces)") }
                guard args[0].count <= 64, args[0].unicodeScalars.allSatisfy({ $0.isASCII }) else {
                    throw BoardProfileError(line: lineNumber, "invalid ALSA device name '\(args[0])'")
                }
                audio = String(args[0])
            case "pin":
                guard args.count >= 2 else { throw BoardProfileError(line: lineNumber, "expected 'pin ROLE OFFSET [active-low] [chip NAME]'") }
                guard let role = GPIORole(rawValue: String(args[0])) else {
                    let roles = GPIORole.allCases.map(\.rawValue).joined(separator: ", ")
                    throw BoardProfileError(line: lineNumber, "unknown pin role '\(args[0])' (roles: \(roles))")
                }
                if let earlier = pins[role] {
                    throw BoardProfileError(line: lineNumber, "\(role.rawValue) given twice (first on line \(earlier.line))")
                }
                guard args[1].count <= 4, args[1].allSatisfy({ $0.isASCII && $0.isNumber }), let offset = Int(args[1]),
                      offset <= maxOffset else {
                    throw BoardProfileError(line: lineNumber, "offset '\(args[1])' is not a number from 0 to \(maxOffset)")
                }
                var activeLow = false
                var pinChip: String?
                var index = 2
                while index < args.count {
                    switch args[index] {
                    case "active-low":
                        guard !activeLow else { throw BoardProfileError(line: lineNumber, "'active-low' given twice") }
                        activeLow = true
                        index += 1
                    case "chip":
                        guard pinChip == nil else { throw BoardProfileError(line: lineNumber, "'chip' given twice") }
                        guard index + 1 < args.count else { throw BoardProfileError(line: lineNumber, "'chip' needs a name") }
                        let name = String(args[index + 1])
                        guard isValidChipName(name) else { throw BoardProfileError(line: lineNumber, "invalid GPIO chip name '\(name)'") }
                        pinChip = name
                        index += 2
                    default:
                        throw BoardProfileError(line: lineNumber, "unknown pin option '\(args[index])' (options: active-low, chip NAME)")
                    }
                }
                pins[role] = (offset, activeLow, pinChip, lineNumber)
            default:
                throw BoardProfileError(line: lineNumber, "unknown statement '\(keyword)' (statements: trunkbox-board, description, chip, audio, pin)")
            }
        }

        guard let format else { throw BoardProfileError(line: nil, "the file is empty (it must start with 'trunkbox-board 1')") }
        for role in GPIORole.required where pins[role] == nil {
            throw BoardProfileError(line: nil, "the profile has no \(role.rawValue) pin")
        }
        var resolved: [GPIORole: BoardPin] = [:]
        for (role, pin) in pins {
            guard let pinChip = pin.chip ?? chip?.name else {
                throw BoardProfileError(line: pin.line, "\(role.rawValue) has no chip: add 'chip NAME' to the file or to the pin")
            }
            resolved[role] = BoardPin(role: role, chip: pinChip, offset: pin.offset, activeLow: pin.activeLow)
        }
        let profile = BoardProfile(format: format, description: description, chip: chip?.name ?? resolved[.hookRelay]?.chip ?? "",
                                   audioDevice: audio, pins: resolved)
        try profile.checkNoSharedLines(lineOf: { pins[$0]?.line })
        return profile
    }
}
