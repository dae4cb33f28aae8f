// LineEditor: the console's line editor as a pure state machine: bytes in, VT100 echo bytes and events out.

/// What a key did that the session must act on.
public enum EditorEvent: Sendable, Equatable {
    /// Enter: the finished line (the editor has moved to the next row). In password mode these are the
    /// secret's bytes: the receiver wipes them after use.
    case line([UInt8])
    /// `?`: show help for the text left of the cursor, then call `redraw`. The editor has already
    /// written `?` at the end of the line and moved to the next row.
    case help(String)
    /// TAB: complete the text left of the cursor (call `insert`, or `breakLine`, list, `redraw`).
    case complete(String)
    /// Ctrl-C: the line was abandoned (the editor wrote `^C` and moved to the next row).
    case interrupt
    /// Ctrl-D on an empty line: the user wants to leave.
    case endOfInput
}

/// Edits one line at a time for a VT100/ANSI terminal: printable ASCII is inserted at the cursor, the
/// usual keys move and delete (arrows as `ESC [ x` or `ESC O x`, Home/End, Delete, Ctrl-A/B/E/F/K/L/N/P/U/W,
/// backspace as 0x7f or 0x08), Up/Down walk a bounded history, CR, LF and CR LF each end a line once.
/// Escape sequences may arrive split across reads; unknown ones are swallowed whole. In password mode
/// nothing is echoed and `?` is an ordinary character. The editor never writes outside the current line
/// except after an event, and never holds more than `maxLength` characters.
public struct LineEditor: Sendable {
    /// The longest line accepted; a key beyond it rings the bell.
    public let maxLength: Int
    /// How many lines the history keeps.
    public let historyLimit: Int

    public private(set) var prompt: [UInt8] = []
    public private(set) var buffer: [UInt8] = []
    public private(set) var cursor = 0
    /// False in password mode.
    public private(set) var echo = true
    /// Whether `?` and TAB are keys (command lines) rather than text (pasted text, answers).
    public private(set) var commandKeys = true
    /// Whether a line is being edited (between `begin` and the event that ends it).
    public private(set) var active = false
    public private(set) var history: [[UInt8]] = []
    private var historyIndex: Int?
    private var draft: [UInt8] = []
    private var escape = EscapeState.none
    private var lastWasCR = false

    enum EscapeState: Sendable, Equatable {
        case none
        case escape
        /// Control Sequence Introducer seen; collected parameter bytes (bounded) and whether it overflowed.
        case csi([UInt8], overflow: Bool)
        /// SS3 (`ESC O`) seen: one more byte names the key.
        case ss3
    }

    public init(maxLength: Int = 512, historyLimit: Int = 50) {
        self.maxLength = max(1, maxLength)
        self.historyLimit = max(0, historyLimit)
    }

    /// The whole line as text.
    public var text: String { String(decoding: buffer, as: UTF8.self) }
    /// The text left of the cursor (what `?` and TAB look at).
    public var textBeforeCursor: String { String(decoding: buffer[..<cursor], as: UTF8.self) }

    /// Starts a new line: writes the prompt and clears the buffer.
    public mutating func begin(prompt: String, echo: Bool = true, commandKeys: Bool = true, into out: inout [UInt8]) {
        wipe()
        self.prompt = Array(prompt.utf8)
        self.echo = echo
        self.commandKeys = commandKeys && echo
        active = true
        historyIndex = nil
        draft = []
        escape = .none
        out += self.prompt
    }

    /// Stops editing without an event (the session left input mode) and forgets the line.
    public mutating func cancel() {
        wipe()
        active = false
        escape = .none
    }

    /// Overwrites and empties the buffer (password bytes do not linger).
    private mutating func wipe() {
        for i in buffer.indices { buffer[i] = 0 }
        buffer.removeAll()
        cursor = 0
    }

    /// Writes the prompt and the line again and puts the cursor back where it was.
    public func redraw(into out: inout [UInt8]) {
        out += prompt
        guard echo else { return }
        out += buffer
        moveLeft(buffer.count - cursor, into: &out)
    }

    /// Moves to the end of the line and to the next row, so the session can print under it.
    public func breakLine(into out: inout [UInt8]) {
        if echo { out += buffer[cursor...] }
        out += [0x0D, 0x0A]
    }

    /// Types `text` at the cursor (TAB completion); printable ASCII only, bounded by `maxLength`.
    public mutating func insert(_ text: String, into out: inout [UInt8]) {
        for b in text.utf8 where b >= 0x20 && b < 0x7F { insertByte(b, into: &out) }
    }

