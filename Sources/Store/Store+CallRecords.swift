// Store+CallRecords: call records written durably, queried by month/profile/last N, the monthly report, CSV export.

extension Store {
    private static let callColumns = """
        id, call_id, profile, direction, caller, called, online_number, extension, start_ms, answer_ms, end_ms, \
        disposition, sip_cause, billing, codec, srtp, \
        pbx_packets_sent, pbx_packets_received, pbx_packets_lost, pbx_jitter_ms, pbx_mos, \
        trunk_packets_sent, trunk_packets_received, trunk_packets_lost, trunk_jitter_ms, trunk_mos, \
        pbx_rtt_ms, trunk_rtt_ms, echo_erle_db
        """

    /// Stores one call record; when this returns, the record is committed and fsynced (it survives a
    /// power cut). Returns its id.
    @discardableResult
    public func insertCallRecord(_ record: CallRecord) throws(StoreError) -> Int64 {
        try insertCallRecords([record])[0]
    }

    /// Stores several records in one transaction (one fsync): all or none. For a gateway that collects
    /// the records of calls that ended while the previous write was in progress. Returns their ids.
    @discardableResult
    public func insertCallRecords(_ records: [CallRecord]) throws(StoreError) -> [Int64] {
        for record in records { try record.validate() }
        guard !records.isEmpty else { return [] }
        return try lock.withLock { () throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                let statement = try connection.cached("""
                    INSERT INTO call_record (call_id, profile, direction, caller, called, online_number, extension, start_ms, answer_ms, end_ms,
                        billable_seconds, disposition, sip_cause, billing, codec, srtp,
                        pbx_packets_sent, pbx_packets_received, pbx_packets_lost, pbx_jitter_ms, pbx_mos,
                        trunk_packets_sent, trunk_packets_received, trunk_packets_lost, trunk_jitter_ms, trunk_mos,
                        pbx_rtt_ms, trunk_rtt_ms, echo_erle_db)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                var ids: [Int64] = []
                for r in records {
                    let values: [any SQLiteBindable] = [
                        r.callID, r.profile, r.direction.rawValue, r.caller, r.called, r.onlineNumber, r.pbxExtension,
                        r.start.millisecondsSince1970, r.answer?.millisecondsSince1970, r.end.millisecondsSince1970,
                        r.billableSeconds, r.disposition.rawValue, r.sipCause, r.billing.rawValue, r.codec, r.srtp,
                        r.pbxLeg?.packetsSent, r.pbxLeg?.packetsReceived, r.pbxLeg?.packetsLost, r.pbxLeg?.jitterMilliseconds, r.pbxLeg?.mos,
                        r.trunkLeg?.packetsSent, r.trunkLeg?.packetsReceived, r.trunkLeg?.packetsLost, r.trunkLeg?.jitterMilliseconds, r.trunkLeg?.mos,
                        r.pbxLeg?.roundTripMilliseconds, r.trunkLeg?.roundTripMilliseconds, r.echoERLEDB,
                    ]
                    try statement.bind(values)
                    while try statement.step() {}
                    ids.append(connection.lastInsertRowID)
                }
                return ids
            }
        }
    }

    /// The record with this id, or nil.
    public func callRecord(id: Int64) throws(StoreError) -> CallRecord? {
        try lock.withLock { () throws(StoreError) in
            try connection.queryFirst("SELECT \(Self.callColumns) FROM call_record WHERE id = ?", id, row: Self.callRecord(from:))
        }
    }

    /// Records matching every filter given, oldest first (by start time, then id): those that started in
    /// `month` (UTC), of `profile`, and of those the `last` most recent.
    public func callRecords(month: CallMonth? = nil, profile: String? = nil, last: Int? = nil) throws(StoreError) -> [CallRecord] {
        if let last, last < 1 { throw .invalidArgument("last must be at least 1, not \(last)") }
        return try lock.withLock { () throws(StoreError) in
            let newestFirst = try connection.query("""
                SELECT \(Self.callColumns) FROM call_record
                WHERE (?1 IS NULL OR start_ms >= ?1) AND (?2 IS NULL OR start_ms < ?2) AND (?3 IS NULL OR profile = ?3)
                ORDER BY start_ms DESC, id DESC LIMIT ?4
                """, month?.start.millisecondsSince1970, month?.end.millisecondsSince1970, profile, last ?? -1,
                row: Self.callRecord(from:))
            return newestFirst.reversed()
        }
    }

    /// The month's report. `bundles` gives each profile's number of US minute bundles (from the config);
    /// the allowance is 5,000 minutes per bundle.
    public func monthlyReport(month: CallMonth, bundles: [String: Int] = [:]) throws(StoreError) -> MonthlyReport {
        if let bad = bundles.first(where: { $0.value < 0 }) {
            throw .invalidArgument("profile \(bad.key) has \(bad.value) bundles; must be 0 or more")
        }
        let from = month.start.millisecondsSince1970, to = month.end.millisecondsSince1970
        return try lock.withLock { () throws(StoreError) in
            // Minutes are summed per call: (seconds + 59) / 60 is each call's seconds rounded up to a minute.
            let lines = try connection.query("""
                SELECT profile, direction, COUNT(*), SUM(answer_ms IS NOT NULL), SUM(billable_seconds),
                       SUM((billable_seconds + 59) / 60),
                       SUM(CASE WHEN billing = ?3 THEN (billable_seconds + 59) / 60 ELSE 0 END),
                       SUM(CASE WHEN billing = ?4 THEN (billable_seconds + 59) / 60 ELSE 0 END)
                FROM call_record WHERE start_ms >= ?1 AND start_ms < ?2
                GROUP BY profile, direction
                """, from, to, BillingClass.usBundle.rawValue, BillingClass.credit.rawValue) { row throws(StoreError) in
                guard let direction = CallDirection(rawValue: row.string(1)) else {
                    throw .invalidCallRecord("a stored record has the unknown direction \(row.string(1))")
                }
                return MonthlyReport.Line(profile: row.string(0), direction: direction, calls: row.int(2), answeredCalls: row.int(3),
                                          billableSeconds: row.int(4), minutes: row.int(5), usBundleMinutes: row.int(6), creditMinutes: row.int(7))
            }.sorted { ($0.profile, $0.direction) < ($1.profile, $1.direction) }

            var counts: [CallDisposition: Int] = [:]
            for (name, calls) in try connection.query(
                "SELECT disposition, COUNT(*) FROM call_record WHERE start_ms >= ? AND start_ms < ? GROUP BY disposition", from, to,
                row: { ($0.string(0), $0.int(1)) }) {
                guard let disposition = CallDisposition(rawValue: name) else {
                    throw .invalidCallRecord("a stored record has the unknown disposition \(name)")
                }
                counts[disposition] = calls
            }

            var used: [String: Int] = [:]
            for line in lines { used[line.profile, default: 0] += line.usBundleMinutes }
            let profiles = Set(bundles.filter { $0.value > 0 }.keys).union(used.filter { $0.value > 0 }.keys).sorted()
            let bundleUse = profiles.map { profile in
                let count = bundles[profile] ?? 0
                return MonthlyReport.BundleUse(profile: profile, bundles: count, allowanceMinutes: count * MonthlyReport.minutesPerBundle,
                                               usedMinutes: used[profile] ?? 0)
            }
            return MonthlyReport(month: month, lines: lines, bundleUse: bundleUse,
                                 outcomes: CallDisposition.allCases.map { ($0, counts[$0] ?? 0) })
        }
    }

    /// The month's records as CSV (RFC 4180), oldest first, with a header line. Times are ISO 8601 UTC.
    public func exportCSV(month: CallMonth) throws(StoreError) -> String {
        CallRecordCSV.render(try callRecords(month: month))
    }

    /// The CSV header fields, in order.
    public static var csvColumns: [String] { CallRecordCSV.columns }

    static func callRecord(from row: SQLiteRow) throws(StoreError) -> CallRecord {
        let id = row.int64(0)
        guard let direction = CallDirection(rawValue: row.string(3)) else { throw .invalidCallRecord("record \(id) has the unknown direction \(row.string(3))") }
        guard let disposition = CallDisposition(rawValue: row.string(11)) else { throw .invalidCallRecord("record \(id) has the unknown disposition \(row.string(11))") }
        guard let billing = BillingClass(rawValue: row.string(13)) else { throw .invalidCallRecord("record \(id) has the unknown billing class \(row.string(13))") }
        func leg(_ first: Int32, rtt: Int32) -> CallLegStats? {
            guard let sent = row.optionalInt64(first) else { return nil }
            return CallLegStats(packetsSent: Int(sent), packetsReceived: row.int(first + 1), packetsLost: row.int(first + 2),
                                jitterMilliseconds: row.double(first + 3), mos: row.optionalDouble(first + 4),
                                roundTripMilliseconds: row.optionalDouble(rtt))
        }
        return CallRecord(
            id: id, callID: row.string(1), profile: row.string(2), direction: direction, caller: row.string(4), called: row.string(5),
            onlineNumber: row.optionalString(6), pbxExtension: row.optionalString(7),
            start: UTCTime(millisecondsSince1970: row.int64(8)), answer: row.optionalInt64(9).map { UTCTime(millisecondsSince1970: $0) },
            end: UTCTime(millisecondsSince1970: row.int64(10)), disposition: disposition, sipCause: row.int(12), billing: billing,
            codec: row.optionalString(14), srtp: row.bool(15), pbxLeg: leg(16, rtt: 26), trunkLeg: leg(21, rtt: 27),
            echoERLEDB: row.optionalDouble(28))
    }
}

extension Store {
    /// Erases every call record (factory reset); returns how many there were. Durable on return.
    @discardableResult
    public func eraseCallRecords() throws(StoreError) -> Int {
        try lock.withLock { () throws(StoreError) in
            try connection.transaction { () throws(StoreError) in
                try connection.run("DELETE FROM call_record")
            }
        }
    }
}
