// BoxConsoleBackend: the console's view of the running box: status, registrations, records and reports, and config editing.
import Config
import Console
import Foundation
import Store

/// What the console needs from the live parts of the box (SIP, media, line), answered as text. The box
/// implements it over its event loop; tests use their own.
public protocol BoxRuntime: AnyObject, Sendable {
    /// One line per trunk profile: state, expiry, last response, last error, since when.
    func registrationLines() -> [String]
    func callLines() -> [String]
    func channelLines() -> [String]
    func recentLog(limit: Int) -> [String]
    func testTrunk(profile: String) -> String
    func setSIPDebug(_ on: Bool) -> String
    func simulateRing(from caller: String?) -> String
    func simulateResetButton(seconds: Int) -> String
    /// The analog line's state for `show status` (empty: not running).
    func lineLines() -> [String]
    /// Restarts the box's process (a clean stop, then the same program again); returns what to show first.
    func reload() -> String
    /// Extra status lines (listeners, media thread priority, line state).
    func statusLines() -> [String]
}

/// One console session's backend: it shares the config service and the runtime with every other
/// console, and keeps its own candidate while in configure mode.
public final class BoxConsoleBackend: ConsoleBackend {
    public static let passwordKey = "console.password"

    private let service: ConfigService
    private let runtime: BoxRuntime
    private let startedAt: Date
    private let version: String
    private var candidate: ConfigCandidate?
    private var context: ConfigCandidate.Context = .top

    public init(service: ConfigService, runtime: BoxRuntime, version: String, startedAt: Date) {
        self.service = service
        self.runtime = runtime
        self.version = version
        self.startedAt = startedAt
    }

    public var hostname: String { service.running.hostname }

    // MARK: show

    public func showStatus() -> String {
        let running = service.running
        let uptime = Int(Date().timeIntervalSince(startedAt))
        var out = "\(version), up \(Self.duration(uptime))\n"
        out += "running configuration: version \(service.runningVersion)"
        if let pending = service.pendingConfirmation() {
            out += " (unconfirmed: rolls back to \(pending.fallbackID) at \(pending.deadline) unless confirmed)"
        }
        out += "\n"
        for w in service.loadWarnings { out += "WARNING: \(w)\n" }
        out += "profiles: \(running.profiles.count)\n"
        for line in runtime.registrationLines() { out += "  " + line + "\n" }
        for line in runtime.channelLines() { out += "  " + line + "\n" }
        if let line = running.line {
            let lines = runtime.lineLines()
            if lines.isEmpty { out += "analog line: \(line.device): not running (see 'show log' for why)\n" }
            for l in lines { out += l + "\n" }
        } else {
            out += "analog line: none configured\n"
        }
        for line in runtime.statusLines() { out += line + "\n" }
        let errors = runtime.recentLog(limit: 5)
        if !errors.isEmpty {
            out += "recent events:\n"
            for e in errors { out += "  " + e + "\n" }
        }
        return out
    }

    public func showRegistrations() -> String {
        let lines = runtime.registrationLines()
        return lines.isEmpty ? "no trunk profiles are configured\n" : lines.joined(separator: "\n") + "\n"
    }

    public func showCalls() -> String {
        let lines = runtime.callLines()
        return lines.isEmpty ? "no calls in progress\n" : lines.joined(separator: "\n") + "\n"
    }

    public func showChannels() -> String {
        let lines = runtime.channelLines()
        return lines.isEmpty ? "no trunk profiles are configured\n" : lines.joined(separator: "\n") + "\n"
    }

    public func showCDR(month: ConsoleMonth?, profile: String?, last: Int?) -> String {
        do {
            let callMonth = try month.map { m throws(StoreError) in try CallMonth(year: m.year, month: m.month) }
            let records = try service.withStore { try $0.callRecords(month: callMonth, profile: profile, last: last ?? (month == nil ? 20 : nil)) }
            guard !records.isEmpty else { return "no call records\n" }
            var out = "start (UTC)               profile      dir  caller            called            secs  outcome\n"
            for r in records {
                let profile = r.profile.padding(toLength: 12, withPad: " ", startingAt: 0)
                let caller = r.caller.padding(toLength: 16, withPad: " ", startingAt: 0)
                let called = r.called.padding(toLength: 16, withPad: " ", startingAt: 0)
                out += "\(r.start)  \(profile) \(r.direction == .outgoing ? "out" : "in ")  \(caller)  \(called)  "
                out += String(format: "%4d", r.billableSeconds) + "  \(r.disposition) (\(r.sipCause))\n"
            }
            return out
        } catch {
            return "% \(error)\n"
        }
    }

