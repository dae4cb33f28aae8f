// BoxConsoleTests: a console session on the box's real backend (store, config service): login, configure, commit, show.
import Config
import Console
import Foundation
import Store
import Testing
@testable import Gateway

final class QuietRuntime: BoxRuntime, @unchecked Sendable {
    func registrationLines() -> [String] { ["sales: registered via udp:192.0.2.1:5060, expires in 3540 s"] }
    func callLines() -> [String] { [] }
    func channelLines() -> [String] { ["sales: 0 of 4 channels in use"] }
    func recentLog(limit: Int) -> [String] { ["2026-11-29T10:00:00.000Z profile sales: registered"] }
    func testTrunk(profile: String) -> String { "ok\n" }
    func setSIPDebug(_ on: Bool) -> String { "" }
    func simulateRing(from caller: String?) -> String { "" }
    func simulateResetButton(seconds: Int) -> String { "" }
    func lineLines() -> [String] { [] }
    func reload() -> String { "restarting\n" }
    func statusLines() -> [String] { ["listening: LAN UDP 127.0.0.1:5060"] }
}

/// Types lines into a session and returns what the terminal shows, without escape sequences.
final class Typist {
    let session: ConsoleSession
    var now = ConsoleInstant(milliseconds: 1_000)
    var screen = ""

    init(_ session: ConsoleSession) {
        self.session = session
        screen += Self.text(session.start(now: now))
    }

    @discardableResult
    func type(_ line: String) -> String {
        now = ConsoleInstant(milliseconds: now.milliseconds + 100)
        let shown = Self.text(session.feed(Array((line + "\r").utf8), now: now))
        screen += shown
        return shown
    }

    static func text(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x1B {
                i += 1
                if i < bytes.count, bytes[i] == 0x5B { i += 1; while i < bytes.count, !(0x40...0x7E).contains(bytes[i]) { i += 1 } }
                i += 1
                continue
            }
            if bytes[i] != 0x0D { out.append(bytes[i]) }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

@Suite("Console on the box backend", .serialized)
struct BoxConsoleTests {
    @Test func anInstallerConfiguresAProfileAndCommits() throws {
        try withService { service, applied, _ in
            let backend = BoxConsoleBackend(service: service, runtime: QuietRuntime(), version: "trunkbox test", startedAt: Date())
            var settings = ConsoleSettings()
            settings.hashIterations = 100_000
            settings.terminalHeight = 500
            let t = Typist(ConsoleSession(backend: backend, throttle: LoginThrottle(), settings: settings))
            t.type("Install-Pass-42")
            #expect(t.type("Install-Pass-42").contains("trunkbox# "))
            #expect(backend.loginPasswordHash()?.hasPrefix("pbkdf2-sha256$") == true)
            #expect(t.type("configure terminal").contains("trunkbox(config)# "))
            #expect(t.type("profile sales").contains("(config-profile)# "))
            t.type("sip-user 99051000012345")
            t.type("password Sales-Secret-1")
            t.type("channels 4")
            let refused = t.type("us-bundles 9") + t.type("commit")
            #expect(refused.contains("us-bundles") && refused.contains("commit refused"), "\(refused)")
            t.type("us-bundles 2")
            let committed = t.type("commit")
            #expect(committed.contains("committed as version"), "\(committed)")
            #expect(applied.all.count == 1)
            #expect(t.type("exit").contains("trunkbox(config)# "))
            let ended = t.type("end")
            #expect(ended.hasSuffix("trunkbox# "), "\(ended)")
            let config = t.type("show running-config")
            #expect(config.contains("profile sales") && config.contains("password ********"))
            #expect(!t.screen.contains("Sales-Secret-1") || t.screen.components(separatedBy: "Sales-Secret-1").count == 2,
                    "the secret shows only where the installer typed it")
            #expect(t.type("show registrations").contains("sales: registered"))
        }
    }

    @Test func questionMarkInConfigureModeListsStatementsAndValueSlots() throws {
        try withService { service, _, _ in
            let backend = BoxConsoleBackend(service: service, runtime: QuietRuntime(), version: "trunkbox test", startedAt: Date())
            _ = backend.beginConfigure(who: "t")
            let top = backend.configureHelp(words: [], context: [])
            #expect(top.contains { $0.token == "profile" && $0.isKeyword })
            #expect(top.contains { $0.token == "hostname" && !$0.help.isEmpty })
            let profile = [Console.ConfigBlock(name: "profile sales", tag: "profile")]
            let inProfile = backend.configureHelp(words: [], context: profile)
            #expect(inProfile.contains { $0.token == "channels" })
            #expect(!inProfile.contains { $0.token == "hostname" }, "top-level statements are not offered inside a profile")
            let slot = backend.configureHelp(words: ["channels"], context: profile)
            #expect(slot.contains { !$0.isKeyword && $0.token.contains("1-300") }, "\(slot)")
            let choices = backend.configureHelp(words: ["srtp"], context: profile)
            #expect(Set(choices.filter(\.isKeyword).map(\.token)).isSuperset(of: ["off", "optional", "required"]))
            let done = backend.configureHelp(words: ["channels", "4"], context: profile)
            #expect(done.contains(.endOfLine))
        }
    }

    @Test func cdrReportAndFactoryResetThroughTheBackend() throws {
        try withService { service, _, _ in
            let backend = BoxConsoleBackend(service: service, runtime: QuietRuntime(), version: "trunkbox test", startedAt: Date())
            _ = backend.beginConfigure(who: "t")
            for line in ["profile sales", "sip-user 99051000012345", "password Sales-Secret-1", "channels 4", "us-bundles 1"] {
                _ = backend.configureLine(line, context: line.hasPrefix("profile") ? [] : [Console.ConfigBlock(name: "profile sales", tag: "profile")])
            }
            #expect(backend.commit(who: "t").contains("committed"))
            #expect(backend.setLoginPasswordHash("pbkdf2-sha256$200000$c2FsdA==$aGFzaA==") == nil)
            let start = UTCTime(year: 2026, month: 11, day: 3, hour: 9)!
            let answer = UTCTime(year: 2026, month: 11, day: 3, hour: 9, minute: 0, second: 5)!
            let end = UTCTime(year: 2026, month: 11, day: 3, hour: 9, minute: 2, second: 5)!
            _ = try service.withStore {
                try $0.insertCallRecord(CallRecord(callID: "c1", profile: "sales", direction: .outgoing, caller: "201",
                                                   called: "0012025550100", start: start, answer: answer, end: end,
                                                   disposition: .answered, sipCause: 200, billing: .usBundle))
            }
            let month = ConsoleMonth(year: 2026, month: 11)!
            let cdr = backend.showCDR(month: month, profile: nil, last: nil)
            #expect(cdr.contains("0012025550100") && cdr.contains(" 120"), "\(cdr)")
            let report = backend.showReport(month: month)
            #expect(report.contains("sales") && report.contains("2 of 5000 minutes used"), "\(report)")
            #expect(backend.exportCDR(month: month).contains("c1"))

            let reset = backend.factoryReset()
            #expect(reset.contains("1 call record(s) erased"), "\(reset)")
            #expect(backend.loginPasswordHash() == nil)
            #expect(service.running == GatewayConfig.factoryDefault)
            #expect(backend.showCDR(month: month, profile: nil, last: nil) == "no call records\n")
        }
    }
}
