// FakeBackend: a deterministic ConsoleBackend for the console tests: canned box answers, a tiny config language.
import Console

/// Records every call and answers with fixed text. Its config language: `hostname WORD`,
/// `profile WORD` (a block holding `registrar WORD`, `channels <1-300>`, `password WORD`),
/// `no profile WORD`, `logging level {info|debug}`.
final class FakeBackend: ConsoleBackend {
    var hostname = "trunkbox"
    var passwordHash: String?
    var calls: [String] = []
    var candidate: [String] = []
    var versions: [[String]] = [["hostname trunkbox"]]
    var logLines = 60

    init(passwordHash: String? = nil) {
        self.passwordHash = passwordHash
    }

    func showStatus() -> String {
        calls.append("showStatus")
        return """
        trunkbox 0.1.0, up 3 days 04:05
        registrations: 2 of 2 profiles registered
        channels: 1 of 6 in use
        analog line: idle
        recent errors: none
        """
    }
    func showRegistrations() -> String {
        calls.append("showRegistrations")
        return "profile  registrar               state       expires\nskype1   sip.example.net:5061  registered  3412 s\nskype2   sip.example.net:5061  registered  2980 s"
    }
    func showCalls() -> String { calls.append("showCalls"); return "no live calls" }
    func showChannels() -> String { calls.append("showChannels"); return "skype1  1/4\nskype2  0/2" }
    func showCDR(month: ConsoleMonth?, profile: String?, last: Int?) -> String {
        calls.append("showCDR month=\(month.map(\.description) ?? "-") profile=\(profile ?? "-") last=\(last.map(String.init) ?? "-")")
        return "2026-11-28 10:00  skype1  out  +14155550100  00:03:12"
    }
    func showReport(month: ConsoleMonth) -> String { calls.append("showReport \(month)"); return "report for \(month): 12 calls, 83 minutes" }
    func exportCDR(month: ConsoleMonth) -> String { calls.append("exportCDR \(month)"); return "start,profile,direction,number,seconds\n2026-11-28T10:00:00Z,skype1,out,+14155550100,192" }
    func showRunningConfig() -> String {
        calls.append("showRunningConfig")
        return versions.last!.joined(separator: "\n")
    }
    func showLog() -> String {
        calls.append("showLog")
        return (1...logLines).map { "log line \($0)" }.joined(separator: "\n")
    }
    func showConfigHistory() -> String {
        calls.append("showConfigHistory")
        return versions.indices.map { "version \($0 + 1)" }.joined(separator: "\n")
    }
    func showConfigDiff(from: Int, to: Int) -> String { calls.append("showConfigDiff \(from) \(to)"); return "--- \(from)\n+++ \(to)" }
    func testTrunk(profile: String) -> String { calls.append("testTrunk \(profile)"); return "DNS      pass\nTLS      pass\nREGISTER pass\nOPTIONS  pass" }
    func setSIPDebug(_ on: Bool) -> String { calls.append("setSIPDebug \(on)"); return on ? "SIP trace on" : "SIP trace off" }
    func reload() -> String { calls.append("reload"); return "Reloading..." }
    func factoryReset() -> String { calls.append("factoryReset"); passwordHash = nil; return "Factory defaults restored." }
    func simulateRing(from caller: String?) -> String { calls.append("simulateRing"); return "% line simulation is not available yet" }
    func simulateResetButton(seconds: Int) -> String { calls.append("simulateResetButton \(seconds)"); return "holding the reset button for \(seconds) s\n" }

    func beginConfigure(who: String) -> String {
        calls.append("beginConfigure \(who)")
        candidate = versions.last!
        return ""
    }
    func endConfigure() -> String {
        calls.append("endConfigure")
        return candidate == versions.last! ? "" : "% Uncommitted changes kept in the candidate"
    }

