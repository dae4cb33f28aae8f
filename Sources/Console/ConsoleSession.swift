// ConsoleSession: one console's state machine: login, exec and configure modes, driven by bytes and time.

/// A console session on any byte stream: feed it the bytes the installer types (`feed`) and the time
/// (`tick`), write what it returns to the terminal. It owns the line editor, the pager and the login
/// rules, and calls the backend for everything about the box. It never sleeps and never reads a clock:
/// every call takes `now`. Not thread-safe: one session belongs to one console thread.
public final class ConsoleSession {
    /// Where the session is.
    public enum Phase: Sendable, Equatable {
        /// Waiting for the password at "Password:".
        case login
        /// First login (or after a factory reset): choosing the password.
        case newPassword
        case repeatPassword
        /// Back-off after a wrong password; keys are discarded.
        case waiting
        /// Too many wrong passwords; keys are discarded.
        case locked
        case exec
        case configure
        /// "Type 'yes'" after `factory-reset`.
        case confirmFactoryReset
        /// Collecting pasted configuration after `import`.
        case importing
        /// Logged out on a console that closes on logout.
        case closed
    }

    public let settings: ConsoleSettings
    public internal(set) var phase: Phase = .closed
    public internal(set) var editor: LineEditor
    /// The configure-mode block path (empty at the top level).
    public internal(set) var context: [ConfigBlock] = []
    /// Whether `--More--` is waiting for a key.
    public var isPaging: Bool { pager.waiting }
    public var isClosed: Bool { phase == .closed && started }
    public var isLoggedIn: Bool {
        switch phase {
        case .exec, .configure, .confirmFactoryReset, .importing: return true
        default: return false
        }
    }

    let backend: ConsoleBackend
    private let throttle: LoginThrottle
    var pager: Pager
    private var started = false
    private var lastActivity = ConsoleInstant(milliseconds: 0)
    private var resumeAt: ConsoleInstant?
    private var newPassword: [UInt8] = []
    var importLines: [String] = []
    private var importBytes = 0
    var debugging = false
    private var notices: [String] = []
    private static let importLimit = 1 << 20
    private static let noticeLimit = 200

    static let execTable = CommandMatcher(ConsoleCommands.exec)
    static let configureTable = CommandMatcher(ConsoleCommands.configure)
    var execMatcher: CommandMatcher { Self.execTable }
    var configureMatcher: CommandMatcher { Self.configureTable }

    public init(backend: ConsoleBackend, throttle: LoginThrottle, settings: ConsoleSettings = ConsoleSettings()) {
        self.backend = backend
        self.throttle = throttle
        self.settings = settings
        self.editor = LineEditor(maxLength: settings.maxLineLength)
        self.pager = Pager(height: settings.terminalHeight, width: settings.terminalWidth)
    }

    // MARK: Driving

    /// Shows the banner and the first prompt.
    public func start(now: ConsoleInstant) -> [UInt8] {
        var out: [UInt8] = []
        started = true
        lastActivity = now
        beginLogin(now: now, into: &out)
        return out
    }

    /// Feeds bytes typed by the installer.
    public func feed(_ bytes: some Sequence<UInt8>, now: ConsoleInstant) -> [UInt8] {
        var out: [UInt8] = []
        if !started { out += start(now: now) }
        advance(now: now, into: &out)
        for byte in bytes {
            if phase == .closed { break }
            lastActivity = now
            if pager.waiting {
                if pager.feed(byte, into: &out) { prompt(into: &out) }
                continue
            }
            switch phase {
            case .waiting:
                continue   // typed ahead during the back-off: dropped
            case .locked:
                if byte == 0x0D || byte == 0x0A, case .locked(let until) = throttle.state(now: now) {
                    out += line("% The console is locked for \(seconds(from: now, to: until)) more seconds.")
                }
                continue
            default:
                break
            }
            if let event = editor.feed(byte, into: &out) {
                handle(event, now: now, into: &out)
            }
        }
        return out
    }

