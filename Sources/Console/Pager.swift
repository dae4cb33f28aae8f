// Pager: shows long output a page at a time with --More-- (space: page, enter: line, q or Ctrl-C: stop).

/// Pages lines of output at the terminal height. A line wider than the terminal counts as the rows it
/// wraps to. `height` 0 turns paging off.
public struct Pager: Sendable {
    public static let morePrompt: [UInt8] = Array("--More--".utf8)

    public let height: Int
    public let width: Int
    private var pending: [[UInt8]] = []
    private var next = 0
    /// Whether the pager waits at --More-- for a key.
    public private(set) var waiting = false

    public init(height: Int, width: Int = 80) {
        self.height = max(0, height)
        self.width = max(1, width)
    }

    /// Rows a line takes on the terminal.
    private func rows(_ line: [UInt8]) -> Int { max(1, (line.count + width - 1) / width) }

    /// Starts showing `lines` (without line ends); writes the first page and returns whether the pager
    /// now waits for a key (the session routes keys to `feed` until it returns done).
    public mutating func start(_ lines: [[UInt8]], into out: inout [UInt8]) -> Bool {
        pending = lines
        next = 0
        waiting = false
        emit(rows: height == 0 ? Int.max : max(1, height - 1), into: &out)
        return waiting
    }

    /// A key at --More--; returns true when paging is over (all shown, or stopped).
    public mutating func feed(_ byte: UInt8, into out: inout [UInt8]) -> Bool {
        guard waiting else { return true }
        switch byte {
        case 0x20:
            clearMore(into: &out)
            emit(rows: max(1, height - 1), into: &out)
        case 0x0D, 0x0A:
            clearMore(into: &out)
            emit(rows: 1, into: &out)
        case 0x71, 0x51, 0x03:   // q, Q, Ctrl-C
            clearMore(into: &out)
            stop()
        default:
            return false   // other keys are ignored at --More--
        }
        return !waiting
    }

    /// Drops what was not shown yet.
    public mutating func stop() {
        pending = []
        next = 0
        waiting = false
    }

    private func clearMore(into out: inout [UInt8]) {
        out += [0x0D, 0x1B, 0x5B, 0x4B]   // CR, erase line: --More-- disappears
    }

    private mutating func emit(rows budget: Int, into out: inout [UInt8]) {
        var used = 0
        while next < pending.count {
            let r = rows(pending[next])
            if used > 0, used + r > budget { break }
            out += pending[next]
            out += [0x0D, 0x0A]
            used += r
            next += 1
        }
        if next < pending.count {
            out += Self.morePrompt
            waiting = true
        } else {
            pending = []
            next = 0
            waiting = false
        }
    }
}