    public func showReport(month: ConsoleMonth) -> String {
        do {
            let m = try CallMonth(year: month.year, month: month.month)
            let bundles = Dictionary(service.running.profiles.map { ($0.name, $0.usBundles) }, uniquingKeysWith: { a, _ in a })
            let report = try service.withStore { try $0.monthlyReport(month: m, bundles: bundles) }
            var out = "Call history report for \(m)\n\n"
            out += "profile       direction  calls  answered  minutes  US bundle min  credit min\n"
            for l in report.lines {
                out += l.profile.padding(toLength: 13, withPad: " ", startingAt: 0) + " "
                out += "\(l.direction)".padding(toLength: 9, withPad: " ", startingAt: 0)
                out += String(format: "  %5d  %8d  %7d  %13d  %10d\n", l.calls, l.answeredCalls, l.minutes, l.usBundleMinutes, l.creditMinutes)
            }
            if !report.bundleUse.isEmpty {
                out += "\nUS minute bundles (5,000 minutes each)\n"
                for b in report.bundleUse {
                    out += "  \(b.profile): \(b.bundles) bundle(s), \(b.usedMinutes) of \(b.allowanceMinutes) minutes used"
                    out += b.minutesOverAllowance > 0 ? ", \(b.minutesOverAllowance) over (charged to credit)\n" : ", \(b.remainingMinutes) left\n"
                }
            }
            let outcomes = report.outcomes.filter { $0.calls > 0 }
            if !outcomes.isEmpty {
                out += "\ncalls by outcome: " + outcomes.map { "\($0.disposition) \($0.calls)" }.joined(separator: ", ") + "\n"
            }
            out += "total: \(report.totalCalls) calls, \(report.totalMinutes) minutes\n"
            return out
        } catch {
            return "% \(error)\n"
        }
    }

    public func exportCDR(month: ConsoleMonth) -> String {
        do {
            let m = try CallMonth(year: month.year, month: month.month)
            return try service.withStore { try $0.exportCSV(month: m) }
        } catch {
            return "% \(error)\n"
        }
    }

    public func showRunningConfig() -> String { ConfigText.masked(service.running) }

    public func showLog() -> String {
        let lines = runtime.recentLog(limit: 200)
        return lines.isEmpty ? "the log is empty\n" : lines.joined(separator: "\n") + "\n"
    }

    public func showConfigHistory() -> String { service.history() }

    public func showConfigDiff(from: Int, to: Int) -> String { service.diff(from: Int64(from), to: Int64(to)) }

    public func testTrunk(profile: String) -> String { runtime.testTrunk(profile: profile) }
    public func setSIPDebug(_ on: Bool) -> String { runtime.setSIPDebug(on) }
    public func simulateRing(from caller: String?) -> String { runtime.simulateRing(from: caller) }
    public func simulateResetButton(seconds: Int) -> String { runtime.simulateResetButton(seconds: seconds) }

    public func reload() -> String { runtime.reload() }

    public func factoryReset() -> String {
        candidate = nil
        return Self.factoryReset(service: service, author: "console")
    }

    /// Factory defaults running, every call record erased, the console password cleared: the console's
    /// `factory-reset` and the reset button held 10 s. Returns what was done, in words.
    public static func factoryReset(service: ConfigService, author: String) -> String {
        let result = service.commit(ConfigText.serialize(.factoryDefault), author: author, comment: "factory reset")
        let erased = (try? service.withStore { try $0.eraseCallRecords() }) ?? 0
        _ = service.withStore { try? $0.removeSetting(Self.passwordKey) }
        let tail = "\(erased) call record(s) erased; the console password is cleared (the next login sets one)\n"
        switch result {
        case .committed(let v, _, _): return "factory defaults are now running (version \(v)); " + tail
        case .unchanged: return "the box already runs factory defaults; " + tail
        case .refused(let why): return "% " + why.joined(separator: "\n% ") + "\n"
        }
    }

    // MARK: configure

    public func beginConfigure(who: String) -> String {
        if candidate == nil { candidate = ConfigCandidate(from: service.runningText) }
        context = .top
        return "editing a candidate of running version \(service.runningVersion); 'commit' applies it, 'end' leaves\n"
    }

    public func endConfigure() -> String {
        defer { candidate = nil; context = .top }
        if candidate?.isModified == true { return "uncommitted changes discarded\n" }
        return ""
    }