    /// Lets time pass: back-off and lockout end, idle sessions log out.
    public func tick(now: ConsoleInstant) -> [UInt8] {
        var out: [UInt8] = []
        if started { advance(now: now, into: &out) }
        return out
    }

    /// Shows asynchronous text above the prompt: a notice (a commit-confirmed roll-back) for every
    /// logged-in console, or a trace line (`trace: true`) only where `debug sip` is on.
    public func notify(_ text: String, trace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        guard isLoggedIn, !trace || debugging else { return out }
        if editor.active && !pager.waiting {
            out += [0x0D, 0x1B, 0x5B, 0x4B]
            for l in ConsoleText.lines(text) { out += l + [0x0D, 0x0A] }
            editor.redraw(into: &out)
        } else {
            notices.append(text)
            if notices.count > Self.noticeLimit { notices.removeFirst(notices.count - Self.noticeLimit) }
        }
        return out
    }

    /// When the next `tick` matters (end of a back-off or lockout, idle logout), or nil.
    public func nextDeadline() -> ConsoleInstant? {
        if let r = resumeAt { return r }
        if isLoggedIn || phase == .repeatPassword { return lastActivity.adding(seconds: settings.idleTimeoutSeconds) }
        return nil
    }

    func advance(now: ConsoleInstant, into out: inout [UInt8]) {
        if let r = resumeAt, now >= r {
            resumeAt = nil
            if phase == .waiting || phase == .locked {
                if case .locked(let until) = throttle.state(now: now) {
                    resumeAt = until
                    phase = .locked
                } else {
                    phase = .login
                    editor.begin(prompt: "Password: ", echo: false, into: &out)
                }
            }
        }
        if isLoggedIn || phase == .repeatPassword,
           now.milliseconds - lastActivity.milliseconds >= settings.idleTimeoutSeconds * 1000 {
            let minutes = settings.idleTimeoutSeconds / 60
            let span = minutes >= 1 ? "\(minutes) minute\(minutes == 1 ? "" : "s")" : "\(settings.idleTimeoutSeconds) seconds"
            out += [0x0D, 0x0A]
            out += line("% No input for \(span): logged out.")
            lastActivity = now
            logout(now: now, into: &out)
        }
    }

    // MARK: Login

    func beginLogin(now: ConsoleInstant, into out: inout [UInt8]) {
        pager.stop()
        context = []
        out += line(settings.banner)
        if case .locked(let until) = throttle.state(now: now) {
            out += line("% Too many wrong passwords: the console is locked for \(seconds(from: now, to: until)) more seconds.")
            phase = .locked
            resumeAt = until
            editor.cancel()
            return
        }
        if backend.loginPasswordHash() == nil {
            out += line("No console password is set. Choose one now (at least \(PasswordPolicy.minimumLength) characters, mixing letters and digits or symbols).")
            phase = .newPassword
            editor.begin(prompt: "New password: ", echo: false, into: &out)
        } else {
            phase = .login
            editor.begin(prompt: "Password: ", echo: false, into: &out)
        }
    }

    func checkPassword(_ password: inout [UInt8], now: ConsoleInstant, into out: inout [UInt8]) {
        defer { wipe(&password) }
        switch throttle.state(now: now) {
        case .locked(let until):
            out += line("% Too many wrong passwords: the console is locked for \(seconds(from: now, to: until)) more seconds.")
            phase = .locked
            resumeAt = until
            return
        case .wait(let until):
            phase = .waiting
            resumeAt = until
            return
        case .open:
            break
        }
        guard let stored = backend.loginPasswordHash() else {
            beginLogin(now: now, into: &out)
            return
        }
        let hash: PasswordHash
        do {
            hash = try PasswordHash(parsing: stored)
        } catch {
            out += line("% The stored console password is unreadable (\(error.reason)); a factory reset on the box clears it.")
            editor.begin(prompt: "Password: ", echo: false, into: &out)
            return
        }
        if hash.verify(password) {
            throttle.success()
            enterExec(into: &out)
            return
        }
        switch throttle.failure(now: now) {
        case .locked(let until):
            out += line("% Wrong password. Too many wrong passwords: the console is locked for \(seconds(from: now, to: until)) seconds.")
            phase = .locked
            resumeAt = until
        case .wait(let until):
            out += line("% Wrong password.")
            phase = .waiting
            resumeAt = until
        case .open:
            out += line("% Wrong password.")
            editor.begin(prompt: "Password: ", echo: false, into: &out)
        }
    }

