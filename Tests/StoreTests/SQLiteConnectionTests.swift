// SQLiteConnectionTests: the thin SQLite wrapper: typed binding and reading, transactions, errors with message and statement.
import CSQLite
import Testing
@testable import Store

@Suite struct SQLiteConnectionTests {
    private func memory() throws -> SQLiteConnection {
        try SQLiteConnection(path: ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    }

    @Test func valuesRoundTripWithTheirTypes() throws {
        let db = try memory()
        try db.executeScript("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT, f INTEGER) STRICT")
        let text = "ünïcødé, 'quotes' \"and\" ; DROP TABLE t; --\u{0}after-nul"
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", Int64.min, 2.5, text, [UInt8]([0, 1, 255]), String?.none, true)
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", 7, -0.125, "", [UInt8](), "x", false)
        let rows = try db.query("SELECT i, r, s, b, n, f FROM t ORDER BY rowid") { row in
            (row.int64(0), row.double(1), row.string(2), row.blob(3), row.optionalString(4), row.bool(5), row.isNull(3))
        }
        #expect(rows.count == 2)
        #expect(rows[0].0 == Int64.min && rows[0].1 == 2.5 && rows[0].2 == text && rows[0].3 == [0, 1, 255])
        #expect(rows[0].4 == nil && rows[0].5 == true)
        // The value was bound, not spliced into SQL: the table is still there and the text kept its NUL.
        #expect(rows[0].2.utf8.contains(0))
        #expect(rows[1].0 == 7 && rows[1].1 == -0.125 && rows[1].2 == "" && rows[1].3 == [] && rows[1].4 == "x" && rows[1].5 == false)
        #expect(rows[1].6 == false, "an empty blob is stored as a blob, not NULL")
    }

    @Test func aThrowingTransactionLeavesNothingBehind() throws {
        let db = try memory()
        try db.executeScript("CREATE TABLE t (v INTEGER NOT NULL)")
        try db.transaction { () throws(StoreError) -> Void in try db.run("INSERT INTO t VALUES (?)", 1) }
        #expect(throws: StoreError.invalidArgument("stop")) {
            try db.transaction { () throws(StoreError) in
                try db.run("INSERT INTO t VALUES (?)", 2)
                throw StoreError.invalidArgument("stop")
            }
        }
        // A failing statement inside the transaction rolls back the earlier insert too.
        #expect(throws: StoreError.self) {
            try db.transaction { () throws(StoreError) in
                try db.run("INSERT INTO t VALUES (?)", 3)
                try db.run("INSERT INTO t VALUES (?)", SQLiteValue.null)
            }
        }
        #expect(try db.query("SELECT v FROM t") { $0.int(0) } == [1])
        // And the connection is usable again afterwards.
        try db.transaction { () throws(StoreError) -> Void in try db.run("INSERT INTO t VALUES (?)", 4) }
        #expect(try db.query("SELECT v FROM t ORDER BY v") { $0.int(0) } == [1, 4])
    }

    @Test func errorsCarryTheMessageAndTheStatement() throws {
        let db = try memory()
        try db.executeScript("CREATE TABLE t (v INTEGER NOT NULL)")
        let error = #expect(throws: StoreError.self) { try db.run("INSERT INTO t VALUES (?)", SQLiteValue.null) }
        guard case .sqlite(let failure)? = error else { Issue.record("not an SQLite error: \(String(describing: error))"); return }
        #expect(failure.primaryCode == SQLITE_CONSTRAINT)
        #expect(failure.message.contains("NOT NULL constraint failed: t.v"))
        #expect(failure.statement == "INSERT INTO t VALUES (?)")
        #expect(failure.description.contains("NOT NULL") && failure.description.contains("INSERT INTO t"))

        let syntax = #expect(throws: StoreError.self) { try db.run("SELEC 1") }
        guard case .sqlite(let parse)? = syntax else { Issue.record("not an SQLite error"); return }
        #expect(parse.message.contains("syntax error") && parse.statement == "SELEC 1")
    }

    @Test func theNumberOfValuesMustMatchThePlaceholders() throws {
        let db = try memory()
        let error = #expect(throws: StoreError.self) { try db.run("SELECT ?, ?", 1) }
        #expect(error?.description.contains("takes 2 values, 1 given") == true)
    }

    @Test func aClosedConnectionSaysSo() throws {
        let db = try memory()
        db.close()
        #expect(throws: StoreError.closed) { try db.run("SELECT 1") }
    }
}
