// EmulatorCoreTests: the trunk emulator's pure rules: config parsing (errors name the line), emergency and
// number form, caller ID, channels, bundles then credit, the monthly report.
import Foundation
import Testing
import TrunkEmulatorCore

enum EmuFixtures {
    static var architectsPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/emulator/architects.emu").path
    }
    static func architects() throws -> EmulatorConfig {
        try EmulatorConfigParser.parse(String(contentsOfFile: architectsPath, encoding: .utf8))
    }
    /// 2026-11-15 12:00:00 UTC.
    static let nov2026: Int64 = 1_794_744_000
}

@Suite("Emulator config")
struct EmulatorConfigTests {
    @Test func digestAlgorithmsAreOfferedInTheOrderWritten() throws {
        let c = try EmulatorConfigParser.parse("listen udp 127.0.0.1:5060\ndigest-algorithms sha-256 md5\nprofile A\n sip-user 99051000000001\n password p\n")
        #expect(c.digestAlgorithms == ["SHA-256", "MD5"])
    }

    @Test func theExampleFileParses() throws {
        let c = try EmuFixtures.architects()
        #expect(c.listens == [EmulatorListen(transport: "udp", host: "127.0.0.1", port: 5070)])
        #expect(c.realm == "sip.skype.com")
        #expect(c.digestAlgorithms == ["MD5"])
        #expect(c.profiles.map(\.name) == ["Sales", "Engineering"])
        let sales = c.profiles[0]
        #expect(sales.sipUser == "99051000012345")
        #expect(sales.channels == 4 && sales.usBundles == 2 && sales.bundleMinutesPerMonth == 10_000)
        #expect(sales.credit == USD(micros: 25_000_000))
        #expect(sales.rateUS == USD(micros: 23_000) && sales.rateOther == USD(micros: 100_000))
        #expect(sales.onlineNumbers == ["+12026555376", "+442071230000"])
        #expect(sales.verifiedNumbers == ["+442071234567"])
        #expect(sales.skypeNames == ["architects.sales"])
        #expect(sales.callerID == "+12026555376")
        #expect(sales.auth == .registration && !sales.srtp)
        #expect(c.profiles[1].srtp)
    }

    static let base = "listen udp 127.0.0.1:5060\nprofile A\n sip-user 99051000000001\n password p\n"

    static let errors: [(String, Int, String)] = [
        (base + " sip-user 12345\n", 5, "twice"),
        ("listen udp 127.0.0.1:5060\nprofile A\n sip-user 9905100000001\n", 3, "14 digits starting 99051"),
        ("listen udp 127.0.0.1:5060\nprofile A\n sip-user 12345678901234\n", 3, "14 digits starting 99051"),
        (base + " channels 301\n", 5, "1-300"),
        (base + " channels 0\n", 5, "1-300"),
        (base + " channels 2\n us-bundles 3\n", 2, "never more bundles than channels"),
        (base + " credit ten\n", 5, "credit must be an amount"),
        (base + " rate mars 0.1\n", 5, "rate must be"),
        (base + " online-number 2026555376\n", 5, "international number"),
        (base + " caller-id +12025550000\n", 2, "neither a verified number nor an Online Number"),
        (base + " srtp maybe\n", 5, "'on' or 'off'"),
        (base + " auth ip example.com\n", 5, "IPv4"),
        (base + " colour blue\n", 5, "unknown profile statement 'colour'"),
        ("listen udp 127.0.0.1:5060\n sip-user 99051000000001\n", 2, "no profile block"),
        ("listen tls 127.0.0.1:5061\n", 1, "needs 'tls-dir DIR'"),
        ("listen tcp 127.0.0.1:5061\n", 1, "(udp or tls)"),
        ("listen udp 127.0.0.1:5060\ndigest-algorithms md5 sha-1\n", 2, "md5 and/or sha-256"),
        ("listen udp 127.0.0.1:5060\ndigest-algorithms md5 md5\n", 2, "each once"),
        ("realm x\n", 1, "no 'listen'"),
        ("listen udp 127.0.0.1:5060\nprofile A\n password p\n", 2, "sip-user is missing"),
        (base + "profile B\n sip-user 99051000000001\n password q\n", 6, "already belongs to another profile"),
        (base + " online-number +12025550100\nprofile B\n sip-user 99051000000002\n password q\n online-number +12025550100\n", 9,
         "already belongs to profile A"),
        ("# comment\n\nlisten udp 127.0.0.1:5060\nbogus 1\n", 4, "unknown statement 'bogus'"),
    ]