    func chooseNewPassword(_ password: inout [UInt8], into out: inout [UInt8]) {
        if let problem = PasswordPolicy.problem(with: password) {
            wipe(&password)
            out += line("% Password refused: \(problem).")
            editor.begin(prompt: "New password: ", echo: false, into: &out)
            return
        }
        newPassword = password
        wipe(&password)
        phase = .repeatPassword
        editor.begin(prompt: "Repeat password: ", echo: false, into: &out)
    }

    func repeatNewPassword(_ password: inout [UInt8], into out: inout [UInt8]) {
        defer {
            wipe(&password)
            wipe(&newPassword)
        }
        guard PasswordHash.constantTimeEqual(password, newPassword) else {
            out += line("% The two passwords differ; start again.")
            phase = .newPassword
            editor.begin(prompt: "New password: ", echo: false, into: &out)
            return
        }
        let hash: PasswordHash
        do {
            hash = try PasswordHash(password: password, iterations: max(settings.hashIterations, PasswordHash.minimumIterations))
        } catch {
            out += line("% Could not hash the password: \(error.reason).")
            phase = .newPassword
            editor.begin(prompt: "New password: ", echo: false, into: &out)
            return
        }
        if let problem = backend.setLoginPasswordHash(hash.encoded) {
            out += line("% Could not store the password: \(problem)")
            phase = .newPassword
            editor.begin(prompt: "New password: ", echo: false, into: &out)
            return
        }
        out += line("Console password set.")
        throttle.success()
        enterExec(into: &out)
    }

    func wipe(_ bytes: inout [UInt8]) {
        for i in bytes.indices { bytes[i] = 0 }
        bytes.removeAll()
    }

    func logout(now: ConsoleInstant, into out: inout [UInt8]) {
        if phase == .configure || phase == .importing {
            out += textLines(backend.endConfigure())
        }
        if debugging {
            _ = backend.setSIPDebug(false)
            debugging = false
        }
        wipe(&newPassword)
        importLines = []
        notices = []
        pager.stop()
        editor.cancel()
        context = []
        resumeAt = nil
        if settings.closeOnLogout {
            phase = .closed
            return
        }
        out += [0x0D, 0x0A]
        beginLogin(now: now, into: &out)
    }

    // MARK: Events

