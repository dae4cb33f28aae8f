// Store+Config: versioned config: commit, confirmed commit, confirm, automatic revert, rollback, history.

extension Store {
    /// The running config.
    public func running() throws(StoreError) -> ConfigVersion {
        try lock.withLock { () throws(StoreError) in
            guard let id = try readState().runningID, let version = try loadVersion(id) else { throw .noRunningVersion }
            return version
        }
    }

    /// The version with this id, or nil.
    public func version(_ id: Int64) throws(StoreError) -> ConfigVersion? {
        try lock.withLock { () throws(StoreError) in try loadVersion(id) }
    }

    /// The newest `limit` versions, newest first.
    public func history(limit: Int = 50) throws(StoreError) -> [ConfigVersion] {
        guard limit > 0 else { throw .invalidArgument("history limit must be at least 1, not \(limit)") }
        return try lock.withLock { () throws(StoreError) in
            try connection.query("SELECT id, text, sha256, created_ms, author, comment FROM config_version ORDER BY id DESC LIMIT ?", limit, row: Self.version(from:))
        }
    }

    /// Stores `text` as a new version and makes it the running config, in one transaction, durable on
    /// return. A confirmed commit waiting for confirmation is settled by this commit (it is no longer
    /// rolled back). The last-good copy is then replaced with `text`.
    @discardableResult
    public func commit(text: String, author: String, comment: String = "", now: UTCTime = .now()) throws(StoreError) -> ConfigVersion {
        try checkText(text)
        let version = try lock.withLock { () throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                let version = try insertVersion(text: text, author: author, comment: comment, now: now)
                try setRunning(version.id, pending: nil)
                return version
            }
        }
        writeLastGood(version)
        return version
    }

    /// `commit confirmed`: stores and runs `text` like `commit`, and records that unless `confirm()` is
    /// called within `seconds`, `revertUnconfirmed(now:)` goes back to the config that ran before. That
    /// record is in the file, so it survives a restart. A second confirmed commit before confirmation
    /// keeps the first one's fallback (the last confirmed config) and sets a new deadline. The last-good
    /// copy keeps the fallback until the commit is confirmed.
    @discardableResult
    public func commit(text: String, author: String, comment: String = "", confirmWithin seconds: Int, now: UTCTime = .now()) throws(StoreError) -> ConfigVersion {
        try checkText(text)
        guard seconds > 0 else { throw .invalidArgument("the confirmation time must be at least 1 second, not \(seconds)") }
        return try lock.withLock { () throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                let state = try readState()
                guard let fallback = state.pending?.fallbackID ?? state.runningID else { throw .noRunningVersion }
                let version = try insertVersion(text: text, author: author, comment: comment, now: now)
                let pending = PendingConfirmation(versionID: version.id, fallbackID: fallback, deadline: now.adding(seconds: Int64(seconds)))
                try setRunning(version.id, pending: pending)
                return version
            }
        }
    }

    /// The confirmed commit waiting for confirmation, if any.
    public func pendingConfirmation() throws(StoreError) -> PendingConfirmation? {
        try lock.withLock { () throws(StoreError) in try readState().pending }
    }

    /// Confirms the waiting confirmed commit: it stays, and becomes the last-good copy. Returns it.
    @discardableResult
    public func confirm() throws(StoreError) -> ConfigVersion {
        let version = try lock.withLock { () throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                let state = try readState()
                guard state.pending != nil, let running = state.runningID else { throw .noPendingConfirmation }
                try setRunning(running, pending: nil)
                guard let version = try loadVersion(running) else { throw .versionNotFound(running) }
                return version
            }
        }
        writeLastGood(version)
        return version
    }

    /// When a confirmed commit's deadline has passed at `now`, stores the fallback's text as a new
    /// version ("rollback to N: version M was not confirmed by <deadline>"), runs it, clears the
    /// pending state, all in one transaction, and returns the new version; otherwise returns nil.
    /// Call it at start-up (the deadline may have passed while the box was off) and when the timer fires.
    @discardableResult
    public func revertUnconfirmed(now: UTCTime = .now(), author: String = "system") throws(StoreError) -> ConfigVersion? {
        let version = try lock.withLock { () throws(StoreError) -> ConfigVersion? in
            try connection.transaction { () throws(StoreError) -> ConfigVersion? in
                guard let pending = try readState().pending, now >= pending.deadline else { return nil }
                guard let fallback = try loadVersion(pending.fallbackID) else { throw .versionNotFound(pending.fallbackID) }
                let comment = "rollback to \(fallback.id): version \(pending.versionID) was not confirmed by \(pending.deadline)"
                let version = try insertVersion(text: fallback.text, author: author, comment: comment, now: now)
                try setRunning(version.id, pending: nil)
                return version
            }
        }
        if let version { writeLastGood(version) }
        return version
    }

    /// Stores version `id`'s text as a new version with comment "rollback to N" and runs it. Settles
    /// any confirmed commit waiting (an explicit rollback is a decision). Returns the new version.
    @discardableResult
    public func rollback(to id: Int64, author: String, now: UTCTime = .now()) throws(StoreError) -> ConfigVersion {
        let version = try lock.withLock { () throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                guard let old = try loadVersion(id) else { throw .versionNotFound(id) }
                let version = try insertVersion(text: old.text, author: author, comment: "rollback to \(id)", now: now)
                try setRunning(version.id, pending: nil)
                return version
            }
        }
        writeLastGood(version)
        return version
    }

    // MARK: helpers (the caller holds the lock)

    struct State {
        var runningID: Int64?
        var pending: PendingConfirmation?
    }

    func readState() throws(StoreError) -> State {
        let state = try connection.queryFirst(
            "SELECT running_id, pending_id, pending_fallback_id, pending_deadline_ms FROM config_state WHERE singleton = 1"
        ) { row in
            var pending: PendingConfirmation?
            if let id = row.optionalInt64(1), let fallback = row.optionalInt64(2), let deadline = row.optionalInt64(3) {
                pending = PendingConfirmation(versionID: id, fallbackID: fallback, deadline: UTCTime(millisecondsSince1970: deadline))
            }
            return State(runningID: row.optionalInt64(0), pending: pending)
        }
        guard let state else { throw .noRunningVersion }
        return state
    }

    func setRunning(_ id: Int64, pending: PendingConfirmation?) throws(StoreError) {
        try connection.run("UPDATE config_state SET running_id = ?, pending_id = ?, pending_fallback_id = ?, pending_deadline_ms = ? WHERE singleton = 1",
                           id, pending?.versionID, pending?.fallbackID, pending?.deadline.millisecondsSince1970)
    }

    func insertVersion(text: String, author: String, comment: String, now: UTCTime) throws(StoreError) -> ConfigVersion {
        let sha = StoreDigest.sha256Hex(text)
        try connection.run("INSERT INTO config_version (text, sha256, created_ms, author, comment) VALUES (?, ?, ?, ?, ?)",
                           text, sha, now.millisecondsSince1970, author, comment)
        return ConfigVersion(id: connection.lastInsertRowID, text: text, sha256: sha, created: now, author: author, comment: comment)
    }

    func loadVersion(_ id: Int64) throws(StoreError) -> ConfigVersion? {
        try connection.queryFirst("SELECT id, text, sha256, created_ms, author, comment FROM config_version WHERE id = ?", id, row: Self.version(from:))
    }

    static func version(from row: SQLiteRow) -> ConfigVersion {
        ConfigVersion(id: row.int64(0), text: row.string(1), sha256: row.string(2), created: UTCTime(millisecondsSince1970: row.int64(3)),
                      author: row.string(4), comment: row.string(5))
    }

    private func checkText(_ text: String) throws(StoreError) {
        guard text.utf8.count <= Self.maximumConfigBytes else {
            throw .invalidArgument("the config is \(text.utf8.count) bytes; the limit is \(Self.maximumConfigBytes)")
        }
    }

    // MARK: last-good copy

    /// Replaces the last-good copy with `version`. A failure does not undo the commit (it is already
    /// durable in the database); it is reported through the warning handler and retried at next open.
    func writeLastGood(_ version: ConfigVersion) {
        do throws(StoreError) {
            try LastGoodCopy(versionID: version.id, text: version.text).write(to: lastGoodPath)
        } catch {
            warning("could not write the last-good config copy \(lastGoodPath): \(error)")
        }
    }

    /// Makes the last-good copy hold the confirmed config (the running one, or the fallback while a
    /// confirmed commit waits): repairs a copy left stale by a crash between commit and copy.
    func refreshLastGood() {
        do throws(StoreError) {
            let state = try readState()
            guard let id = state.pending?.fallbackID ?? state.runningID, let version = try loadVersion(id) else { return }
            if case .valid(let copy) = LastGoodCopy.read(from: lastGoodPath), copy.versionID == version.id, copy.sha256 == version.sha256 { return }
            writeLastGood(version)
        } catch {
            warning("could not check the last-good config copy \(lastGoodPath): \(error)")
        }
    }
}
