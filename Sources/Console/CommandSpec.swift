// CommandSpec: one console command declared once: its action, its grammar and help for each token.

/// What a console command does; the session maps each to a backend call or a session change.
public enum ConsoleAction: String, Sendable, Equatable, CaseIterable {
    case showStatus, showRegistrations, showCalls, showChannels, showCDR, showReport, showRunningConfig
    case showLog, showConfigHistory, showConfigDiff
    case exportCDR, exportConfig, importConfig
    case testTrunk, debugSIP, noDebugSIP, reload, factoryReset, simulateRing, simulateResetButton, terminalLength
    case configure, exit, end, logout
    case commit, commitConfirmed, confirm, rollback
}

/// A declared command: `pattern` in the FRRouting-like grammar and one help string per terminal,
/// left to right (`[month YYYY-MM]` has two terminals, so two help strings).
public struct CommandSpec: Sendable {
    public let action: ConsoleAction
    public let pattern: String
    public let help: [String]
    let paths: [[(token: CommandToken, index: Int)]]

    /// Reads the declaration; a malformed one or a help count that does not match is an error.
    public init(_ action: ConsoleAction, _ pattern: String, help: [String]) throws(CommandDeclarationError) {
        let (parsed, terminals) = try CommandPatternParser.parse(pattern)
        guard terminals == help.count else {
            throw CommandDeclarationError(declaration: pattern, reason: "\(terminals) tokens but \(help.count) help strings")
        }
        self.action = action
        self.pattern = pattern
        self.help = help
        self.paths = parsed.paths()
    }
}

/// A typed line matched to a command: the action, and each word with the token it matched.
public struct ParsedCommand: Sendable, Equatable {
    public var action: ConsoleAction
    /// The matched tokens with the words typed for them (keywords as typed, possibly abbreviated).
    public var words: [(token: CommandToken, text: String)]

    public static func == (a: ParsedCommand, b: ParsedCommand) -> Bool {
        a.action == b.action && a.words.count == b.words.count
            && zip(a.words, b.words).allSatisfy { $0.token == $1.token && $0.text == $1.text }
    }

    /// Whether the keyword appears in the matched line (`commit confirmed 5` has "confirmed").
    public func has(_ keyword: String) -> Bool {
        words.contains { $0.token == .keyword(keyword) }
    }

    /// The argument typed right after `keyword` (`value(after: "month")` in `show cdr month 2026-11`).
    public func value(after keyword: String) -> String? {
        guard let i = words.firstIndex(where: { $0.token == .keyword(keyword) }), i + 1 < words.count,
              words[i + 1].token.keyword == nil else { return nil }
        return words[i + 1].text
    }

    /// The arguments (non-keyword words) in order.
    public var arguments: [String] { words.filter { $0.token.keyword == nil }.map(\.text) }

    /// The line with every keyword written out in full.
    public var canonical: String {
        words.map { $0.token.keyword ?? $0.text }.joined(separator: " ")
    }
}