    func handle(_ event: EditorEvent, now: ConsoleInstant, into out: inout [UInt8]) {
        switch event {
        case .line(var bytes):
            switch phase {
            case .login: checkPassword(&bytes, now: now, into: &out)
            case .newPassword: chooseNewPassword(&bytes, into: &out)
            case .repeatPassword: repeatNewPassword(&bytes, into: &out)
            case .exec, .configure: runLine(String(decoding: bytes, as: UTF8.self), now: now, into: &out)
            case .confirmFactoryReset:
                let answer = String(decoding: bytes, as: UTF8.self).trimmingSpaces.lowercased()
                phase = .exec
                if answer == "yes" {
                    show(backend.factoryReset(), into: &out)
                } else {
                    out += line("Factory reset cancelled.")
                    prompt(into: &out)
                }
            case .importing:
                let text = String(decoding: bytes, as: UTF8.self)
                if text.trimmingSpaces == "." {
                    finishImport(into: &out)
                } else if importBytes + text.utf8.count + 1 > Self.importLimit {
                    importLines = []
                    importBytes = 0
                    phase = .configure
                    out += line("% Import cancelled: more than \(Self.importLimit / 1024) KiB.")
                    prompt(into: &out)
                } else {
                    importLines.append(text)
                    importBytes += text.utf8.count + 1
                    prompt(into: &out)
                }
            case .waiting, .locked, .closed:
                break
            }
        case .help(let text):
            for l in helpLines(text) { out += l + [0x0D, 0x0A] }
            editor.redraw(into: &out)
        case .complete(let text):
            switch completion(text) {
            case .insert(let s):
                editor.insert(s, into: &out)
            case .candidates(let list):
                editor.breakLine(into: &out)
                out += line(list.joined(separator: "  "))
                editor.redraw(into: &out)
            case .none:
                break
            }
        case .interrupt:
            switch phase {
            case .login, .newPassword, .repeatPassword:
                wipe(&newPassword)
                if phase == .repeatPassword { phase = .newPassword }
                editor.begin(prompt: phase == .login ? "Password: " : "New password: ", echo: false, into: &out)
            case .importing:
                importLines = []
                importBytes = 0
                phase = .configure
                out += line("% Import cancelled.")
                prompt(into: &out)
            case .confirmFactoryReset:
                phase = .exec
                out += line("Factory reset cancelled.")
                prompt(into: &out)
            default:
                prompt(into: &out)
            }
        case .endOfInput:
            switch phase {
            case .exec:
                logout(now: now, into: &out)
            case .configure:
                leaveConfigure(into: &out)
            case .importing:
                finishImport(into: &out)
            case .confirmFactoryReset:
                phase = .exec
                out += line("Factory reset cancelled.")
                prompt(into: &out)
            default:
                if settings.closeOnLogout {
                    logout(now: now, into: &out)
                } else {
                    editor.begin(prompt: phase == .login ? "Password: " : "New password: ", echo: false, into: &out)
                }
            }
        }
    }

    func finishImport(into out: inout [UInt8]) {
        let text = importLines.joined(separator: "\n") + (importLines.isEmpty ? "" : "\n")
        importLines = []
        importBytes = 0
        phase = .configure
        show(backend.importConfig(text), into: &out)
    }

    // MARK: Prompt and output

    private var promptText: String {
        let host = ConsoleText.promptSafe(backend.hostname)
        let name = host.isEmpty ? "trunkbox" : host
        switch phase {
        case .configure:
            if let block = context.last { return "\(name)(config-\(ConsoleText.promptSafe(block.tag, limit: 24)))# " }
            return "\(name)(config)# "
        case .importing:
            return ""
        default:
            return "\(name)# "
        }
    }

    /// Shows queued notices, then the prompt of the current phase.
    func prompt(into out: inout [UInt8]) {
        guard phase == .exec || phase == .configure || phase == .importing else { return }
        if !notices.isEmpty {
            for n in notices { for l in ConsoleText.lines(n) { out += l + [0x0D, 0x0A] } }
            notices = []
        }
        editor.begin(prompt: promptText, echo: true, commandKeys: phase != .importing, into: &out)
    }

    func line(_ text: String) -> [UInt8] {
        textLines(text)
    }

    func textLines(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for l in ConsoleText.lines(text) { out += l + [0x0D, 0x0A] }
        return out
    }

    /// Shows command output through the pager, then the prompt (at once, or when paging ends).
    func show(_ text: String, into out: inout [UInt8]) {
        if !pager.start(ConsoleText.lines(text), into: &out) { prompt(into: &out) }
    }

    func seconds(from now: ConsoleInstant, to until: ConsoleInstant) -> Int64 {
        max(1, (until.milliseconds - now.milliseconds + 999) / 1000)
    }

    func enterExec(into out: inout [UInt8]) {
        phase = .exec
        context = []
        prompt(into: &out)
    }

    func leaveConfigure(into out: inout [UInt8]) {
        phase = .exec
        context = []
        show(backend.endConfigure(), into: &out)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

/// A session belongs to one console thread.
@available(*, unavailable)
extension ConsoleSession: Sendable {}
