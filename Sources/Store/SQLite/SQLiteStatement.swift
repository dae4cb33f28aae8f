// SQLiteStatement: one prepared statement with typed binding, stepping and column reads (sqlite3_prepare_v2, bind, step).
import CShim
import CSQLite

/// A prepared statement. Bind all parameters with `bind`, then `step` until it returns false.
/// Finalized when released. Used by one thread at a time, like its connection.
final class SQLiteStatement {
    /// The SQL text (placeholders only, never values), kept for error messages.
    let sql: String
    private let handle: OpaquePointer
    private let db: OpaquePointer

    init(db: OpaquePointer, sql: String) throws(StoreError) {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteConnection.failure(db: db, code: rc, statement: sql)
        }
        self.sql = sql
        self.handle = statement
        self.db = db
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and binds `values` to parameters 1...n; the count must match exactly.
    func bind(_ values: [any SQLiteBindable]) throws(StoreError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw .sqlite(SQLiteFailure(code: SQLITE_RANGE, message: "statement takes \(expected) values, \(values.count) given", statement: sql))
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value.sqliteValue {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v):
                // The length is passed, so a NUL inside the text is kept rather than ending it.
                rc = v.withCString { sqlite3_bind_text64(handle, index, $0, UInt64(v.utf8.count), tb_sqlite_transient(), UInt8(SQLITE_UTF8)) }
            case .blob(let v) where v.isEmpty:
                // A null pointer would bind NULL, so an empty blob is bound as a zero-length blob.
                rc = sqlite3_bind_zeroblob(handle, index, 0)
            case .blob(let v):
                rc = v.withUnsafeBytes { sqlite3_bind_blob64(handle, index, $0.baseAddress, UInt64($0.count), tb_sqlite_transient()) }
            }
            guard rc == SQLITE_OK else { throw SQLiteConnection.failure(db: db, code: rc, statement: sql) }
        }
    }

    /// Runs one step: true when a row is ready to read, false when the statement is done.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let failure = SQLiteConnection.failure(db: db, code: rc, statement: sql)
            sqlite3_reset(handle)
            throw failure
        }
    }

    /// The current row's columns; valid until the next `step`.
    var row: SQLiteRow { SQLiteRow(handle: handle) }
}

/// Typed reads of the current row's columns (0-based, in SELECT order).
struct SQLiteRow {
    fileprivate let handle: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    /// The column as text; NULL reads as the empty string (use `optionalString` where NULL means something).
    func string(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let base = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }
}
