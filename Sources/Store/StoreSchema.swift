// StoreSchema: the store's tables, as numbered migrations (append new ones at the end; never edit a shipped one).

enum StoreSchema {
    static let migrations: [StoreMigration] = [
        StoreMigration(1, "config versions, running state, settings", sql: """
            CREATE TABLE config_version (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                text TEXT NOT NULL,
                sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
                created_ms INTEGER NOT NULL,
                author TEXT NOT NULL,
                comment TEXT NOT NULL
            ) STRICT;
            CREATE TABLE config_state (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                running_id INTEGER REFERENCES config_version(id),
                pending_id INTEGER REFERENCES config_version(id),
                pending_fallback_id INTEGER REFERENCES config_version(id),
                pending_deadline_ms INTEGER,
                CHECK ((pending_id IS NULL) = (pending_fallback_id IS NULL)
                       AND (pending_id IS NULL) = (pending_deadline_ms IS NULL))
            ) STRICT;
            INSERT INTO config_state (singleton) VALUES (1);
            CREATE TABLE settings (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) STRICT;
            """),
        StoreMigration(2, "call records", sql: """
            CREATE TABLE call_record (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                call_id TEXT NOT NULL,
                profile TEXT NOT NULL,
                direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
                caller TEXT NOT NULL,
                called TEXT NOT NULL,
                online_number TEXT,
                extension TEXT,
                start_ms INTEGER NOT NULL,
                answer_ms INTEGER,
                end_ms INTEGER NOT NULL,
                billable_seconds INTEGER NOT NULL CHECK (billable_seconds >= 0),
                disposition TEXT NOT NULL,
                sip_cause INTEGER NOT NULL,
                billing TEXT NOT NULL,
                codec TEXT,
                srtp INTEGER NOT NULL CHECK (srtp IN (0, 1)),
                pbx_packets_sent INTEGER,
                pbx_packets_received INTEGER,
                pbx_packets_lost INTEGER,
                pbx_jitter_ms REAL,
                pbx_mos REAL,
                trunk_packets_sent INTEGER,
                trunk_packets_received INTEGER,
                trunk_packets_lost INTEGER,
                trunk_jitter_ms REAL,
                trunk_mos REAL,
                CHECK (end_ms >= start_ms),
                CHECK (answer_ms IS NULL OR (answer_ms >= start_ms AND answer_ms <= end_ms))
            ) STRICT;
            CREATE INDEX call_record_by_start ON call_record (start_ms);
            CREATE INDEX call_record_by_profile ON call_record (profile, start_ms);
            """),
        // Records written before it have NULL round trips (not measured), as a leg without RTCP has.
        StoreMigration(3, "call records: round-trip time per leg", sql: """
            ALTER TABLE call_record ADD COLUMN pbx_rtt_ms REAL CHECK (pbx_rtt_ms IS NULL OR pbx_rtt_ms >= 0);
            ALTER TABLE call_record ADD COLUMN trunk_rtt_ms REAL CHECK (trunk_rtt_ms IS NULL OR trunk_rtt_ms >= 0);
            """),
        // Only analog-line calls have an echo canceller; every other record (and every older one) has NULL.
        StoreMigration(4, "call records: the line echo canceller's ERLE", sql: """
            ALTER TABLE call_record ADD COLUMN echo_erle_db REAL CHECK (echo_erle_db IS NULL OR (echo_erle_db >= -100 AND echo_erle_db <= 100));
            """),
    ]

    /// The schema version this code writes.
    static var latestVersion: Int { migrations.count }
}