    func configureLine(_ line: String, context: [ConfigBlock]) -> ConfigLineResult {
        calls.append("configureLine \(line) @\(context.map(\.name).joined(separator: "/"))")
        let w = line.split(separator: " ").map(String.init)
        if context.isEmpty {
            switch (w.first, w.count) {
            case ("hostname", 2): candidate.append(line); hostname = w[1]; return ConfigLineResult()
            case ("profile", 2):
                if !candidate.contains(line) { candidate.append(line) }
                return ConfigLineResult(context: [ConfigBlock(name: line, tag: "profile")])
            case ("no", 3) where w[1] == "profile": candidate.removeAll { $0 == "profile \(w[2])" }; return ConfigLineResult()
            case ("logging", 3) where w[1] == "level" && ["info", "debug"].contains(w[2]): candidate.append(line); return ConfigLineResult()
            default: return ConfigLineResult(output: "% Invalid statement '\(line)'")
            }
        }
        switch (w.first, w.count) {
        case ("registrar", 2), ("password", 2): candidate.append(" " + line); return ConfigLineResult()
        case ("channels", 2):
            guard let n = Int(w[1]), (1...300).contains(n) else { return ConfigLineResult(output: "% channels: 1 to 300") }
            candidate.append(" " + line)
            return ConfigLineResult()
        default: return ConfigLineResult(output: "% Invalid statement '\(line)' in \(context.last!.name)")
        }
    }

    func configureHelp(words: [String], context: [ConfigBlock]) -> [ConsoleHelpItem] {
        func k(_ t: String, _ h: String) -> ConsoleHelpItem { ConsoleHelpItem(token: t, help: h, isKeyword: true) }
        func a(_ t: String, _ h: String) -> ConsoleHelpItem { ConsoleHelpItem(token: t, help: h, isKeyword: false) }
        if context.isEmpty {
            switch words {
            case []: return [k("hostname", "Name of the box"), k("profile", "A Skype Connect SIP profile"),
                             k("no", "Remove a statement"), k("logging", "Logging settings")]
            case ["hostname"], ["profile"]: return [a("WORD", "Name")]
            case ["no"]: return [k("profile", "Remove a profile")]
            case ["no", "profile"]: return [a("WORD", "Profile name")]
            case ["logging"]: return [k("level", "Lowest level logged")]
            case ["logging", "level"]: return [k("info", "Normal"), k("debug", "Everything")]
            default:
                if words.count == 2 || words.count == 3 { return [.endOfLine] }
                return []
            }
        }
        switch words {
        case []: return [k("registrar", "Registrar host"), k("channels", "Concurrent calls"), k("password", "SIP password")]
        case ["registrar"], ["password"]: return [a("WORD", "Value")]
        case ["channels"]: return [a("<1-300>", "Channels")]
        default: return words.count == 2 ? [.endOfLine] : []
        }
    }

    func commit(who: String) -> String {
        calls.append("commit \(who)")
        versions.append(candidate)
        return "Committed version \(versions.count)."
    }
    func commitConfirmed(minutes: Int, who: String) -> String {
        calls.append("commitConfirmed \(minutes) \(who)")
        versions.append(candidate)
        return "Committed version \(versions.count); rolls back in \(minutes) min unless confirmed."
    }
    func confirmCommit() -> String { calls.append("confirmCommit"); return "Confirmed." }
    func rollback(version: Int) -> String { calls.append("rollback \(version)"); return "Candidate loaded from version \(version)." }
    func exportConfig() -> String { calls.append("exportConfig"); return versions.last!.joined(separator: "\n") }
    func importConfig(_ text: String) -> String {
        calls.append("importConfig \(text.split(separator: "\n").count) lines")
        candidate = text.split(separator: "\n").map(String.init)
        return "Candidate replaced (\(candidate.count) lines)."
    }

    func loginPasswordHash() -> String? { passwordHash }
    func setLoginPasswordHash(_ encoded: String) -> String? {
        calls.append("setLoginPasswordHash")
        passwordHash = encoded
        return nil
    }
}
