// CallRecordTests: call records: durable insert, queries by UTC month/profile/last N, billing rounding, monthly report, CSV.
import CSQLite
import Testing
@testable import Store

@Suite struct CallRecordTests {
    private func record(_ callID: String, _ profile: String, _ direction: CallDirection, start: UTCTime, answerAfter: Double? = nil,
                        talk: Double = 0, disposition: CallDisposition? = nil, cause: Int? = nil, billing: BillingClass = .usBundle) -> CallRecord {
        let answer = answerAfter.map { UTCTime(millisecondsSince1970: start.millisecondsSince1970 + Int64(($0 * 1000).rounded())) }
        let end = UTCTime(millisecondsSince1970: (answer ?? start).millisecondsSince1970 + Int64((talk * 1000).rounded()))
        return CallRecord(callID: callID, profile: profile, direction: direction, caller: "201", called: "0012025550100",
                          start: start, answer: answer, end: end, disposition: disposition ?? (answer == nil ? .failed : .answered),
                          sipCause: cause ?? (answer == nil ? 480 : 200), billing: billing)
    }

    /// The month-boundary data set: r1 and r9 fall just outside November 2026 (UTC), r2 and r8 just inside.
    private func fill(_ store: Store) throws {
        try store.insertCallRecords([
            record("r1", "main", .outgoing, start: utc(2026, 10, 31, 23, 59, 59, ms: 999), answerAfter: 5, talk: 600),
            record("r2", "main", .outgoing, start: utc(2026, 11, 1), answerAfter: 2, talk: 60.000),
            record("r3", "main", .outgoing, start: utc(2026, 11, 5, 10), answerAfter: 3, talk: 60.001),
            record("r4", "main", .outgoing, start: utc(2026, 11, 10), answerAfter: 1, talk: 0.2),
            record("r5", "main", .outgoing, start: utc(2026, 11, 12), disposition: .busy, cause: 486),
            record("r6", "main", .incoming, start: utc(2026, 11, 15), answerAfter: 4, talk: 125, billing: .free),
            record("r7", "sales", .outgoing, start: utc(2026, 11, 20), answerAfter: 10, talk: 3599.5, billing: .credit),
            record("r8", "sales", .outgoing, start: utc(2026, 11, 30, 23, 59, 59, ms: 999), disposition: .cancelled, cause: 487, billing: .credit),
            record("r9", "sales", .incoming, start: utc(2026, 12, 1), answerAfter: 1, talk: 30, billing: .free),
            record("r10", "main", .outgoing, start: utc(2026, 11, 25), disposition: .refused, cause: 503),
        ])
    }

    @Test func billingRoundsEachCallUpToTheSecondThenTheMinute() {
        let s = utc(2026, 11, 1)
        #expect(record("a", "p", .outgoing, start: s, answerAfter: 1, talk: 60.000).billableSeconds == 60)
        #expect(record("a", "p", .outgoing, start: s, answerAfter: 1, talk: 60.000).billableMinutes == 1)
        #expect(record("a", "p", .outgoing, start: s, answerAfter: 1, talk: 60.001).billableSeconds == 61)
        #expect(record("a", "p", .outgoing, start: s, answerAfter: 1, talk: 60.001).billableMinutes == 2)
        #expect(record("a", "p", .outgoing, start: s, answerAfter: 1, talk: 0.2).billableSeconds == 1)
        #expect(record("a", "p", .outgoing, start: s, answerAfter: 1, talk: 0.2).billableMinutes == 1)
        #expect(record("a", "p", .outgoing, start: s, answerAfter: 1, talk: 0).billableMinutes == 0)
        #expect(record("a", "p", .outgoing, start: s).billableSeconds == 0, "unanswered bills nothing")
    }

