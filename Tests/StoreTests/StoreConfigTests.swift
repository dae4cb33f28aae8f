// StoreConfigTests: config versions: commit, history, rollback, confirmed commit with automatic revert across a restart.
import Testing
@testable import Store

@Suite struct StoreConfigTests {
    @Test func commitStoresAVersionAndRunsIt() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let text = "hostname office\nprofile main\n"
        let v = try store.commit(text: text, author: "installer", comment: "first setup", now: utc(2026, 11, 29, 13, 5, 7, ms: 250))
        #expect(v.id == 2 && v.text == text && v.author == "installer" && v.comment == "first setup")
        // SHA-256 of the text, checked against `printf 'hostname office\nprofile main\n' | sha256sum`.
        #expect(v.sha256 == "c4bcb8d2117638a49df7a9185b87f5b54f6059ea9e225efe158b76e771015be4")
        #expect(v.created.iso8601 == "2026-11-29T13:05:07.250Z")
        #expect(try store.running() == v)
        #expect(try store.version(2) == v && store.version(99) == nil)
        guard case .valid(let copy) = LastGoodCopy.read(from: store.lastGoodPath) else { Issue.record("no copy"); return }
        #expect(copy.versionID == 2 && copy.text == text)
    }

    @Test func sha256IsTheStandardOne() {
        // FIPS 180-4 examples.
        #expect(StoreDigest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(StoreDigest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func historyIsNewestFirstAndRollbackStoresANewVersion() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        for n in 2...5 { try store.commit(text: "hostname v\(n)\n", author: "alice", now: t0.adding(seconds: Int64(n))) }
        #expect(try store.history(limit: 3).map(\.id) == [5, 4, 3])
        #expect(try store.history().map(\.id) == [5, 4, 3, 2, 1])

        let back = try store.rollback(to: 3, author: "bob", now: t0.adding(seconds: 100))
        #expect(back.id == 6 && back.text == "hostname v3\n" && back.comment == "rollback to 3" && back.author == "bob")
        #expect(back.sha256 == (try store.version(3))?.sha256)
        #expect(try store.running().id == 6)
        #expect(try store.history(limit: 2).map(\.id) == [6, 5], "history is kept, nothing is deleted")

        #expect(throws: StoreError.versionNotFound(42)) { try store.rollback(to: 42, author: "bob", now: t0) }
        #expect(try store.running().id == 6, "a refused rollback changes nothing")
        #expect(throws: StoreError.self) { try store.history(limit: 0) }
    }

    @Test func versionsSurviveReopening() throws {
        let dir = ScratchDirectory()
        do {
            let (store, _) = try openStore(dir)
            try store.commit(text: "hostname a\n", author: "x", comment: "with, comma", now: t0)
            store.close()
            #expect(throws: StoreError.closed) { try store.running() }
        }
        let (store, report) = try openStore(dir)
        #expect(report.outcome == .opened && report.runningID == 2)
        #expect(try store.running().comment == "with, comma")
    }

    @Test func anUnconfirmedCommitIsRevertedAfterItsDeadline() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let good = try store.commit(text: "hostname good\n", author: "a", now: t0)
        let risky = try store.commit(text: "hostname risky\n", author: "a", comment: "try", confirmWithin: 300, now: t0.adding(seconds: 10))
        #expect(try store.running() == risky)
        let pending = try #require(try store.pendingConfirmation())
        #expect(pending == PendingConfirmation(versionID: risky.id, fallbackID: good.id, deadline: t0.adding(seconds: 310)))
        // The last-good copy keeps the confirmed config while the risky one waits.
        guard case .valid(let copy) = LastGoodCopy.read(from: store.lastGoodPath) else { Issue.record("no copy"); return }
        #expect(copy.versionID == good.id)

        #expect(try store.revertUnconfirmed(now: t0.adding(seconds: 309)) == nil, "not yet: one second before the deadline")
        #expect(try store.running() == risky)

        let reverted = try #require(try store.revertUnconfirmed(now: t0.adding(seconds: 310)))
        #expect(reverted.text == "hostname good\n" && reverted.author == "system")
        #expect(reverted.comment == "rollback to \(good.id): version \(risky.id) was not confirmed by 2026-11-29T12:05:10.000Z")
        #expect(try store.running() == reverted && store.pendingConfirmation() == nil)
        #expect(try store.revertUnconfirmed(now: t0.adding(seconds: 9999)) == nil, "only once")
        #expect(throws: StoreError.noPendingConfirmation) { try store.confirm() }
    }

    @Test func aPendingConfirmationSurvivesARestartAndStillRollsBack() throws {
        let dir = ScratchDirectory()
        let good: ConfigVersion, risky: ConfigVersion
        do {
            let (store, _) = try openStore(dir)
            good = try store.commit(text: "hostname good\n", author: "a", now: t0)
            risky = try store.commit(text: "hostname risky\n", author: "a", confirmWithin: 60, now: t0)
            store.close()
        }
        // The box reboots: the store still knows what to fall back to.
        let (store, report) = try openStore(dir, now: t0.adding(seconds: 30))
        #expect(report.outcome == .opened && report.runningID == risky.id)
        #expect(report.pendingConfirmation == PendingConfirmation(versionID: risky.id, fallbackID: good.id, deadline: t0.adding(seconds: 60)))
        guard case .valid(let copy) = LastGoodCopy.read(from: store.lastGoodPath) else { Issue.record("no copy"); return }
        #expect(copy.versionID == good.id, "reopening does not promote the unconfirmed version to last-good")
        let reverted = try #require(try store.revertUnconfirmed(now: t0.adding(seconds: 61)))
        #expect(try reverted.text == good.text && store.running() == reverted)
        store.close()
        let (after, second) = try openStore(dir)
        #expect(try second.pendingConfirmation == nil && after.running().text == good.text)
    }

    @Test func confirmKeepsTheCommitAndMakesItLastGood() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        try store.commit(text: "hostname good\n", author: "a", now: t0)
        let risky = try store.commit(text: "hostname new\n", author: "a", confirmWithin: 60, now: t0)
        #expect(try store.confirm() == risky)
        #expect(try store.pendingConfirmation() == nil)
        #expect(try store.revertUnconfirmed(now: t0.adding(seconds: 3600)) == nil)
        #expect(try store.running() == risky)
        guard case .valid(let copy) = LastGoodCopy.read(from: store.lastGoodPath) else { Issue.record("no copy"); return }
        #expect(copy.versionID == risky.id)
    }

    @Test func aSecondConfirmedCommitKeepsTheFirstFallback() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let good = try store.commit(text: "hostname good\n", author: "a", now: t0)
        try store.commit(text: "hostname try1\n", author: "a", confirmWithin: 60, now: t0)
        let second = try store.commit(text: "hostname try2\n", author: "a", confirmWithin: 120, now: t0.adding(seconds: 30))
        let pending = try #require(try store.pendingConfirmation())
        #expect(pending.versionID == second.id && pending.fallbackID == good.id && pending.deadline == t0.adding(seconds: 150))
        let reverted = try #require(try store.revertUnconfirmed(now: t0.adding(seconds: 150)))
        #expect(reverted.text == "hostname good\n")
    }

    @Test func aPlainCommitOrRollbackSettlesAPendingConfirmation() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        try store.commit(text: "hostname good\n", author: "a", now: t0)
        try store.commit(text: "hostname try\n", author: "a", confirmWithin: 60, now: t0)
        let plain = try store.commit(text: "hostname decided\n", author: "a", now: t0)
        #expect(try store.pendingConfirmation() == nil)
        #expect(try store.revertUnconfirmed(now: t0.adding(seconds: 61)) == nil && store.running() == plain)

        try store.commit(text: "hostname try again\n", author: "a", confirmWithin: 60, now: t0)
        try store.rollback(to: 1, author: "a", now: t0)
        #expect(try store.pendingConfirmation() == nil)
        #expect(try store.running().text == factory)
    }

    @Test func badArgumentsAreRefusedWithAReason() throws {
        let dir = ScratchDirectory()
        let (store, _) = try openStore(dir)
        let zero = #expect(throws: StoreError.self) { try store.commit(text: "x", author: "a", confirmWithin: 0, now: t0) }
        #expect(zero?.description == "the confirmation time must be at least 1 second, not 0")
        let big = String(repeating: "x", count: Store.maximumConfigBytes + 1)
        #expect(throws: StoreError.self) { try store.commit(text: big, author: "a", now: t0) }
        #expect(try store.history().count == 1)
    }

    @Test func settingsAreAKeyValueTable() throws {
        let dir = ScratchDirectory()
        do {
            let (store, _) = try openStore(dir)
            #expect(try store.setting("console.password") == nil)
            try store.setSetting("console.password", to: "pbkdf2-sha256$100000$c2FsdA$aGFzaA")
            try store.setSetting("console.failures", to: "1")
            try store.setSetting("console.failures", to: "2")
            #expect(try store.removeSetting("nothing") == false)
            #expect(throws: StoreError.self) { try store.setSetting("", to: "x") }
            store.close()
        }
        let (store, _) = try openStore(dir)
        #expect(try store.setting("console.password") == "pbkdf2-sha256$100000$c2FsdA$aGFzaA")
        #expect(try store.setting("console.failures") == "2")
        #expect(try store.removeSetting("console.failures") == true)
        #expect(try store.setting("console.failures") == nil)
    }
}