    /// Feeds one input byte; returns the event it completes, if any. Echo and redraw bytes go to `out`.
    public mutating func feed(_ byte: UInt8, into out: inout [UInt8]) -> EditorEvent? {
        guard active else { return nil }
        if byte == 0x00 { return nil }   // NUL (CR NUL from telnet-like peers) is padding
        // CR, LF and CR LF each end one line.
        if byte == 0x0A, lastWasCR {
            lastWasCR = false
            return nil
        }
        lastWasCR = byte == 0x0D
        switch escape {
        case .none:
            break
        case .escape:
            if byte == 0x5B { escape = .csi([], overflow: false); return nil }
            if byte == 0x4F { escape = .ss3; return nil }
            escape = .none
            if byte == 0x1B { escape = .escape; return nil }
            if byte >= 0x20 { return nil }   // ESC + key (Alt-key): not used, swallowed
            // a control byte after a lone ESC is handled as itself
        case .csi(var params, let overflow):
            if byte >= 0x40 && byte <= 0x7E {
                escape = .none
                if !overflow { csiKey(final: byte, params: params, into: &out) }
                return nil
            }
            if byte >= 0x20 && byte <= 0x3F {
                if params.count < 8 { params.append(byte); escape = .csi(params, overflow: overflow) }
                else { escape = .csi(params, overflow: true) }
                return nil
            }
            escape = .none   // a control byte aborts the sequence and is handled as itself
            if byte == 0x1B { escape = .escape; return nil }
            if byte >= 0x80 { return nil }
        case .ss3:
            escape = .none
            if byte >= 0x40 && byte <= 0x7E { ss3Key(byte, into: &out); return nil }
            if byte == 0x1B { escape = .escape; return nil }
            if byte >= 0x20 { return nil }
        }
        return key(byte, into: &out)
    }

    // MARK: Keys

    private mutating func key(_ byte: UInt8, into out: inout [UInt8]) -> EditorEvent? {
        switch byte {
        case 0x0D, 0x0A:
            return endLine(into: &out)
        case 0x03:   // Ctrl-C
            wipe()
            active = false
            out += Array("^C\r\n".utf8)
            return .interrupt
        case 0x04:   // Ctrl-D
            if buffer.isEmpty {
                active = false
                out += [0x0D, 0x0A]
                return .endOfInput
            }
            deleteAtCursor(into: &out)
        case 0x08, 0x7F:
            backspace(into: &out)
        case 0x15:   // Ctrl-U
            killLine(into: &out)
        case 0x1B:
            escape = .escape
        case 0x20...0x7E:
            if byte == 0x3F, commandKeys {   // ? shows help at once
                out += buffer[cursor...]
                out += Array("?\r\n".utf8)
                return .help(textBeforeCursor)
            }
            insertByte(byte, into: &out)
        default:
            guard echo else { return nil }   // password entry: no editing keys beyond the above
            switch byte {
            case 0x01: home(into: &out)
            case 0x02: left(into: &out)
            case 0x05: end(into: &out)
            case 0x06: right(into: &out)
            case 0x09: if commandKeys { return .complete(textBeforeCursor) }
            case 0x0B: killToEnd(into: &out)
            case 0x0C: out += [0x0D, 0x0A]; redraw(into: &out)
            case 0x0E: historyNext(into: &out)
            case 0x10: historyPrevious(into: &out)
            case 0x17: deleteWord(into: &out)
            default: break   // other control bytes and 8-bit bytes are ignored
            }
        }
        return nil
    }

    private mutating func csiKey(final: UInt8, params: [UInt8], into out: inout [UInt8]) {
        guard echo else { return }
        switch (final, params) {
        case (0x41, []): historyPrevious(into: &out)   // A: Up
        case (0x42, []): historyNext(into: &out)       // B: Down
        case (0x43, []): right(into: &out)             // C: Right
        case (0x44, []): left(into: &out)              // D: Left
        case (0x48, []): home(into: &out)              // H: Home
        case (0x46, []): end(into: &out)               // F: End
        case (0x7E, [0x31]), (0x7E, [0x37]): home(into: &out)   // 1~ 7~: Home
        case (0x7E, [0x34]), (0x7E, [0x38]): end(into: &out)    // 4~ 8~: End
        case (0x7E, [0x33]): deleteAtCursor(into: &out)          // 3~: Delete
        default: break
        }
    }

    private mutating func ss3Key(_ final: UInt8, into out: inout [UInt8]) {
        guard echo else { return }
        switch final {
        case 0x41: historyPrevious(into: &out)
        case 0x42: historyNext(into: &out)
        case 0x43: right(into: &out)
        case 0x44: left(into: &out)
        case 0x48: home(into: &out)
        case 0x46: end(into: &out)
        default: break
        }
    }

    // MARK: Editing