    @Test func aRecordIsCommittedWhenInsertReturns() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let id = try store.insertCallRecord(record("x", "main", .outgoing, start: t0, answerAfter: 1, talk: 10))
        // Another connection (as after a restart) sees it at once: it is committed, not buffered.
        let other = try SQLiteConnection(path: dir.db, flags: SQLITE_OPEN_READONLY)
        #expect(try other.query("SELECT call_id, billable_seconds FROM call_record WHERE id = ?", id) { "\($0.string(0)) \($0.int(1))" } == ["x 10"])
        #expect(try store.callRecord(id: id)?.callID == "x" && store.callRecord(id: id + 1) == nil)
    }

    @Test func everyFieldRoundTrips() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let full = CallRecord(callID: "9f1c@10.0.0.5", profile: "main", direction: .incoming, caller: "+442071234567", called: "+12025550199",
                              onlineNumber: "+12025550199", pbxExtension: "201", start: utc(2026, 11, 3, 9), answer: utc(2026, 11, 3, 9, 0, 4),
                              end: utc(2026, 11, 3, 9, 5, 0), disposition: .answered, sipCause: 200, billing: .free, codec: "G729", srtp: true,
                              pbxLeg: CallLegStats(packetsSent: 14800, packetsReceived: 14790, packetsLost: 10, jitterMilliseconds: 1.5, mos: 4.3),
                              trunkLeg: CallLegStats(packetsSent: 14801, packetsReceived: 14700, packetsLost: 101, jitterMilliseconds: 22.75, mos: nil))
        let id = try store.insertCallRecord(full)
        var expected = full
        expected.id = id
        #expect(try store.callRecord(id: id) == expected)
        let bare = record("bare", "main", .outgoing, start: t0)
        let bareID = try store.insertCallRecord(bare)
        #expect(try store.callRecord(id: bareID)?.pbxLeg == nil && store.callRecord(id: bareID)?.codec == nil)
    }

    @Test func queriesByMonthProfileAndLastN() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        try fill(store)
        let november = try CallMonth("2026-11")
        #expect(try store.callRecords(month: november).map(\.callID) == ["r2", "r3", "r4", "r5", "r6", "r7", "r10", "r8"])
        #expect(try store.callRecords(month: CallMonth("2026-10")).map(\.callID) == ["r1"])
        #expect(try store.callRecords(month: CallMonth("2026-12")).map(\.callID) == ["r9"])
        #expect(try store.callRecords(month: CallMonth("2027-01")).isEmpty)
        #expect(try store.callRecords(profile: "sales").map(\.callID) == ["r7", "r8", "r9"])
        #expect(try store.callRecords(last: 2).map(\.callID) == ["r8", "r9"])
        #expect(try store.callRecords(month: november, profile: "main", last: 2).map(\.callID) == ["r6", "r10"])
        #expect(try store.callRecords(profile: "nobody").isEmpty)
        #expect(try store.callRecords().count == 10)
        #expect(throws: StoreError.self) { try store.callRecords(last: 0) }
    }

    @Test func theMonthlyReportAddsUpPerCallMinutes() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        try fill(store)
        let report = try store.monthlyReport(month: CallMonth("2026-11"), bundles: ["main": 2, "sales": 0, "spare": 1])
        // By hand: main/outgoing r2 (60 s, 1 min) r3 (61 s, 2 min) r4 (1 s, 1 min) r5 r10 (unanswered):
        // 5 calls, 3 answered, 122 s, 4 minutes (not 3: minutes are rounded per call).
        #expect(report.lines == [
            MonthlyReport.Line(profile: "main", direction: .outgoing, calls: 5, answeredCalls: 3, billableSeconds: 122, minutes: 4, usBundleMinutes: 4, creditMinutes: 0),
            MonthlyReport.Line(profile: "main", direction: .incoming, calls: 1, answeredCalls: 1, billableSeconds: 125, minutes: 3, usBundleMinutes: 0, creditMinutes: 0),
            MonthlyReport.Line(profile: "sales", direction: .outgoing, calls: 2, answeredCalls: 1, billableSeconds: 3600, minutes: 60, usBundleMinutes: 0, creditMinutes: 60),
        ])
        #expect(report.totalCalls == 8 && report.totalMinutes == 67)
        #expect(report.bundleUse == [
            MonthlyReport.BundleUse(profile: "main", bundles: 2, allowanceMinutes: 10_000, usedMinutes: 4),
            MonthlyReport.BundleUse(profile: "spare", bundles: 1, allowanceMinutes: 5_000, usedMinutes: 0),
        ])
        #expect(report.bundleUse[0].remainingMinutes == 9_996 && report.bundleUse[0].minutesOverAllowance == 0)
        #expect(report.outcomes.map(\.disposition) == [.answered, .busy, .noAnswer, .cancelled, .refused, .failed])
        #expect(report.outcomes.map(\.calls) == [5, 1, 0, 1, 1, 0])
        #expect(report.outcomes.map { "\($0.disposition)" } == ["answered", "busy", "no-answer", "cancelled", "refused", "failed"])

        let empty = try store.monthlyReport(month: CallMonth("2025-01"))
        #expect(empty.lines.isEmpty && empty.bundleUse.isEmpty && empty.totalCalls == 0 && empty.outcomes.allSatisfy { $0.calls == 0 })
        #expect(throws: StoreError.self) { try store.monthlyReport(month: CallMonth("2026-11"), bundles: ["main": -1]) }
    }

    @Test func bundleMinutesBeyondTheAllowanceAreShown() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        // 300,001 s is 5,000.02 minutes: 5,001 billed, one over a single bundle.
        try store.insertCallRecord(record("long", "main", .outgoing, start: utc(2026, 11, 2), answerAfter: 1, talk: 300_001))
        let use = try #require(try store.monthlyReport(month: CallMonth("2026-11"), bundles: ["main": 1]).bundleUse.first)
        #expect(use.usedMinutes == 5_001 && use.allowanceMinutes == 5_000 && use.remainingMinutes == 0 && use.minutesOverAllowance == 1)
    }

    @Test func csvExportQuotesAsRFC4180Says() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let a = CallRecord(callID: "a,b\"c", profile: "main", direction: .outgoing, caller: "201", called: "0012025550100",
                           onlineNumber: "+12025550199", pbxExtension: "201", start: utc(2026, 12, 2, 9), answer: utc(2026, 12, 2, 9, 0, 4, ms: 500),
                           end: utc(2026, 12, 2, 9, 2, 5), disposition: .answered, sipCause: 200, billing: .usBundle, codec: "PCMA", srtp: true,
                           pbxLeg: CallLegStats(packetsSent: 6000, packetsReceived: 5990, packetsLost: 10, jitterMilliseconds: 2.345, mos: 4.317),
                           trunkLeg: CallLegStats(packetsSent: 6010, packetsReceived: 6000, packetsLost: 3, jitterMilliseconds: 12.25, mos: nil,
                                                  roundTripMilliseconds: 84.25))
        let b = CallRecord(callID: "c2", profile: "sales", direction: .incoming, caller: "\"Reception\"\n200", called: "+12025550199",
                           start: utc(2026, 12, 31, 23, 59, 59), answer: nil, end: utc(2026, 12, 31, 23, 59, 59, ms: 900),
                           disposition: .cancelled, sipCause: 487, billing: .free)
        let line = CallRecord(callID: "l3", profile: "line", direction: .outgoing, caller: "202", called: "911", pbxExtension: "202",
                              start: utc(2026, 12, 3, 8), answer: utc(2026, 12, 3, 8, 0, 5), end: utc(2026, 12, 3, 8, 1),
                              disposition: .answered, sipCause: 200, billing: .free, codec: "PCMU", echoERLEDB: 31.25)
        let outside = record("jan", "main", .outgoing, start: utc(2027, 1, 1))
        let ids = try store.insertCallRecords([b, a, outside, line])
        let csv = try store.exportCSV(month: CallMonth("2026-12"))
        let expected = """
            id,call_id,profile,direction,caller,called,online_number,extension,start_utc,answer_utc,end_utc,billable_seconds,billable_minutes,\
            disposition,sip_cause,billing,codec,srtp,pbx_packets_sent,pbx_packets_received,pbx_packets_lost,pbx_jitter_ms,pbx_mos,\
            trunk_packets_sent,trunk_packets_received,trunk_packets_lost,trunk_jitter_ms,trunk_mos,pbx_rtt_ms,trunk_rtt_ms,echo_erle_db\r
            \(ids[1]),"a,b""c",main,outgoing,201,0012025550100,+12025550199,201,2026-12-02T09:00:00.000Z,2026-12-02T09:00:04.500Z,\
            2026-12-02T09:02:05.000Z,121,3,answered,200,us-bundle,PCMA,yes,6000,5990,10,2.3,4.32,6010,6000,3,12.3,,,84.3,\r
            \(ids[3]),l3,line,outgoing,202,911,,202,2026-12-03T08:00:00.000Z,2026-12-03T08:00:05.000Z,2026-12-03T08:01:00.000Z,\
            55,1,answered,200,free,PCMU,no,,,,,,,,,,,,,31.3\r
            \(ids[0]),c2,sales,incoming,\"""Reception""\n200",+12025550199,,,2026-12-31T23:59:59.000Z,,2026-12-31T23:59:59.900Z,\
            0,0,cancelled,487,free,,no,,,,,,,,,,,,,\r

            """
        #expect(csv == expected)
        #expect(try store.exportCSV(month: CallMonth("2026-10")) == CallRecordCSV.line(Store.csvColumns), "an empty month is the header alone")
    }

    @Test func badRecordsAreRefusedNamingTheField() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let good = record("g", "main", .outgoing, start: t0, answerAfter: 1, talk: 10)
        var endFirst = good; endFirst.end = t0.adding(seconds: -1)
        var noAnswer = good; noAnswer.answer = nil
        var busyAnswered = good; busyAnswered.disposition = .busy
        var cause = good; cause.sipCause = 99
        var mos = good; mos.pbxLeg = CallLegStats(packetsSent: 1, packetsReceived: 1, packetsLost: 0, jitterMilliseconds: 0, mos: 6)
        var rtt = good; rtt.trunkLeg = CallLegStats(packetsSent: 1, packetsReceived: 1, packetsLost: 0, jitterMilliseconds: 0, mos: 4,
                                                    roundTripMilliseconds: -1)
        var erle = good; erle.echoERLEDB = .nan
        var noProfile = good; noProfile.profile = ""
        let cases: [(CallRecord, String)] = [
            (endFirst, "is before start"), (noAnswer, "no answer time"), (busyAnswered, "disposition is busy but there is an answer time"),
            (cause, "SIP cause 99"), (mos, "PBX leg MOS 6.0"), (rtt, "trunk leg round-trip time"), (erle, "echo ERLE nan dB"), (noProfile, "profile is empty"),
        ]
        for (bad, words) in cases {
            let error = #expect(throws: StoreError.self) { try store.insertCallRecord(bad) }
            #expect(error?.description.contains(words) == true, "\(String(describing: error)) should say \(words)")
        }
        // A batch with one bad record stores none of them.
        #expect(throws: StoreError.self) { try store.insertCallRecords([good, cause]) }
        #expect(try store.callRecords().isEmpty)
    }
}

