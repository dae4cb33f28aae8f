// ConsoleSessionTests: login (first password, back-off, lockout, unlock), idle logout, modes and commands.
import Testing
@testable import Console

/// A session on a fake backend with a hand-driven clock.
final class SessionRig {
    let backend: FakeBackend
    let throttle: LoginThrottle
    let session: ConsoleSession
    var now = ConsoleInstant.seconds(1000)
    var out: [UInt8] = []

    static let password = "Cupboard42"
    /// Hashed once for all tests (PBKDF2 at the minimum cost).
    static let storedHash: String = try! PasswordHash(password: Array(password.utf8), iterations: PasswordHash.minimumIterations).encoded

    init(passwordSet: Bool = true, settings: ConsoleSettings = ConsoleSettings(origin: "test", terminalHeight: 24, idleTimeoutSeconds: 600, hashIterations: PasswordHash.minimumIterations),
         throttle: LoginThrottle = LoginThrottle(maxFailures: 5, lockoutSeconds: 300)) {
        backend = FakeBackend(passwordHash: passwordSet ? Self.storedHash : nil)
        self.throttle = throttle
        session = ConsoleSession(backend: backend, throttle: throttle, settings: settings)
        out += session.start(now: now)
    }

    func type(_ s: String) { out += session.feed(Array(s.utf8), now: now) }
    func advance(_ seconds: Int64) {
        now = now.adding(seconds: seconds)
        out += session.tick(now: now)
    }
    func take() -> String {
        defer { out = [] }
        return String(decoding: out, as: UTF8.self)
    }
    func login() {
        type(Self.password + "\r")
        _ = take()
    }
}

@Suite struct ConsoleSessionTests {
    @Test func firstLoginSetsThePasswordTwiceAndStoresAHash() throws {
        let r = SessionRig(passwordSet: false)
        #expect(r.take() == "trunkbox console\r\nNo console password is set. Choose one now (at least 8 characters, mixing letters and digits or symbols).\r\nNew password: ")
        #expect(r.session.phase == .newPassword)
        r.type("short\r")
        #expect(r.take() == "\r\n% Password refused: at least 8 characters are needed.\r\nNew password: ")
        r.type("Cupboard42\r")
        #expect(r.take() == "\r\nRepeat password: ")
        r.type("Cupboard43\r")
        #expect(r.take() == "\r\n% The two passwords differ; start again.\r\nNew password: ")
        r.type("Cupboard42\rCupboard42\r")
        #expect(r.take() == "\r\nRepeat password: \r\nConsole password set.\r\ntrunkbox# ")
        #expect(r.session.phase == .exec)
        let stored = try #require(r.backend.passwordHash)
        let hash = try PasswordHash(parsing: stored)
        #expect(hash.iterations >= 100_000 && hash.salt.count == 16)
        #expect(hash.verify(Array("Cupboard42".utf8)))
        #expect(!stored.contains("Cupboard42"))
    }

    @Test func passwordsAreNeverEchoed() {
        let r = SessionRig()
        _ = r.take()
        r.type("Cupboard42\r")
        let text = r.take()
        #expect(!text.contains("Cupboard"))
        #expect(text == "\r\ntrunkbox# ")
    }

    @Test func wrongPasswordsBackOffThenLockThenUnlock() {
        let r = SessionRig()
        _ = r.take()
        r.type("wrong1\r")
        #expect(r.take() == "\r\n% Wrong password.\r\n")
        #expect(r.session.phase == .waiting)
        r.type("Cupboard42\r")                 // typed during the back-off: dropped
        #expect(r.take() == "")
        r.advance(1)
        #expect(r.take() == "Password: ")
        r.type("wrong2\r")
        _ = r.take()
        r.advance(1)
        #expect(r.take() == "", "second back-off is 2 s")
        r.advance(1)
        #expect(r.take() == "Password: ")
        r.type("wrong3\r"); r.advance(4); r.type("wrong4\r"); r.advance(8)
        _ = r.take()
        r.type("wrong5\r")
        #expect(r.take() == "\r\n% Wrong password. Too many wrong passwords: the console is locked for 300 seconds.\r\n")
        #expect(r.session.phase == .locked)
        r.advance(100)
        r.type("Cupboard42\r")
        #expect(r.take() == "% The console is locked for 200 more seconds.\r\n")
        r.advance(199)
        #expect(r.take() == "")
        r.advance(1)
        #expect(r.take() == "Password: ")
        r.type("Cupboard42\r")
        #expect(r.session.phase == .exec)
        #expect(r.throttle.failureCount == 0)
    }

