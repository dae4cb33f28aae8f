// SQLiteConnection: a thin typed wrapper over one sqlite3 connection: open flags, statements, transactions.
import CSQLite

/// One open SQLite database connection. Not thread-safe by itself: `Store` serializes every use of it
/// behind its lock. SQL text carries placeholders (`?`) only; values are always bound.
final class SQLiteConnection {
    /// The path the connection was opened with.
    let path: String
    private var handle: OpaquePointer?
    /// Statements prepared once and reused (by SQL text): preparing costs SQLite a hundred allocations.
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens `path` with `flags` (SQLITE_OPEN_*). Extended result codes are switched on.
    init(path: String, flags: Int32) throws(StoreError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let failure = db.map { Self.failure(db: $0, code: rc, statement: nil) }
                ?? .sqlite(SQLiteFailure(code: rc, message: String(cString: sqlite3_errstr(rc)), statement: nil))
            sqlite3_close_v2(db)
            throw failure
        }
        sqlite3_extended_result_codes(db, 1)
        self.path = path
        self.handle = db
    }

    deinit { close() }

    /// Closes the connection; later calls throw `StoreError.closed`. Safe to call twice.
    func close() {
        statements.removeAll()              // finalized before the connection closes
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// The open handle, or `.closed`.
    func db() throws(StoreError) -> OpaquePointer {
        guard let handle else { throw .closed }
        return handle
    }

    /// Prepares `sql` (one statement).
    func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        try SQLiteStatement(db: db(), sql: sql)
    }

    /// The prepared statement for `sql`, made on first use and kept for the connection's life. Only for
    /// statements that are always stepped to their end (writes, BEGIN, COMMIT): a query left mid-way would
    /// keep its read transaction open.
    func cached(_ sql: String) throws(StoreError) -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// Runs a statement that takes no values and returns no rows, prepared once (`cached`).
    func executeCached(_ sql: String) throws(StoreError) {
        let statement = try cached(sql)
        try statement.bind([])
        while try statement.step() {}
    }

    /// Runs a script of statements that take no values (schema changes, pragmas). Never pass values here.
    func executeScript(_ sql: String) throws(StoreError) {
        let db = try db()
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(message)
            throw .sqlite(SQLiteFailure(code: sqlite3_extended_errcode(db), message: text, statement: sql))
        }
    }

    /// Runs one statement with `values` bound, stepping past any rows; returns the number of rows changed.
    @discardableResult
    func run(_ sql: String, _ values: any SQLiteBindable...) throws(StoreError) -> Int {
        try run(sql, values: values)
    }

    @discardableResult
    func run(_ sql: String, values: [any SQLiteBindable]) throws(StoreError) -> Int {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() {}
        return Int(sqlite3_changes64(try db()))
    }

    /// Runs a query with `values` bound and maps every row.
    func query<T>(_ sql: String, _ values: any SQLiteBindable..., row map: (SQLiteRow) throws(StoreError) -> T) throws(StoreError) -> [T] {
        try query(sql, values: values, row: map)
    }

    func query<T>(_ sql: String, values: [any SQLiteBindable], row map: (SQLiteRow) throws(StoreError) -> T) throws(StoreError) -> [T] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var rows: [T] = []
        while try statement.step() { rows.append(try map(statement.row)) }
        return rows
    }

    /// The first row of a query, mapped, or nil when there is none.
    func queryFirst<T>(_ sql: String, _ values: any SQLiteBindable..., row map: (SQLiteRow) throws(StoreError) -> T) throws(StoreError) -> T? {
        let statement = try prepare(sql)
        try statement.bind(values)
        guard try statement.step() else { return nil }
        return try map(statement.row)
    }

    /// The rowid of the last INSERT on this connection.
    var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// Runs `body` inside `BEGIN IMMEDIATE` ... `COMMIT`. If `body` throws, or COMMIT fails, the
    /// transaction is rolled back and the error rethrown: nothing of it stays in the file.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try executeCached("BEGIN IMMEDIATE")
        let result: T
        do throws(StoreError) {
            result = try body()
            try executeCached("COMMIT")
        } catch {
            // After some errors (SQLITE_FULL, SQLITE_IOERR) SQLite has already rolled back; then
            // ROLLBACK itself fails with "no transaction is active", which is expected and ignored.
            if let db = handle, sqlite3_get_autocommit(db) == 0 { try? executeScript("ROLLBACK") }
            throw error
        }
        return result
    }

    /// A `StoreError` for result code `code` with the connection's current message.
    static func failure(db: OpaquePointer, code: Int32, statement: String?) -> StoreError {
        let extended = sqlite3_extended_errcode(db)
        // sqlite3_extended_errcode belongs to the last failing call; prefer it when it agrees with `code`.
        let effective = (extended & 0xFF) == (code & 0xFF) ? extended : code
        return .sqlite(SQLiteFailure(code: effective, message: String(cString: sqlite3_errmsg(db)), statement: statement))
    }
}
