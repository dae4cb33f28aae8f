// ConfigServiceTests: commits through the real store: checked, versioned, applied; confirmed commits revert; rollbacks.
import Config
import Foundation
import Store
import Testing
@testable import Gateway

final class Applied: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(GatewayConfig, GatewayConfig, ConfigChanges)] = []
    func record(_ a: GatewayConfig, _ b: GatewayConfig, _ c: ConfigChanges) { lock.withLock { items.append((a, b, c)) } }
    var all: [(GatewayConfig, GatewayConfig, ConfigChanges)] { lock.withLock { items } }
}

func withService(_ body: (ConfigService, Applied, String) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (store, report) = try Store.open(at: dir + "/trunkbox.db", factoryDefaults: ConfigText.serialize(.factoryDefault))
    #expect(!report.isLoud)
    let service = try ConfigService(store: store)
    let applied = Applied()
    service.onApply = { applied.record($0, $1, $2) }
    try body(service, applied, dir)
    store.close()
}

@Suite("Config service", .serialized)
struct ConfigServiceTests {
    static let sales = """
        profile sales
         registrar sip.skype.com
         sip-user 99051000012345
         password Secret-1
         channels 4
         us-bundles 1

        """

    func candidate(_ service: ConfigService, _ lines: [(String, ConfigCandidate.Context)]) -> String {
        var c = ConfigCandidate(from: service.runningText)
        for (line, ctx) in lines {
            let outcome = c.apply(line, in: ctx)
            if case .refused(let why) = outcome { Issue.record("\(line): \(why)") }
        }
        return c.text
    }

    @Test func aValidCandidateBecomesANewRunningVersionAndIsApplied() throws {
        try withService { service, applied, _ in
            let first = service.runningVersion
            let text = candidate(service, [("hostname architects-gw", .top), ("profile sales", .top),
                                           ("sip-user 99051000012345", .profile("sales")), ("password Secret-1", .profile("sales")),
                                           ("channels 4", .profile("sales"))])
            guard case .committed(let v, _, let changes) = service.commit(text, author: "tester") else {
                Issue.record("commit refused"); return
            }
            #expect(v > first && service.runningVersion == v)
            #expect(service.running.hostname == "architects-gw")
            #expect(service.running.profile(named: "sales")?.password?.clearText == "Secret-1")
            #expect(changes.contains { $0.contains("sales") })
            #expect(applied.all.count == 1 && applied.all[0].2.profilesAdded == ["sales"])
            // The same text again stores nothing.
            #expect(service.commit(text, author: "tester") == .unchanged)
            // History and diff never show the secret.
            #expect(service.history().contains("(running)"))
            let diff = service.diff(from: first, to: v)
            #expect(diff.contains("+hostname architects-gw") || diff.contains("+ hostname architects-gw") || diff.contains("architects-gw"))
            #expect(!diff.contains("Secret-1"))
        }
    }

    @Test func anInvalidCandidateIsRefusedWithLineAndFieldAndNothingChanges() throws {
        try withService { service, applied, _ in
            let before = service.runningVersion
            // 2 bundles on 1 channel breaks the guide's rule.
            let text = candidate(service, [("profile sales", .top), ("sip-user 99051000012345", .profile("sales")),
                                           ("password x", .profile("sales")), ("channels 1", .profile("sales")),
                                           ("us-bundles 2", .profile("sales"))])
            guard case .refused(let errors) = service.commit(text, author: "tester") else { Issue.record("accepted"); return }
            #expect(errors.contains { $0.contains("us-bundles") && $0.contains("line") }, "\(errors)")
            #expect(service.runningVersion == before)
            #expect(applied.all.isEmpty)
        }
    }

    @Test func aConfirmedCommitRollsBackUnlessConfirmed() throws {
        try withService { service, applied, _ in
            let base = service.runningVersion
            let t0 = UTCTime(secondsSince1970: 1_800_000_000)
            let text = candidate(service, [("hostname trial", .top)])
            guard case .committed(let v, _, _) = service.commit(text, author: "t", confirmMinutes: 2, now: t0) else {
                Issue.record("refused"); return
            }
            #expect(service.pendingConfirmation()?.versionID == v)
            #expect(service.revertIfUnconfirmed(now: UTCTime(secondsSince1970: 1_800_000_000 + 60)) == nil, "not yet")
            let reverted = service.revertIfUnconfirmed(now: UTCTime(secondsSince1970: 1_800_000_000 + 121))
            #expect(reverted != nil)
            #expect(service.running.hostname == GatewayConfig.factoryDefault.hostname)
            #expect(applied.all.count == 2, "applied once for the commit, once for the revert")
            #expect(service.pendingConfirmation() == nil)
            _ = base
            // Confirmed in time: stays.
            let text2 = candidate(service, [("hostname kept", .top)])
            _ = service.commit(text2, author: "t", confirmMinutes: 1, now: t0)
            #expect(service.confirm().contains("confirmed"))
            #expect(service.revertIfUnconfirmed(now: UTCTime(secondsSince1970: 1_800_000_000 + 600)) == nil)
            #expect(service.running.hostname == "kept")
        }
    }

    @Test func rollbackRestoresAnEarlierVersionAsANewOne() throws {
        try withService { service, applied, _ in
            let v1 = service.runningVersion
            _ = service.commit(candidate(service, [("hostname two", .top)]), author: "t")
            let message = service.rollback(to: v1, author: "t")
            #expect(message.contains("rolled back to version \(v1)"))
            #expect(service.running.hostname == GatewayConfig.factoryDefault.hostname)
            #expect(service.runningVersion > v1)
            #expect(service.rollback(to: 999, author: "t").hasPrefix("%"))
            #expect(applied.all.count == 2)
        }
    }
}