    @Test func theLockoutIsSharedByEveryConsole() {
        let throttle = LoginThrottle(maxFailures: 2, lockoutSeconds: 60)
        let a = SessionRig(throttle: throttle)
        a.type("x\r"); a.advance(1); a.type("y\r")
        #expect(a.session.phase == .locked)
        let b = SessionRig(throttle: throttle)
        #expect(b.take().contains("locked for 61 more seconds"))
        #expect(b.session.phase == .locked)
    }

    @Test func idleSessionsLogOut() {
        let r = SessionRig()
        r.login()
        r.advance(599)
        #expect(r.take() == "")
        r.type("sh")
        _ = r.take()
        r.advance(599)
        #expect(r.take() == "")
        r.advance(1)
        #expect(r.take() == "\r\n% No input for 10 minutes: logged out.\r\n\r\ntrunkbox console\r\nPassword: ")
        #expect(r.session.phase == .login)
        #expect(r.session.nextDeadline() == nil)
    }

    @Test func socketSessionsCloseOnLogoutAndCtrlD() {
        for bye in ["logout\r", "exit\r", "\u{04}"] {
            let r = SessionRig(settings: ConsoleSettings(closeOnLogout: true))
            r.login()
            r.type(bye)
            #expect(r.session.isClosed, "\(bye)")
        }
    }

