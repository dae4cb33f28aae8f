// Store: the box's one SQLite file (config versions, call records, settings): open, integrity check, recovery.
import CSQLite

/// The crash-safe store.
///
/// - Every write is one transaction, durable when the call returns (`journal_mode=WAL`,
///   `synchronous=FULL`: the WAL is fsynced at each commit).
/// - The database and its -wal/-shm files are mode 0600; so is the last-good copy of the running config
///   kept beside it, which is how a damaged file is survived (see `open`).
/// - Thread safety: every public method takes an internal lock for its whole duration, so the object
///   may be shared between threads (`Sendable`), but calls are serialized and **block on disk I/O**
///   (an fsync per write). Never call it on an event loop: the gateway runs store calls on a thread
///   pool (one thread is enough; more only queue on the lock) and hands results back to the loop.
public final class Store: @unchecked Sendable {
    /// The database file.
    public let path: String
    /// The last-good copy of the running config.
    public let lastGoodPath: String
    let connection: SQLiteConnection
    let lock = StoreLock()
    let warning: @Sendable (String) -> Void

    /// The schema version this code writes; a file with a higher `user_version` is refused.
    public static var schemaVersion: Int { StoreSchema.latestVersion }

    /// Config texts larger than this are refused (a running config is a few kilobytes).
    public static let maximumConfigBytes = 4 << 20

    private init(path: String, lastGoodPath: String, connection: SQLiteConnection, warning: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.lastGoodPath = lastGoodPath
        self.connection = connection
        self.warning = warning
    }

    /// Closes the database. Later calls throw `StoreError.closed`.
    public func close() {
        try? lock.withLock { () throws(StoreError) in connection.close() }
    }

    /// Opens (or creates) the store at `path` and makes sure it holds a running config.
    ///
    /// 1. The directory must exist (`directoryMissing` otherwise; it is never created).
    /// 2. The file (mode 0600: created so, umask 077 around the open, chmod of the file and its
    ///    -wal/-shm) is checked read-only with `PRAGMA integrity_check` (or `quick_check`, see
    ///    `StoreOptions`), and the running config's SHA-256 too; then it is opened read-write in WAL
    ///    mode with `synchronous=FULL`.
    /// 3. A file newer than this code (`user_version` above `schemaVersion`) is refused with
    ///    `schemaTooNew` and left untouched. Otherwise pending migrations run, one transaction each.
    /// 4. A damaged, unreadable or non-database file (and its -wal/-shm) is renamed aside to
    ///    `<path>.corrupt-<UTC time>`, a new store is created, and version 1 is the last-good copy of
    ///    the running config, or the factory defaults when there is no usable copy.
    ///
    /// The report says which of these happened; anything but `.opened`/`.created` must be shown loudly.
    public static func open(at path: String, factoryDefaults: String, options: StoreOptions = StoreOptions(),
                            now: UTCTime = .now()) throws(StoreError) -> (store: Store, report: StoreOpenReport) {
        let directory = StoreFiles.directory(of: path)
        guard StoreFiles.isDirectory(directory) else { throw .directoryMissing(directory) }
        guard factoryDefaults.utf8.count <= maximumConfigBytes else {
            throw .invalidArgument("the factory defaults are larger than \(maximumConfigBytes) bytes")
        }
        let lastGoodPath = options.lastGoodPath ?? path + ".last-good"

        var damage: String?
        var setAsidePath: String?
        var attempt = try attemptOpen(path, check: options.integrityCheck)
        if case .unusable(let why) = attempt {
            damage = why
            setAsidePath = try setAside(path, now: now)
            attempt = try attemptOpen(path, check: options.integrityCheck)
        }
        let connection: SQLiteConnection, schemaBefore: Int, schemaAfter: Int
        switch attempt {
        case .ready(let db, let before, let after):
            (connection, schemaBefore, schemaAfter) = (db, before, after)
        case .unusable(let why):
            // A brand-new file that is unusable at once means the disk itself is failing.
            throw .storageFailing("\(path): \(why)")
        }

        let store = Store(path: path, lastGoodPath: lastGoodPath, connection: connection, warning: options.warning)
        let outcome: StoreOpenReport.Outcome
        var reason = damage
        if try store.readState().runningID == nil {
            // No running config: a new file, a recovered one, or a first start cut short before seeding.
            let copy = LastGoodCopy.read(from: lastGoodPath)
            let text: String
            let comment: String
            switch copy {
            case .valid(let good):
                text = good.text
                outcome = .recoveredFromLastGood
                if reason == nil { reason = "the store held no config (the database file was missing or new)" }
                comment = "recovered from the last-good copy of version \(good.versionID): \(reason!)"
            case .missing where damage == nil:
                text = factoryDefaults
                outcome = .created
                comment = "factory defaults"
            case .missing, .damaged:
                text = factoryDefaults
                outcome = .resetToFactory
                let copyProblem: String
                if case .damaged(let why) = copy { copyProblem = "the last-good copy is damaged (\(why))" } else { copyProblem = "there is no last-good copy" }
                reason = reason.map { "\($0); \(copyProblem)" } ?? copyProblem
                comment = "factory defaults: \(reason!)"
            }
            try connection.transaction { () throws(StoreError) in
                let version = try store.insertVersion(text: text, author: "system", comment: comment, now: now)
                try connection.run("UPDATE config_state SET running_id = ?, pending_id = NULL, pending_fallback_id = NULL, pending_deadline_ms = NULL", version.id)
            }
        } else {
            outcome = .opened
        }
        try StoreFiles.makeDatabaseFilesPrivate(path)
        store.refreshLastGood()
        let state = try store.readState()
        let report = StoreOpenReport(outcome: outcome, reason: reason, setAsidePath: setAsidePath, schemaBefore: schemaBefore,
                                     schemaAfter: schemaAfter, runningID: state.runningID ?? 0, pendingConfirmation: state.pending)
        return (store, report)
    }