    public func configureLine(_ line: String, context blocks: [Console.ConfigBlock]) -> ConfigLineResult {
        if candidate == nil { candidate = ConfigCandidate(from: service.runningText) }
        let where_ = Self.context(of: blocks)
        switch candidate!.apply(line, in: where_) {
        case .changed:
            return ConfigLineResult()
        case .entered(let inner):
            let block: Console.ConfigBlock
            switch inner {
            case .profile(let name): block = Console.ConfigBlock(name: "profile \(name)", tag: "profile")
            case .block(let b): block = Console.ConfigBlock(name: b.keyword, tag: b.keyword)
            case .top: return ConfigLineResult(context: [])
            }
            return ConfigLineResult(context: [block])
        case .refused(let why):
            return ConfigLineResult(output: why)
        }
    }

    public func configureHelp(words: [String], context blocks: [Console.ConfigBlock]) -> [ConsoleHelpItem] {
        let block = Self.context(of: blocks)
        let schemaBlock: Config.ConfigBlock
        switch block {
        case .top: schemaBlock = .top
        case .block(let b): schemaBlock = b
        case .profile: schemaBlock = .profile
        }
        let keywords = Set(ConfigSchema.completions(for: words + [""], in: schemaBlock))
        var items: [ConsoleHelpItem] = ConfigSchema.help(after: words + [""], in: schemaBlock).map { h in
            h.syntax == "<cr>" ? .endOfLine : ConsoleHelpItem(token: h.syntax, help: h.help, isKeyword: keywords.contains(h.syntax))
        }
        if words.isEmpty {
            items.append(ConsoleHelpItem(token: "no", help: "Remove a statement (it returns to its default)", isKeyword: true))
        }
        return ConsoleHelpItem.ordered(items)
    }

    public func commit(who: String) -> String { commit(who: who, confirmMinutes: nil) }

    public func commitConfirmed(minutes: Int, who: String) -> String { commit(who: who, confirmMinutes: minutes) }

    private func commit(who: String, confirmMinutes: Int?) -> String {
        guard let candidate else { return "% nothing to commit: enter configure mode first\n" }
        switch service.commit(candidate.text, author: who, comment: confirmMinutes.map { "commit confirmed \($0)" } ?? "", confirmMinutes: confirmMinutes) {
        case .committed(let v, let warnings, let changes):
            self.candidate = ConfigCandidate(from: service.runningText)
            var out = "committed as version \(v)\n"
            for c in changes { out += "  " + c + "\n" }
            for w in warnings { out += w + "\n" }
            if let m = confirmMinutes { out += "rolls back in \(m) minute(s) unless you type 'confirm'\n" }
            return out
        case .unchanged:
            return "no changes to commit\n"
        case .refused(let errors):
            return errors.map { "% " + $0 }.joined(separator: "\n") + "\n% commit refused: nothing was changed\n"
        }
    }

    public func confirmCommit() -> String { service.confirm() + "\n" }

    public func rollback(version: Int) -> String {
        let out = service.rollback(to: Int64(version), author: "console") + "\n"
        if candidate != nil { candidate = ConfigCandidate(from: service.runningText) }
        return out
    }

    public func exportConfig() -> String { ConfigText.masked(service.running) }

    public func importConfig(_ text: String) -> String {
        if candidate == nil { candidate = ConfigCandidate(from: service.runningText) }
        switch candidate!.replace(with: text) {
        case .refused(let why): return "% import refused:\n" + why + "\n"
        default: return "imported into the candidate ('commit' to apply; '********' keeps the running secret)\n"
        }
    }

    // MARK: login

    public func loginPasswordHash() -> String? {
        guard let h = service.setting(Self.passwordKey), !h.isEmpty else { return nil }
        return h
    }

    public func setLoginPasswordHash(_ encoded: String) -> String? { service.setSetting(Self.passwordKey, encoded) }

    // MARK: helpers

    static func context(of blocks: [Console.ConfigBlock]) -> ConfigCandidate.Context {
        guard let last = blocks.last else { return .top }
        let words = ConfigCandidate.words(last.name)
        if words.first == "profile", words.count == 2 { return .profile(words[1]) }
        if let b = Config.ConfigBlock(rawValue: words.first ?? "") { return .block(b) }
        return .top
    }

    static func duration(_ seconds: Int) -> String {
        let d = seconds / 86_400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60
        return d > 0 ? "\(d)d \(h)h \(m)m" : h > 0 ? "\(h)h \(m)m \(s)s" : "\(m)m \(s)s"
    }
}