    @Test(arguments: errors.indices)
    func errorsNameTheirLine(_ i: Int) {
        let (text, line, fragment) = Self.errors[i]
        #expect {
            _ = try EmulatorConfigParser.parse(text)
        } throws: { error in
            guard let e = error as? EmulatorConfigError else { return false }
            return e.line == line && e.description.contains(fragment) && e.description.hasPrefix("line \(line): ")
        }
    }

    @Test func atMost99OnlineNumbers() throws {
        var text = Self.base + " channels 1\n"
        for i in 0..<99 { text += " online-number +1202555\(String(format: "%04d", i))\n" }
        let ok = try EmulatorConfigParser.parse(text)
        #expect(ok.profiles[0].onlineNumbers.count == 99)
        text += " online-number +12025559999\n"
        #expect(throws: EmulatorConfigError(line: 105, "profile A has more than 99 Online Numbers")) {
            _ = try EmulatorConfigParser.parse(text)
        }
    }

    @Test func money() {
        #expect(USD(parsing: "0.023") == USD(micros: 23_000))
        #expect(USD(parsing: "$3.10") == USD(micros: 3_100_000))
        #expect(USD(parsing: "25") == USD(micros: 25_000_000))
        #expect(USD(parsing: "1.2345678") == nil)
        #expect(USD(parsing: "-1") == nil)
        #expect(USD(micros: 3_456_000).description == "$3.46")
        #expect(USD(micros: 23_000).format(decimals: 3) == "$0.023")
        #expect(USD(micros: -500_000).description == "-$0.50")
    }
}

@Suite("Emulator policy")
struct EmulatorPolicyTests {
    @Test(arguments: ["911", "112", "999", "000", "00911", "00112", "00999", "00000", "+911", "9-1-1"])
    func emergencyNumbersAreRecognised(_ user: String) {
        #expect(TrunkPolicy.isEmergency(user))
    }

    @Test(arguments: ["0012025550143", "9110", "1120", "00441129990000", "0911", "11"])
    func otherNumbersAreNotEmergency(_ user: String) {
        #expect(!TrunkPolicy.isEmergency(user))
    }

    @Test func dialledNumbersMustBeInternational() {
        #expect(TrunkPolicy.dialledNumber("0012025550143") == "+12025550143")
        #expect(TrunkPolicy.dialledNumber("00442071234567") == "+442071234567")
        #expect(TrunkPolicy.dialledNumber("+12025550143") == nil)
        #expect(TrunkPolicy.dialledNumber("2025550143") == nil)
        #expect(TrunkPolicy.dialledNumber("000012025550143") == nil)
    }

    @Test func billingClasses() {
        #expect(TrunkPolicy.billingClass("+12025550143") == .usCanada)   // Washington
        #expect(TrunkPolicy.billingClass("+14165550123") == .usCanada)   // Toronto
        #expect(TrunkPolicy.billingClass("+18765550123") == .other)      // Jamaica
        #expect(TrunkPolicy.billingClass("+18095550123") == .other)      // Dominican Republic
        #expect(TrunkPolicy.billingClass("+442071234567") == .other)
        #expect(TrunkPolicy.billingClass("+11025550123") == .other)      // area code cannot start with 1
        #expect(TrunkPolicy.billingClass("+1202555014") == .other)       // too short
    }

    @Test func callerIDOnlyVerifiedOrOnlineNumbers() throws {
        let sales = try EmuFixtures.architects().profiles[0]
        let verified = TrunkPolicy.presentedCallerID(offered: "+442071234567", profile: sales)
        #expect(verified == CallerIDDecision(shown: "+442071234567", replaced: false, offered: "+442071234567"))
        #expect(TrunkPolicy.presentedCallerID(offered: "00442071230000", profile: sales).shown == "+442071230000")
        #expect(TrunkPolicy.presentedCallerID(offered: "12026555376", profile: sales).shown == "+12026555376")
        let stranger = TrunkPolicy.presentedCallerID(offered: "+13105550000", profile: sales)
        #expect(stranger.shown == "+12026555376" && stranger.replaced)
        let ext = TrunkPolicy.presentedCallerID(offered: "Extension 201", profile: sales)
        #expect(ext.shown == "+12026555376" && ext.replaced)
        var noDefault = sales
        noDefault.callerID = nil
        #expect(TrunkPolicy.presentedCallerID(offered: "+13105550000", profile: noDefault).shown == "unknown")
        #expect(TrunkPolicy.presentedCallerID(offered: nil, profile: noDefault) == CallerIDDecision(shown: "unknown", replaced: false, offered: nil))
    }

