// BoardProfile: a board's pin map for the analog line (GPIO chip, line offsets by role, active-low flags) and its ALSA device.

/// One GPIO line of the board.
public struct BoardPin: Sendable, Hashable {
    public var role: GPIORole
    /// The GPIO chip (name, path or label as libgpiod's lookup takes it).
    public var chip: String
    /// The line's offset on the chip.
    public var offset: Int
    /// The line is active (relay closed, LED lit, ring present, button pressed) at low level.
    public var activeLow: Bool

    public init(role: GPIORole, chip: String, offset: Int, activeLow: Bool = false) {
        self.role = role
        self.chip = chip
        self.offset = offset
        self.activeLow = activeLow
    }
}

/// A parsed `line.board` file (format in board/README.md). Built only by `parse` or `overriding`, so a
/// value always has a hook relay and a ring detect pin and no line used twice.
public struct BoardProfile: Sendable, Hashable {
    /// Format versions this firmware reads.
    public static let supportedFormats: ClosedRange<Int> = 1...1
    /// The highest offset accepted (matches the config language's pin range).
    public static let maxOffset = 1_023

    public internal(set) var format: Int
    public internal(set) var description: String?
    /// The default chip of pins that name none.
    public internal(set) var chip: String
    /// The ALSA PCM of the line, when the board fixes it.
    public internal(set) var audioDevice: String?
    /// Pins by role.
    public internal(set) var pins: [GPIORole: BoardPin]

    init(format: Int, description: String?, chip: String, audioDevice: String?, pins: [GPIORole: BoardPin]) {
        self.format = format
        self.description = description
        self.chip = chip
        self.audioDevice = audioDevice
        self.pins = pins
    }

    /// The pin of a role, if the board wires it.
    public func pin(_ role: GPIORole) -> BoardPin? { pins[role] }

    /// Every pin, in role order.
    public var allPins: [BoardPin] { GPIORole.allCases.compactMap { pins[$0] } }

    /// The profile with the config's overrides: a chip for every pin, and offsets for some roles.
    public func overriding(chip newChip: String?, offsets: [GPIORole: Int]) throws(BoardProfileError) -> BoardProfile {
        var copy = self
        if let newChip {
            guard BoardProfile.isValidChipName(newChip) else { throw BoardProfileError(line: nil, "invalid GPIO chip name '\(newChip)'") }
            copy.chip = newChip
            for role in copy.pins.keys { copy.pins[role]?.chip = newChip }
        }
        for (role, offset) in offsets.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard (0...BoardProfile.maxOffset).contains(offset) else {
                throw BoardProfileError(line: nil, "\(role.rawValue) offset \(offset) is out of range 0-\(BoardProfile.maxOffset)")
            }
            if copy.pins[role] == nil {
                copy.pins[role] = BoardPin(role: role, chip: copy.chip, offset: offset)
            } else {
                copy.pins[role]?.offset = offset
            }
        }
        try copy.checkNoSharedLines(lineOf: { _ in nil })
        return copy
    }

    /// The path of a board's profile below board/: `generic-fxo` → `generic/fxo/line.board` (the vendor
    /// is the part before the first hyphen), `vendor/board` as written. Nil for a name that could leave board/.
    public static func relativePath(forBoard name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-./")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy(allowed.contains) else { return nil }
        let parts: [Substring]
        if name.contains("/") {
            parts = name.split(separator: "/", omittingEmptySubsequences: false)
        } else if let dash = name.firstIndex(of: "-") {
            parts = [name[..<dash], name[name.index(after: dash)...]]
        } else {
            return nil
        }
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }) else { return nil }
        return "\(parts[0])/\(parts[1])/line.board"
    }

    static func isValidChipName(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/")
        return !name.isEmpty && name.count <= 64 && name.allSatisfy(allowed.contains)
    }

    /// Two roles on one chip line is an error; `lineOf` gives the file line of a role for the message.
    func checkNoSharedLines(lineOf: (GPIORole) -> Int?) throws(BoardProfileError) {
        var seen: [String: GPIORole] = [:]
        for pin in allPins {
            let key = "\(pin.chip)#\(pin.offset)"
            if let other = seen[key] {
                throw BoardProfileError(line: lineOf(pin.role),
                                        "\(pin.role.rawValue) uses line \(pin.offset) of \(pin.chip), already taken by \(other.rawValue)")
            }
            seen[key] = pin.role
        }
    }
}
