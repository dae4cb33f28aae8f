// StoreOpenReport: what Store.open found and did (opened, created, recovered from last-good, reset to factory).

/// The outcome of opening the store, for the box to log and, unless `.opened`, to say loudly on the
/// console and in `show status`.
public struct StoreOpenReport: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: String, Sendable, Equatable {
        /// The existing file passed the integrity check.
        case opened
        /// There was no store (first boot): a new one holds the factory defaults as version 1.
        case created
        /// The file was damaged, unreadable or missing; it was set aside (if present) and the last-good
        /// copy of the running config became version 1 of a new store.
        case recoveredFromLastGood = "recovered-from-last-good"
        /// As above, but with no usable last-good copy: the factory defaults became version 1.
        case resetToFactory = "reset-to-factory"
    }

    public let outcome: Outcome
    /// Why the file was not used (integrity check output or SQLite's message), for the two recovery outcomes.
    public let reason: String?
    /// Where the damaged file now is (`trunkbox.db.corrupt-20261129T151110Z`), when one was set aside.
    public let setAsidePath: String?
    /// Schema version before and after migrations.
    public let schemaBefore: Int
    public let schemaAfter: Int
    /// The running config after opening.
    public let runningID: Int64
    /// A confirmed commit still waiting (it survived a restart); the caller must call
    /// `revertUnconfirmed(now:)` when its deadline passes (or at once when it has already passed).
    public let pendingConfirmation: PendingConfirmation?

    /// True when the box must say so loudly: the config it runs is not the one it ran before.
    public var isLoud: Bool { outcome == .recoveredFromLastGood || outcome == .resetToFactory }

    public var description: String {
        var text: String
        switch outcome {
        case .opened: text = "store opened (schema \(schemaBefore)→\(schemaAfter)), running config version \(runningID)"
        case .created: text = "new store created with the factory defaults as version \(runningID)"
        case .recoveredFromLastGood: text = "STORE RECOVERED: the last good config was restored as version \(runningID)"
        case .resetToFactory: text = "STORE RESET: no last good config was available; running the factory defaults"
        }
        if let reason { text += "; reason: \(reason)" }
        if let setAsidePath { text += "; damaged file kept as \(setAsidePath)" }
        return text
    }
}

/// How `Store.open` checks the file.
public enum IntegrityCheck: String, Sendable {
    /// `PRAGMA integrity_check`: b-trees, free list, and that every index matches its table.
    case full
    /// `PRAGMA quick_check`: the same without the index-to-table comparison (O(N) instead of O(N log N)).
    case quick
}

/// Options for `Store.open`.
public struct StoreOptions: Sendable {
    /// Where the last-good copy of the running config lives; default: the database path + ".last-good".
    public var lastGoodPath: String?
    public var integrityCheck: IntegrityCheck
    /// Told about problems that do not fail the call (a last-good copy that could not be written).
    public var warning: @Sendable (String) -> Void

    public init(lastGoodPath: String? = nil, integrityCheck: IntegrityCheck = .full, warning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.lastGoodPath = lastGoodPath
        self.integrityCheck = integrityCheck
        self.warning = warning
    }
}