    @Test func months() {
        #expect(BillingMonth(epochSeconds: EmuFixtures.nov2026).description == "2026-11")
        #expect(BillingMonth(epochSeconds: 0).description == "1970-01")
        #expect(BillingMonth(epochSeconds: 951_782_400).description == "2000-02")  // 2000-02-29 00:00
        #expect(BillingMonth(epochSeconds: 1_798_761_599).description == "2026-12") // 2026-12-31 23:59:59
        #expect(BillingMonth(parsing: "2026-11") == BillingMonth(year: 2026, month: 11))
        #expect(BillingMonth(parsing: "2026-13") == nil)
    }

    @Test func controlCommands() {
        #expect(ControlCommand.parse("call +12026555376 from +442071234567") == .success(.call(to: "+12026555376", from: "+442071234567")))
        #expect(ControlCommand.parse("hangup all") == .success(.hangupAll))
        #expect(ControlCommand.parse("report 2026-11") == .success(.report(BillingMonth(year: 2026, month: 11))))
        #expect(ControlCommand.parse("dtmf 3 12#") == .success(.dtmf(call: 3, digits: "12#")))
        #expect((try? ControlCommand.parse("report november").get()) == nil)
        #expect((try? ControlCommand.parse("dial 123").get()) == nil)
    }
}

@Suite("Emulator accounts")
struct EmulatorAccountsTests {
    static func accounts(_ edit: (inout EmulatorConfig) -> Void = { _ in }) throws -> TrunkAccounts {
        var c = try EmuFixtures.architects()
        edit(&c)
        return TrunkAccounts(config: c)
    }

    @Test func emergencyIsRefusedBeforeAnything() throws {
        var a = try Self.accounts()
        guard case .failure(let r) = a.authorizeOutgoing(profile: "Sales", requestUser: "00911", offeredCallerID: nil, at: EmuFixtures.nov2026)
        else { Issue.record("accepted"); return }
        #expect(r.status == 403 && r.outcome == .refusedEmergency)
        #expect(a.books["Sales"]?.channelsInUse == 0)
    }

    @Test func oneCallTooManyGets503() throws {
        var a = try Self.accounts()
        for _ in 0..<2 {
            let granted = (try? a.authorizeOutgoing(profile: "Engineering", requestUser: "0012025550143", offeredCallerID: nil, at: 0).get()) != nil
            #expect(granted)
        }
        guard case .failure(let r) = a.authorizeOutgoing(profile: "Engineering", requestUser: "0012025550143", offeredCallerID: nil, at: 0)
        else { Issue.record("third call accepted on 2 channels"); return }
        #expect(r.status == 503 && r.outcome == .refusedChannels)
        // Incoming calls use the same channels; Sales is untouched.
        let engineeringFull = !a.takeChannel("Engineering")
        let salesFree = a.takeChannel("Sales")
        #expect(engineeringFull && salesFree)
        a.releaseChannel("Engineering")
        let engineeringAgain = a.takeChannel("Engineering")
        #expect(engineeringAgain)
    }

    @Test func minutesRoundUpPerCall() {
        #expect(TrunkAccounts.billedMinutes(answer: nil, end: 100) == 0)
        #expect(TrunkAccounts.billedMinutes(answer: 100, end: 100) == 0)
        #expect(TrunkAccounts.billedMinutes(answer: 100, end: 101) == 1)
        #expect(TrunkAccounts.billedMinutes(answer: 100, end: 160) == 1)
        #expect(TrunkAccounts.billedMinutes(answer: 100, end: 161) == 2)
    }

