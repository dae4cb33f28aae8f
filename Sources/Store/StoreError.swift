// StoreError: why a store operation was refused or failed, with the SQLite message and statement when SQLite said no.
import CSQLite

/// A failure reported by SQLite: its (extended) result code, its message and the statement that failed.
/// Statements never contain values (values are always bound), so the text is safe to log.
public struct SQLiteFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (`sqlite3_extended_errcode`); `primaryCode` is its low byte.
    public var code: Int32
    /// `sqlite3_errmsg` at the time of the failure.
    public var message: String
    /// The SQL being prepared or run, when the failure belongs to one.
    public var statement: String?

    public init(code: Int32, message: String, statement: String?) {
        self.code = code
        self.message = message
        self.statement = statement
    }

    /// The primary result code (SQLITE_CORRUPT, SQLITE_NOTADB, ...).
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String {
        let base = "SQLite error \(code): \(message)"
        guard let statement else { return base }
        return "\(base) (in: \(statement))"
    }
}

/// Every way a `Store` call can fail. Each case reads as one plain sentence through `description`.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite refused or failed a call.
    case sqlite(SQLiteFailure)
    /// The directory meant to hold the database does not exist (the store never creates directories).
    case directoryMissing(String)
    /// A file system call failed: what was attempted, on which path, and `errno`.
    case io(operation: String, path: String, errno: Int32)
    /// The file was written by newer firmware whose schema this code does not know; it is left untouched.
    case schemaTooNew(found: Int, known: Int)
    /// No config version has this id.
    case versionNotFound(Int64)
    /// The store holds no running config (only possible before `open` has finished seeding).
    case noRunningVersion
    /// `confirm()` was called with no confirmed commit waiting.
    case noPendingConfirmation
    /// An argument was out of range; the text says which and why.
    case invalidArgument(String)
    /// A call record was refused; the text names the field.
    case invalidCallRecord(String)
    /// A month was not `YYYY-MM` (or out of range).
    case invalidMonth(String)
    /// A damaged file was set aside, and the new file created in its place is unusable as well: the
    /// storage itself is failing.
    case storageFailing(String)
    /// The store was closed.
    case closed

    public var description: String {
        switch self {
        case .sqlite(let failure): return failure.description
        case .directoryMissing(let path): return "the store directory \(path) does not exist"
        case .io(let operation, let path, let code): return "\(operation) \(path) failed: \(StoreFiles.errorText(code)) (errno \(code))"
        case .schemaTooNew(let found, let known):
            return "the store was written by newer firmware (schema \(found), this firmware knows up to \(known)); refusing to downgrade it"
        case .versionNotFound(let id): return "there is no config version \(id)"
        case .noRunningVersion: return "the store has no running config"
        case .noPendingConfirmation: return "no confirmed commit is waiting for confirmation"
        case .invalidArgument(let reason): return reason
        case .invalidCallRecord(let reason): return "call record refused: \(reason)"
        case .invalidMonth(let text): return "\"\(text)\" is not a month: expected YYYY-MM, e.g. 2026-11"
        case .storageFailing(let why): return "a new store file is unusable too; the storage may be failing: \(why)"
        case .closed: return "the store is closed"
        }
    }

    /// True when SQLite says the file is damaged or not a database, or could not be read: the cases
    /// `Store.open` answers by setting the file aside.
    var meansUnusableFile: Bool {
        guard case .sqlite(let failure) = self else { return false }
        switch failure.primaryCode {
        case SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_IOERR, SQLITE_CANTOPEN: return true
        default: return false
        }
    }
}
