// ConfigIssue: one problem found in a config text or model, with the line and field it concerns.

/// A syntax or validation finding: where (1-based line of the config text), which field (the statement's
/// keyword, e.g. `channels`, `route`, `gpio hook`) and what is wrong, in words an installer can act on.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    /// An error stops a commit; a warning is shown and the commit goes ahead.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// 1-based line in the config text (always at least 1).
    public var line: Int
    /// The statement keyword the issue is about (`channels`, `online-number`, `profile`, ...).
    public var field: String
    /// What is wrong, without the line and field (e.g. "400 is out of range 1-300").
    public var message: String
    public var severity: Severity

    public init(line: Int, field: String, _ message: String, severity: Severity = .error) {
        self.line = max(1, line)
        self.field = field
        self.message = message
        self.severity = severity
    }

    /// `line 14: channels: 400 is out of range 1-300` (warnings say `warning:` after the field).
    public var description: String {
        let head = field.isEmpty ? "line \(line)" : "line \(line): \(field)"
        return severity == .warning ? "\(head): warning: \(message)" : "\(head): \(message)"
    }
}

/// Why a config text or candidate was refused: every error found (in line order, at most
/// `ConfigLimits.maxIssues`), not just the first, so an installer can fix them in one pass.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The errors, sorted by line. Never empty.
    public var issues: [ConfigIssue]

    public init(_ issues: [ConfigIssue]) {
        self.issues = issues.sorted { ($0.line, $0.field) < ($1.line, $1.field) }
    }

    public init(line: Int, field: String, _ message: String) {
        self.init([ConfigIssue(line: line, field: field, message)])
    }

    /// The first error: the one a one-line console message shows.
    public var first: ConfigIssue { issues[0] }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