    @Test func usCallsUseBundlesThenCredit() throws {
        var a = try Self.accounts()
        let month = BillingMonth(year: 2026, month: 11)
        // 10,000 bundle minutes (2 bundles): a 9,998-minute month so far.
        let first = a.charge(profile: "Sales", minutes: 9_998, billing: .usCanada, month: month)
        #expect(first.bundle == 9_998 && first.credit == 0 && first.cost == .zero)
        // 5 more minutes: 2 from the bundle, 3 from credit at 0.023.
        let second = a.charge(profile: "Sales", minutes: 5, billing: .usCanada, month: month)
        #expect(second.bundle == 2 && second.credit == 3 && second.cost == USD(micros: 69_000))
        #expect(a.books["Sales"]?.credit == USD(micros: 24_931_000))
        // A new month has its bundles back.
        let december = a.charge(profile: "Sales", minutes: 10, billing: .usCanada, month: BillingMonth(year: 2026, month: 12))
        #expect(december.bundle == 10 && december.cost == .zero)
        // Other countries never use bundles.
        let uk = a.charge(profile: "Sales", minutes: 7, billing: .other, month: month)
        #expect(uk.bundle == 0 && uk.credit == 7 && uk.cost == USD(micros: 700_000))
    }

    @Test func noCreditRefuses402AndLimitsLength() throws {
        var a = try Self.accounts { $0.profiles[1].credit = USD(micros: 250_000) }   // Engineering: $0.25, 0.12 other, no bundles
        let g = try a.authorizeOutgoing(profile: "Engineering", requestUser: "00442071234567", offeredCallerID: nil, at: 0).get()
        #expect(g.maxMinutes == 2)   // $0.25 buys two minutes at $0.12
        a.finish(profile: "Engineering", direction: .outgoing, from: "99051000067890", to: g.number, shownCallerID: nil, billing: g.billing,
                 start: 0, answer: 0, end: 120, outcome: .answered, status: 200, heldChannel: true)
        #expect(a.books["Engineering"]?.credit == USD(micros: 10_000))
        guard case .failure(let r) = a.authorizeOutgoing(profile: "Engineering", requestUser: "00442071234567", offeredCallerID: nil, at: 0)
        else { Issue.record("a call without credit was accepted"); return }
        #expect(r.status == 402 && r.outcome == .refusedCredit)
        #expect(a.books["Engineering"]?.channelsInUse == 0)
        // Sales still has bundle minutes for the US even with no credit.
        var b = try Self.accounts { $0.profiles[0].credit = .zero }
        let us = try b.authorizeOutgoing(profile: "Sales", requestUser: "0012025550143", offeredCallerID: nil, at: EmuFixtures.nov2026).get()
        #expect(us.maxMinutes == 10_000 && us.billing == .usCanada)
        let ukWithoutCredit = b.authorizeOutgoing(profile: "Sales", requestUser: "00442071234567", offeredCallerID: nil, at: EmuFixtures.nov2026)
        #expect(throws: CallRefusal.self) { try ukWithoutCredit.get() }
    }

    @Test func badNumberFormIs484() throws {
        var a = try Self.accounts()
        guard case .failure(let r) = a.authorizeOutgoing(profile: "Sales", requestUser: "2025550143", offeredCallerID: nil, at: 0)
        else { Issue.record("accepted"); return }
        #expect(r.status == 484)
    }

    @Test func incomingTargets() throws {
        let a = try Self.accounts()
        #expect(a.profile(forIncoming: "+12026555376")?.name == "Sales")
        #expect(a.profile(forIncoming: "0014155550100")?.name == "Engineering")
        #expect(a.profile(forIncoming: "442071230000")?.name == "Sales")
        #expect(a.profile(forIncoming: "Architects.Engineering")?.name == "Engineering")
        #expect(a.profile(forIncoming: "+19999999999") == nil)
    }

