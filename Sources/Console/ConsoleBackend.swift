// ConsoleBackend: what the console asks of the box (status, records, config edits and commits, the password).

/// One nested block of the configuration the installer is editing (`profile skype1`), shown in the
/// prompt as `hostname(config-<tag>)#`.
public struct ConfigBlock: Sendable, Equatable {
    /// The statement that opened the block, as the backend wants it back (e.g. "profile skype1").
    public var name: String
    /// The short word for the prompt (e.g. "profile").
    public var tag: String

    public init(name: String, tag: String) {
        self.name = name
        self.tag = tag
    }
}

/// The backend's answer to a configure-mode line.
public struct ConfigLineResult: Sendable, Equatable {
    /// Text to show (an error starts with "% "); may be empty.
    public var output: String
    /// The block path after the line (nil: unchanged). Entering `profile x` returns `context + [x]`.
    public var context: [ConfigBlock]?

    public init(output: String = "", context: [ConfigBlock]? = nil) {
        self.output = output
        self.context = context
    }
}

/// Everything the console needs from the box. Calls come from the console's own thread and may block
/// (an implementation hops to the box's event loop and waits for the answer). Every text answer is
/// plain text with `\n` line ends; the console pages it and neutralises control characters. An error is
/// reported as text starting with "% ".
public protocol ConsoleBackend: AnyObject {
    /// The box's host name, for the prompt.
    var hostname: String { get }

    func showStatus() -> String
    func showRegistrations() -> String
    func showCalls() -> String
    func showChannels() -> String
    func showCDR(month: ConsoleMonth?, profile: String?, last: Int?) -> String
    /// The monthly call-history report.
    func showReport(month: ConsoleMonth) -> String
    /// Call records of a month as CSV.
    func exportCDR(month: ConsoleMonth) -> String
    /// The running configuration with secrets masked.
    func showRunningConfig() -> String
    func showLog() -> String
    func showConfigHistory() -> String
    func showConfigDiff(from: Int, to: Int) -> String
    /// DNS, TLS, REGISTER and OPTIONS towards the profile's trunk, each step pass or fail with a hint.
    func testTrunk(profile: String) -> String
    /// Turns the live SIP trace on or off; trace lines arrive later through `ConsoleSession.notify`.
    func setSIPDebug(_ on: Bool) -> String
    func reload() -> String
    /// Erases configuration, records and the console password (the console has asked for confirmation).
    func factoryReset() -> String
    /// Pretends the analog line rings.
    func simulateRing(from caller: String?) -> String
    /// `line simulate reset-button SECONDS` on the simulated board.
    func simulateResetButton(seconds: Int) -> String

    /// The installer entered configure mode: start a candidate from the running configuration.
    func beginConfigure(who: String) -> String
    /// The installer left configure mode (uncommitted changes stay in the candidate or are dropped, as the box decides).
    func endConfigure() -> String
    /// Applies one configure-mode statement to the candidate, inside `context`.
    func configureLine(_ line: String, context: [ConfigBlock]) -> ConfigLineResult
    /// The tokens that may follow `words` (complete words, keywords written in full) inside `context`,
    /// with `ConsoleHelpItem.endOfLine` when the words already form a statement. Drives `?` and TAB.
    func configureHelp(words: [String], context: [ConfigBlock]) -> [ConsoleHelpItem]
    func commit(who: String) -> String
    func commitConfirmed(minutes: Int, who: String) -> String
    func confirmCommit() -> String
    func rollback(version: Int) -> String
    /// The configuration as text to copy (secrets in their protected form).
    func exportConfig() -> String
    /// Replaces the candidate with pasted text.
    func importConfig(_ text: String) -> String

    /// The stored console password hash (`pbkdf2-sha256$...`), or nil before the first login.
    func loginPasswordHash() -> String?
    /// Stores a new console password hash; returns an error message, or nil when stored.
    func setLoginPasswordHash(_ encoded: String) -> String?
}
