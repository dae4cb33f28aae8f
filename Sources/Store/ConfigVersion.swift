// ConfigVersion: one committed config: its text, SHA-256, time, author and comment.

/// A stored config version. Versions are never changed or deleted; a rollback stores a new version.
public struct ConfigVersion: Sendable, Equatable, Identifiable {
    /// Increasing, never reused (even after a file is set aside, the recovered store starts again at 1
    /// in a new file).
    public let id: Int64
    /// The config text exactly as committed.
    public let text: String
    /// SHA-256 of `text` (UTF-8), 64 lowercase hex digits.
    public let sha256: String
    /// When it was committed (UTC).
    public let created: UTCTime
    /// Who committed it (console user, "system" for automatic rollbacks and recovery).
    public let author: String
    public let comment: String

    public init(id: Int64, text: String, sha256: String, created: UTCTime, author: String, comment: String) {
        self.id = id
        self.text = text
        self.sha256 = sha256
        self.created = created
        self.author = author
        self.comment = comment
    }

    /// True when `sha256` is the hash of `text`: the row was not damaged.
    public var isIntact: Bool { StoreDigest.sha256Hex(text) == sha256 }
}

/// A confirmed commit waiting for `confirm()`: unless confirmed by `deadline`, the store goes back to
/// `fallbackID`'s text.
public struct PendingConfirmation: Sendable, Equatable {
    /// The version committed with `commit confirmed` (the running one while pending).
    public let versionID: Int64
    /// The version to go back to: the running one before the first unconfirmed commit.
    public let fallbackID: Int64
    public let deadline: UTCTime
}