    @Test func monthlyReport() throws {
        var a = try Self.accounts()
        let t = EmuFixtures.nov2026
        let g = try a.authorizeOutgoing(profile: "Sales", requestUser: "0012025550143", offeredCallerID: "+13105550000", at: t).get()
        #expect(g.callerID.shown == "+12026555376")
        a.finish(profile: "Sales", direction: .outgoing, from: "99051000012345", to: g.number, shownCallerID: g.callerID.shown, billing: g.billing,
                 start: t, answer: t + 2, end: t + 2 + 61, outcome: .answered, status: 200, heldChannel: true)
        let uk = try a.authorizeOutgoing(profile: "Sales", requestUser: "00442071234567", offeredCallerID: nil, at: t).get()
        a.finish(profile: "Sales", direction: .outgoing, from: "99051000012345", to: uk.number, shownCallerID: uk.callerID.shown, billing: uk.billing,
                 start: t, answer: t + 1, end: t + 1 + 179, outcome: .answered, status: 200, heldChannel: true)
        let incomingChannel = a.takeChannel("Sales")
        #expect(incomingChannel)
        a.finish(profile: "Sales", direction: .incoming, from: "+442071234567", to: "+12026555376", shownCallerID: nil, billing: nil,
                 start: t, answer: t, end: t + 30, outcome: .answered, status: 200, heldChannel: true)
        _ = a.authorizeOutgoing(profile: "Sales", requestUser: "911", offeredCallerID: nil, at: t)
        a.refused(profile: "Sales", direction: .outgoing, from: "99051000012345", to: "911", at: t,
                  refusal: CallRefusal(status: 403, reason: "emergency", outcome: .refusedEmergency))
        // Last month's call is not in November's report.
        a.finish(profile: "Sales", direction: .incoming, from: "+1", to: "+12026555376", shownCallerID: nil, billing: nil,
                 start: t - 40 * 86_400, answer: t - 40 * 86_400, end: t - 40 * 86_400 + 600, outcome: .answered, status: 200, heldChannel: false)
        let s = TrunkReport.summaries(a, month: BillingMonth(year: 2026, month: 11))
        #expect(s.count == 2)
        let sales = s[0]
        #expect(sales.outgoingCalls == 3 && sales.outgoingMinutes == 2 + 3)
        #expect(sales.incomingCalls == 1 && sales.incomingMinutes == 1)
        #expect(sales.bundleMinutesUsed == 2 && sales.bundleMinutesIncluded == 10_000)
        #expect(sales.creditSpent == USD(micros: 300_000))
        #expect(sales.creditLeft == USD(micros: 24_700_000))
        #expect(sales.outcomes == [.answered: 3, .refusedEmergency: 1])
        #expect(a.books["Sales"]?.channelsInUse == 0)
        let text = TrunkReport.text(a, month: BillingMonth(year: 2026, month: 11))
        #expect(text.contains("US bundle minutes: 2 of 10000 used"))
        #expect(text.contains("Skype Credit: $0.30 spent, $24.70 left"))
        #expect(text.contains("outcomes: answered 3, refused: emergency number 1"))
        #expect(s[1].outgoingCalls == 0 && s[1].creditLeft == USD(micros: 10_000_000))
    }
}

@Suite("Emulator registrar")
struct EmulatorRegistrarTests {
    @Test func bindingsExpire() {
        var r = TrunkRegistrar()
        #expect(r.register(user: "u", contact: "sip:a@1.2.3.4", expires: 30, sourceIP: "1.2.3.4", sourcePort: 5060, now: 0) == .tooBrief)
        #expect(r.register(user: "u", contact: "sip:a@1.2.3.4", expires: 600, sourceIP: "1.2.3.4", sourcePort: 5060, now: 0) == .bound(expires: 600))
        #expect(r.binding("u", now: 599)?.contact == "sip:a@1.2.3.4")
        #expect(r.binding("u", now: 600) == nil)
        #expect(r.register(user: "u", contact: "sip:a@1.2.3.4", expires: 100_000, sourceIP: "1.2.3.4", sourcePort: 5060, now: 0) == .bound(expires: 7200))
        #expect(r.register(user: "u", contact: "sip:a@1.2.3.4", expires: 0, sourceIP: "1.2.3.4", sourcePort: 5060, now: 0) == .removed)
        #expect(r.binding("u", now: 1) == nil)
    }

    @Test func noncesLiveFiveMinutesAndCountsOnlyGrow() {
        var n = NonceBook()
        n.issue("abc", now: 0)
        #expect(n.lastCount("abc", now: 10) == 0)
        n.accept("abc", count: 3)
        #expect(n.lastCount("abc", now: 299) == 3)
        #expect(n.lastCount("abc", now: 300) == nil)
        #expect(n.lastCount("zzz", now: 0) == nil)
    }
}
