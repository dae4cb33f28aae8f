// StoreMigrationTests: numbered migrations in PRAGMA user_version: fresh, incremental, one transaction each, no downgrade.
import CSQLite
import Testing
@testable import Store

@Suite struct StoreMigrationTests {
    private func tables(_ db: SQLiteConnection) throws -> [String] {
        try db.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") { $0.string(0) }
    }

    @Test func aFreshStoreGetsEveryMigration() throws {
        let dir = ScratchDirectory()
        let (store, report) = try openStore(dir)
        #expect(report.schemaBefore == 0 && report.schemaAfter == Store.schemaVersion && Store.schemaVersion == 4)
        store.close()
        let db = try SQLiteConnection(path: dir.db, flags: SQLITE_OPEN_READWRITE)
        #expect(try StoreMigrator.currentVersion(db) == 4)
        #expect(try tables(db) == ["call_record", "config_state", "config_version", "settings"])
    }

    @Test func anOlderFileIsMigratedAndKeepsItsData() throws {
        let dir = ScratchDirectory()
        // A file as firmware with only migration 1 left it, holding one committed version.
        do {
            let db = try SQLiteConnection(path: dir.db, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            try StoreMigrator.migrate(db, migrations: StoreSchema.migrations, upTo: 1)
            #expect(try tables(db) == ["config_state", "config_version", "settings"])
            try db.run("INSERT INTO config_version (text, sha256, created_ms, author, comment) VALUES (?, ?, ?, ?, ?)",
                       "hostname old\n", StoreDigest.sha256Hex("hostname old\n"), t0.millisecondsSince1970, "installer", "v1 firmware")
            try db.run("UPDATE config_state SET running_id = 1")
            try db.run("INSERT INTO settings (key, value) VALUES (?, ?)", "console.password", "pbkdf2$...")
        }
        let (store, report) = try openStore(dir)
        #expect(report.outcome == .opened && report.schemaBefore == 1 && report.schemaAfter == 4)
        #expect(try store.running().text == "hostname old\n")
        #expect(try store.setting("console.password") == "pbkdf2$...")
        // The new table works.
        #expect(try store.callRecords().isEmpty)
    }

    @Test func aVersion2FileKeepsItsCallRecordsWithoutRoundTrips() throws {
        let dir = ScratchDirectory()
        // A file as firmware before round-trip times left it: call records without the RTT columns.
        do {
            let db = try SQLiteConnection(path: dir.db, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            try StoreMigrator.migrate(db, migrations: StoreSchema.migrations, upTo: 2)
            try db.run("""
                INSERT INTO call_record (call_id, profile, direction, caller, called, start_ms, answer_ms, end_ms, billable_seconds, disposition,
                    sip_cause, billing, codec, srtp, pbx_packets_sent, pbx_packets_received, pbx_packets_lost, pbx_jitter_ms, pbx_mos)
                VALUES ('old', 'main', 'outgoing', '201', '100', ?1, ?1, ?2, 10, 'answered', 200, 'credit', 'PCMU', 0, 500, 499, 1, 2.5, 4.3)
                """, t0.millisecondsSince1970, t0.millisecondsSince1970 + 10_000)
        }
        let (store, report) = try openStore(dir)
        #expect(report.schemaBefore == 2 && report.schemaAfter == 4)
        let old = try #require(try store.callRecords().first)
        #expect(old.callID == "old" && old.pbxLeg?.packetsSent == 500 && old.pbxLeg?.mos == 4.3)
        #expect(old.pbxLeg?.roundTripMilliseconds == nil && old.trunkLeg == nil && old.echoERLEDB == nil)
        // New records keep theirs.
        var new = old
        new.id = nil
        new.callID = "new"
        new.pbxLeg?.roundTripMilliseconds = 42.5
        new.echoERLEDB = 27.5
        let id = try store.insertCallRecord(new)
        #expect(try store.callRecord(id: id)?.pbxLeg?.roundTripMilliseconds == 42.5)
        #expect(try store.callRecord(id: id)?.echoERLEDB == 27.5)
    }

    @Test func aNewerFileIsRefusedAndLeftUntouched() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        try store.commit(text: "hostname newer\n", author: "a", now: t0)
        store.close()
        do {
            let db = try SQLiteConnection(path: dir.db, flags: SQLITE_OPEN_READWRITE)
            try db.executeScript("PRAGMA user_version = 7")
        }
        let before = try Bytes.read(dir.db)
        let error = #expect(throws: StoreError.schemaTooNew(found: 7, known: Store.schemaVersion)) { try openStore(dir) }
        #expect(error?.description.contains("refusing to downgrade") == true)
        #expect(try Bytes.read(dir.db) == before, "the newer file is not modified")
        #expect(!dir.files().contains { $0.contains("corrupt") }, "nothing is set aside: the file is not damaged, only newer")
        #expect(LastGoodCopy.read(from: dir.db + ".last-good") == .valid(LastGoodCopy(versionID: 2, text: "hostname newer\n")))
    }

    @Test func eachMigrationIsOneTransaction() throws {
        let dir = ScratchDirectory()
        let db = try SQLiteConnection(path: dir.db, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let migrations = [
            StoreMigration(1, "a", sql: "CREATE TABLE a (x INTEGER);"),
            StoreMigration(2, "b", sql: "CREATE TABLE b (x INTEGER); INSERT INTO b VALUES (1); CREATE TABLE b (y INTEGER);"),
        ]
        #expect(throws: StoreError.self) { try StoreMigrator.migrate(db, migrations: migrations) }
        // Migration 1 committed; migration 2 failed half-way and left nothing, version stays 1.
        #expect(try StoreMigrator.currentVersion(db) == 1)
        #expect(try tables(db) == ["a"])
        // A fixed migration 2 then applies from where it stopped.
        let fixed = [migrations[0], StoreMigration(2, "b", sql: "CREATE TABLE b (x INTEGER);")]
        let step = try StoreMigrator.migrate(db, migrations: fixed)
        #expect(step.from == 1 && step.to == 2)
        #expect(try tables(db) == ["a", "b"])
        // Nothing to do the second time.
        let again = try StoreMigrator.migrate(db, migrations: fixed)
        #expect(again.from == 2 && again.to == 2)
    }

    @Test func migrationsMustBeNumberedInOrder() throws {
        let db = try SQLiteConnection(path: ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let gap = [StoreMigration(1, "a", sql: "SELECT 1;"), StoreMigration(3, "c", sql: "SELECT 1;")]
        let error = #expect(throws: StoreError.self) { try StoreMigrator.migrate(db, migrations: gap) }
        #expect(error?.description.contains("numbered 3, expected 2") == true)
        #expect(try StoreMigrator.currentVersion(db) == 0)
    }
}