    private mutating func endLine(into out: inout [UInt8]) -> EditorEvent {
        if echo { out += buffer[cursor...] }
        out += [0x0D, 0x0A]
        let line = buffer
        buffer = []
        cursor = 0
        active = false
        if echo, !line.allSatisfy({ $0 == 0x20 }), history.last != line, historyLimit > 0, !Self.carriesSecret(line) {
            history.append(line)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        }
        return .line(line)
    }

    /// Words that start a line carrying a secret (`password S3cret`, `no password`): such lines never
    /// enter the history, so Up cannot bring a password back to the screen.
    public static let secretWords: Set<String> = ["password", "secret"]

    static func carriesSecret(_ line: [UInt8]) -> Bool {
        let words = line.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self).lowercased() }
        guard let first = words.first else { return false }
        let word = first == "no" && words.count > 1 ? words[1] : first
        return secretWords.contains(word)
    }

    private func moveLeft(_ n: Int, into out: inout [UInt8]) {
        if n == 1 { out.append(0x08) } else if n > 1 { out += Array("\u{1B}[\(n)D".utf8) }
    }

    /// Rewrites the line from the cursor to its end, erases what was beyond, and returns the cursor.
    private func rewriteTail(into out: inout [UInt8]) {
        out += buffer[cursor...]
        out += [0x1B, 0x5B, 0x4B]   // ESC [ K: erase to end of line
        moveLeft(buffer.count - cursor, into: &out)
    }

    private mutating func insertByte(_ b: UInt8, into out: inout [UInt8]) {
        guard buffer.count < maxLength else { out.append(0x07); return }
        buffer.insert(b, at: cursor)
        cursor += 1
        guard echo else { return }
        out.append(b)
        if cursor < buffer.count {
            out += buffer[cursor...]
            moveLeft(buffer.count - cursor, into: &out)
        }
    }

    private mutating func backspace(into out: inout [UInt8]) {
        guard cursor > 0 else { return }
        cursor -= 1
        buffer[cursor] = 0
        buffer.remove(at: cursor)
        guard echo else { return }
        out.append(0x08)
        rewriteTail(into: &out)
    }

    private mutating func deleteAtCursor(into out: inout [UInt8]) {
        guard cursor < buffer.count else { return }
        buffer.remove(at: cursor)
        guard echo else { return }
        rewriteTail(into: &out)
    }

    private mutating func killLine(into out: inout [UInt8]) {
        if echo {
            moveLeft(cursor, into: &out)
            out += [0x1B, 0x5B, 0x4B]
        }
        wipe()
    }

    private mutating func killToEnd(into out: inout [UInt8]) {
        guard cursor < buffer.count else { return }
        buffer.removeSubrange(cursor...)
        out += [0x1B, 0x5B, 0x4B]
    }

    private mutating func deleteWord(into out: inout [UInt8]) {
        var start = cursor
        while start > 0, buffer[start - 1] == 0x20 { start -= 1 }
        while start > 0, buffer[start - 1] != 0x20 { start -= 1 }
        guard start < cursor else { return }
        moveLeft(cursor - start, into: &out)
        buffer.removeSubrange(start..<cursor)
        cursor = start
        rewriteTail(into: &out)
    }

    private mutating func left(into out: inout [UInt8]) {
        guard cursor > 0 else { return }
        cursor -= 1
        out.append(0x08)
    }

    private mutating func right(into out: inout [UInt8]) {
        guard cursor < buffer.count else { return }
        out.append(buffer[cursor])
        cursor += 1
    }

    private mutating func home(into out: inout [UInt8]) {
        moveLeft(cursor, into: &out)
        cursor = 0
    }

    private mutating func end(into out: inout [UInt8]) {
        out += buffer[cursor...]
        cursor = buffer.count
    }

    // MARK: History

    private mutating func show(_ line: [UInt8], into out: inout [UInt8]) {
        moveLeft(cursor, into: &out)
        buffer = Array(line.prefix(maxLength))
        cursor = buffer.count
        out += buffer
        out += [0x1B, 0x5B, 0x4B]
    }

    private mutating func historyPrevious(into out: inout [UInt8]) {
        guard !history.isEmpty else { return }
        if let i = historyIndex {
            guard i > 0 else { return }
            historyIndex = i - 1
        } else {
            draft = buffer
            historyIndex = history.count - 1
        }
        show(history[historyIndex!], into: &out)
    }

    private mutating func historyNext(into out: inout [UInt8]) {
        guard let i = historyIndex else { return }
        if i + 1 < history.count {
            historyIndex = i + 1
            show(history[i + 1], into: &out)
        } else {
            historyIndex = nil
            show(draft, into: &out)
        }
    }
}