    // MARK: opening

    private enum OpenAttempt {
        case ready(SQLiteConnection, schemaBefore: Int, schemaAfter: Int)
        case unusable(String)
    }

    /// Checks, then opens, configures and migrates the file. SQLite errors that mean a damaged or
    /// unreadable file become `.unusable`; other errors (and `schemaTooNew`) are thrown.
    ///
    /// The checks run on a read-only connection: a damaged file is never written to (closing a
    /// read-write connection would checkpoint the WAL into it), so what is set aside is what was found.
    private static func attemptOpen(_ path: String, check: IntegrityCheck) throws(StoreError) -> OpenAttempt {
        var connection: SQLiteConnection?
        do throws(StoreError) {
            try StoreFiles.withPrivateUmask { () throws(StoreError) in
                if try StoreFiles.createPrivateFile(path) {
                    // The new name must survive a power cut too (SQLite syncs the directory for its -wal, not for the file).
                    try StoreFiles.syncDirectory(StoreFiles.directory(of: path))
                }
                try StoreFiles.makeDatabaseFilesPrivate(path)
                connection = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX)
            }
            let reader = connection!
            try reader.executeScript("PRAGMA busy_timeout = 5000")
            let problems = try integrityProblems(reader, check: check)
            if !problems.isEmpty {
                reader.close()
                return .unusable("\(check == .full ? "integrity_check" : "quick_check") found: \(problems.joined(separator: "; "))")
            }
            let found = try StoreMigrator.currentVersion(reader)
            if found > StoreSchema.latestVersion { throw .schemaTooNew(found: found, known: StoreSchema.latestVersion) }
            if found >= 1, let damaged = try damagedConfigRows(reader) {
                reader.close()
                return .unusable(damaged)
            }
            reader.close()

            try StoreFiles.withPrivateUmask { () throws(StoreError) in
                connection = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX)
            }
            let db = connection!
            try configure(db)
            let (before, after) = try StoreMigrator.migrate(db, migrations: StoreSchema.migrations)
            try StoreFiles.makeDatabaseFilesPrivate(path)
            return .ready(db, schemaBefore: before, schemaAfter: after)
        } catch {
            connection?.close()
            if error.meansUnusableFile { return .unusable(error.description) }
            throw error
        }
    }

    /// Journal and durability settings, checked rather than assumed.
    private static func configure(_ db: SQLiteConnection) throws(StoreError) {
        try db.executeScript("PRAGMA busy_timeout = 5000")
        // Reading the journal mode is the first read of the file: a non-database fails here with SQLITE_NOTADB.
        let mode = try db.queryFirst("PRAGMA journal_mode = WAL") { $0.string(0) }
        guard mode?.lowercased() == "wal" else {
            throw .invalidArgument("SQLite refused WAL mode for \(db.path) (journal mode is \(mode ?? "unknown"))")
        }
        try db.executeScript("""
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA journal_size_limit = 4194304;
            """)
        let synchronous = try db.queryFirst("PRAGMA synchronous") { $0.int(0) }
        guard synchronous == 2 else { throw .invalidArgument("SQLite did not accept synchronous=FULL for \(db.path)") }
    }

    /// The integrity check's complaints (empty when the file is sound), at most 10.
    private static func integrityProblems(_ db: SQLiteConnection, check: IntegrityCheck) throws(StoreError) -> [String] {
        let sql = check == .full ? "PRAGMA integrity_check(10)" : "PRAGMA quick_check(10)"
        let rows = try db.query(sql) { $0.string(0) }
        return rows == ["ok"] ? [] : rows
    }

    /// A reason when the running config (or a pending confirmation's fallback) is missing or does not
    /// match its SHA-256: damage the b-tree checks cannot see (bytes changed inside a text value).
    private static func damagedConfigRows(_ db: SQLiteConnection) throws(StoreError) -> String? {
        let ids = try db.queryFirst("SELECT running_id, pending_fallback_id FROM config_state WHERE singleton = 1") {
            [$0.optionalInt64(0), $0.optionalInt64(1)]
        }
        guard let ids else { return "the config state row is missing" }
        for case let id? in ids {
            let row = try db.queryFirst("SELECT text, sha256 FROM config_version WHERE id = ?", id) { ($0.string(0), $0.string(1)) }
            guard let (text, sha) = row else { return "config version \(id) is missing" }
            if StoreDigest.sha256Hex(text) != sha { return "config version \(id) does not match its SHA-256" }
        }
        return nil
    }

    /// Renames the damaged file and its -wal/-shm/-journal to `<path>.corrupt-<UTC time>[-n]` and
    /// fsyncs the directory. Moving the WAL too matters: left behind, SQLite would replay it into the
    /// new file. Returns the new name of the main file.
    private static func setAside(_ path: String, now: UTCTime) throws(StoreError) -> String {
        let base = "\(path).corrupt-\(now.compact)"
        var target = base
        var n = 2
        while StoreFiles.exists(target) || StoreFiles.companionSuffixes.contains(where: { StoreFiles.exists(target + $0) }) {
            target = "\(base)-\(n)"
            n += 1
        }
        if StoreFiles.exists(path) { try StoreFiles.moveFile(path, to: target) }
        for suffix in StoreFiles.companionSuffixes where StoreFiles.exists(path + suffix) {
            try StoreFiles.moveFile(path + suffix, to: target + suffix)
        }
        try StoreFiles.syncDirectory(StoreFiles.directory(of: path))
        return target
    }
}