@Suite struct UTCTimeTests {
    @Test func calendarFieldsAndText() throws {
        let t = try #require(UTCTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58, millisecond: 7))
        #expect(t.iso8601 == "2024-02-29T23:59:58.007Z" && t.compact == "20240229T235958Z")
        #expect(t.millisecondsSince1970 == 1_709_251_198_007)
        #expect(UTCTime(millisecondsSince1970: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(UTCTime(year: 2026, month: 2, day: 29) == nil && UTCTime(year: 2026, month: 4, day: 31) == nil)
        #expect(UTCTime(year: 2026, month: 1, day: 1, hour: 24) == nil && UTCTime(year: 1969, month: 12, day: 31) == nil)
        #expect(t.adding(seconds: 2).iso8601 == "2024-03-01T00:00:00.007Z")
    }

    @Test func monthsParseStrictlyAndBoundInUTC() throws {
        let m = try CallMonth("2026-12")
        #expect(m.start.iso8601 == "2026-12-01T00:00:00.000Z" && m.end.iso8601 == "2027-01-01T00:00:00.000Z" && m.description == "2026-12")
        #expect(try CallMonth("2024-02").end.iso8601 == "2024-03-01T00:00:00.000Z")
        for bad in ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "", "abcd-ef", "+2026-1"] {
            #expect(throws: StoreError.invalidMonth(bad)) { try CallMonth(bad) }
        }
        #expect(CallMonth(containing: utc(2026, 11, 30, 23, 59, 59, ms: 999)) == (try CallMonth("2026-11")))
        #expect(CallMonth(containing: utc(2026, 12, 1)) == (try CallMonth("2026-12")))
        #expect(StoreError.invalidMonth("2026-1").description == "\"2026-1\" is not a month: expected YYYY-MM, e.g. 2026-11")
    }

    @Test func fixedDecimalsRoundHalfAwayFromZero() {
        #expect(CallRecordCSV.fixed(12.25, decimals: 1) == "12.3" && CallRecordCSV.fixed(4.317, decimals: 2) == "4.32")
        #expect(CallRecordCSV.fixed(0.04, decimals: 1) == "0.0" && CallRecordCSV.fixed(3, decimals: 2) == "3.00")
        #expect(CallRecordCSV.fixed(-1.25, decimals: 1) == "-1.3")
    }
}

@Suite struct StoreThreadTests {
    @Test func callsFromManyThreadsAreSerialized() async throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let start = utc(2026, 11, 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for n in 0..<25 {
                        try store.insertCallRecord(CallRecord(callID: "w\(worker)-\(n)", profile: "p\(worker)", direction: .outgoing, caller: "201",
                                                              called: "1", start: start, answer: nil, end: start, disposition: .failed, sipCause: 503, billing: .credit))
                        if n % 5 == 0 { try store.commit(text: "hostname w\(worker)-\(n)\n", author: "w\(worker)", now: start) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.callRecords().count == 100)
        #expect(try Set(store.callRecords().map(\.callID)).count == 100)
        #expect(try store.history(limit: 100).count == 21)
        for worker in 0..<4 { #expect(try store.callRecords(profile: "p\(worker)").count == 25) }
    }
}