    @Test func commandsReachTheBackendWithTheirArguments() {
        let r = SessionRig()
        r.login()
        r.type("sh reg\r")
        #expect(r.take() == "sh reg\r\nprofile  registrar               state       expires\r\nskype1   sip.example.net:5061  registered  3412 s\r\nskype2   sip.example.net:5061  registered  2980 s\r\ntrunkbox# ")
        r.type("sh cdr mon 2026-11 last 3\rexp cdr m 2026-10\rtest tr skype1\rsh conf diff 2 3\rdeb sip\rno deb sip\rline sim ring\rline sim reset 12\r")
        #expect(r.backend.calls == ["showRegistrations", "showCDR month=2026-11 profile=- last=3", "exportCDR 2026-10",
                                    "testTrunk skype1", "showConfigDiff 2 3", "setSIPDebug true", "setSIPDebug false", "simulateRing",
                                    "simulateResetButton 12"])
        _ = r.take()
        r.type("shwo reg\r")
        #expect(r.take() == "shwo reg\r\n% Unknown command 'shwo'. Did you mean 'show registrations'?\r\ntrunkbox# ")
    }

    @Test func questionMarkAndTabWorkWithoutEnter() {
        let r = SessionRig()
        r.login()
        r.type("show cdr ?")
        #expect(r.take() == "show cdr ?\r\n  last     Only the most recent records\r\n  month    Only one month\r\n  profile  Only one profile\r\n  <cr>\r\ntrunkbox# show cdr ")
        r.type("\u{15}sh\t")
        #expect(r.take() == "\u{1B}[9D\u{1B}[Ksh" + "ow ")
        r.type("c\t")
        #expect(r.take() == "c\r\ncalls  cdr  channels  config\r\ntrunkbox# show c")
    }

    @Test func longOutputIsPagedAndCtrlCStopsIt() {
        let r = SessionRig()
        r.login()
        r.type("show log\r")
        let first = r.take()
        #expect(first.hasSuffix("log line 23\r\n--More--"))
        #expect(r.session.isPaging)
        r.type("\u{03}")
        #expect(r.take() == "\r\u{1B}[Ktrunkbox# ")
        r.type("terminal length 0\rshow log\r")
        #expect(r.take().hasSuffix("log line 60\r\ntrunkbox# "))
    }

    @Test func configureModeBlocksCommitsAndHelpFromTheBackend() {
        let r = SessionRig()
        r.login()
        r.type("conf t\r")
        #expect(r.take().hasSuffix("trunkbox(config)# "))
        r.type("?")
        let help = r.take()
        #expect(help.contains("  commit") && help.contains("  hostname") && help.contains("  profile"))
        r.type("prof skype1\r")
        #expect(r.take().hasSuffix("trunkbox(config-profile)# "))
        r.type("chan ?")
        #expect(r.take() == "chan ?\r\n  <1-300>  Channels\r\ntrunkbox(config-profile)# chan ")
        r.type("4\rreg\t")
        #expect(r.take().hasSuffix("reg" + "istrar "))
        r.type("sip.example.net\rchannels 500\r")
        #expect(r.take().contains("% channels: 1 to 300"))
        r.type("exit\rlog lev deb\rcommit\r")
        #expect(r.take().contains("Committed version 2."))
        r.type("hostname box2\rend\r")
        #expect(r.take().hasSuffix("% Uncommitted changes kept in the candidate\r\nbox2# "))
        #expect(r.backend.calls.contains("configureLine channels 4 @profile skype1"))
        #expect(r.backend.calls.contains("configureLine logging level debug @"))
        #expect(r.backend.calls.contains("commit test"))
        r.type("conf\rco\r")
        #expect(r.take().contains("% Ambiguous command: 'co' could be commit, confirm"))
        r.type("xyzzy\r")
        #expect(r.take().contains("% Unknown command 'xyzzy'"))
        r.type("hostnmae x\r")
        #expect(r.take().contains("Did you mean 'hostname'?"))
    }

    @Test func importCollectsPastedLinesUntilADot() {
        let r = SessionRig()
        r.login()
        r.type("configure\rimport\rhostname pasted\rprofile a\r channels 2\r.\r")
        #expect(r.backend.calls.last == "importConfig 3 lines")
        #expect(r.take().hasSuffix("Candidate replaced (3 lines).\r\ntrunkbox(config)# "))
        r.type("import\rhostname x\r\u{03}")
        #expect(r.take().hasSuffix("% Import cancelled.\r\ntrunkbox(config)# "))
        #expect(r.backend.calls.last == "importConfig 3 lines")
    }

    @Test func factoryResetAsksFirst() {
        let r = SessionRig()
        r.login()
        r.type("factory-reset\rno\r")
        #expect(r.take().contains("Factory reset cancelled."))
        #expect(!r.backend.calls.contains("factoryReset"))
        r.type("factory-reset\ryes\r")
        #expect(r.backend.calls.contains("factoryReset"))
        r.type("logout\r")
        #expect(r.take().hasSuffix("No console password is set. Choose one now (at least 8 characters, mixing letters and digits or symbols).\r\nNew password: "))
    }

    @Test func backendTextCannotDriveTheTerminal() {
        let r = SessionRig()
        r.login()
        let before = r.session.notify("INVITE \u{1B}]0;owned\u{07} \u{9B}2J")
        #expect(String(decoding: before, as: UTF8.self) == "\r\u{1B}[KINVITE ?]0;owned? ?2J\r\ntrunkbox# ")
    }

    @Test func traceLinesShowOnlyWhileDebugging() {
        let r = SessionRig()
        r.login()
        #expect(r.session.notify("SIP/2.0 200 OK", trace: true).isEmpty)
        r.type("sh ch")
        r.type("\u{15}debug sip\r")
        _ = r.take()
        r.type("sh ch")
        let shown = String(decoding: r.session.notify("SIP/2.0 200 OK", trace: true), as: UTF8.self)
        #expect(shown == "\r\u{1B}[KSIP/2.0 200 OK\r\ntrunkbox# sh ch", "the typed line is redrawn under the trace")
        r.type("\u{15}no debug sip\r")
        #expect(r.session.notify("SIP/2.0 200 OK", trace: true).isEmpty)
        #expect(!r.session.notify("Commit rolled back").isEmpty)
    }

    @Test func nothingIsShownBeforeLogin() {
        let r = SessionRig()
        #expect(r.session.notify("secret trace").isEmpty)
        #expect(r.session.notify("secret trace", trace: true).isEmpty)
    }
}
