// StoreMigration: numbered schema migrations tracked in PRAGMA user_version, each in its own transaction, never downgraded.

/// One schema step. Migration `n` turns a version `n - 1` file into a version `n` file.
struct StoreMigration: Sendable {
    let version: Int
    let name: String
    let apply: @Sendable (SQLiteConnection) throws(StoreError) -> Void

    /// A migration that is one SQL script without values.
    init(_ version: Int, _ name: String, sql: String) {
        self.version = version
        self.name = name
        self.apply = { connection throws(StoreError) in try connection.executeScript(sql) }
    }

    init(_ version: Int, _ name: String, apply: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }
}

/// Applies migrations in order. The schema version lives in the file header (`PRAGMA user_version`),
/// written in the same transaction as the migration, so a crash leaves the file at n - 1 or at n.
enum StoreMigrator {
    /// The file's schema version.
    static func currentVersion(_ connection: SQLiteConnection) throws(StoreError) -> Int {
        try connection.queryFirst("PRAGMA user_version") { $0.int(0) } ?? 0
    }

    /// Brings the file from its version up to `target` (default: the last migration). Throws
    /// `schemaTooNew` without touching the file when the file is newer than `migrations` know.
    /// Returns the versions before and after.
    @discardableResult
    static func migrate(_ connection: SQLiteConnection, migrations: [StoreMigration], upTo target: Int? = nil) throws(StoreError) -> (from: Int, to: Int) {
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw .invalidArgument("migration \(migration.name) is numbered \(migration.version), expected \(index + 1)")
        }
        let known = migrations.count
        let goal = target ?? known
        guard (0...known).contains(goal) else { throw .invalidArgument("no migration \(goal) (known: 1 to \(known))") }
        let found = try currentVersion(connection)
        if found > known { throw .schemaTooNew(found: found, known: known) }
        guard found < goal else { return (found, found) }
        for migration in migrations[found..<goal] {
            try connection.transaction { () throws(StoreError) in
                try migration.apply(connection)
                // PRAGMA takes no bound values; the number comes from the migration table in code, not from input.
                try connection.executeScript("PRAGMA user_version = \(migration.version)")
            }
        }
        return (found, goal)
    }
}
