// ConfigCandidateTests: configure-mode editing of the candidate, one statement at a time.
import Config
import Testing
@testable import Gateway

@Suite("Config candidate")
struct ConfigCandidateTests {
    static let base = ConfigText.serialize(.factoryDefault)

    @Test func aStatementReplacesTheOneInItsBlock() throws {
        var c = ConfigCandidate(from: Self.base)
        #expect(c.apply("hostname architects-gw", in: .top) == .changed)
        #expect(try ConfigText.parse(c.text).hostname == "architects-gw")
        #expect(c.apply("hostname second", in: .top) == .changed)
        #expect(try ConfigText.parse(c.text).hostname == "second")
        #expect(c.text.components(separatedBy: "hostname").count == 2, "one hostname line")
        #expect(c.isModified)
    }

    @Test func aProfileHeaderOpensOrCreatesTheBlock() throws {
        var c = ConfigCandidate(from: Self.base)
        #expect(c.apply("profile sales", in: .top) == .entered(.profile("sales")))
        #expect(c.apply("channels 10", in: .profile("sales")) == .changed)
        #expect(c.apply("channels 12", in: .profile("sales")) == .changed)
        #expect(c.apply("online-number +12025550123 extension 201", in: .profile("sales")) == .changed)
        #expect(c.apply("online-number +12025550124 extension 202", in: .profile("sales")) == .changed)
        let p = try #require(try ConfigText.parse(c.text).profile(named: "sales"))
        #expect(p.channels == 12)
        #expect(p.onlineNumbers.map(\.identity) == ["+12025550123", "+12025550124"])
        // Re-entering keeps what is there.
        #expect(c.apply("profile sales", in: .top) == .entered(.profile("sales")))
        #expect(try ConfigText.parse(c.text).profiles.count == 1)
    }

    @Test func noRemovesAStatementAnItemOrABlock() throws {
        var c = ConfigCandidate(from: Self.base)
        _ = c.apply("profile sales", in: .top)
        _ = c.apply("channels 10", in: .profile("sales"))
        _ = c.apply("online-number +12025550123 extension 201", in: .profile("sales"))
        _ = c.apply("online-number +12025550124 extension 202", in: .profile("sales"))
        #expect(c.apply("no online-number +12025550123", in: .profile("sales")) == .changed)
        #expect(try ConfigText.parse(c.text).profile(named: "sales")?.onlineNumbers.map(\.identity) == ["+12025550124"])
        #expect(c.apply("no channels", in: .profile("sales")) == .changed)
        #expect(try ConfigText.parse(c.text).profile(named: "sales")?.channels == ProfileConfig(name: "x").channels)
        guard case .refused = c.apply("no online-number +19999999999", in: .profile("sales")) else {
            Issue.record("removing what is not there must be refused"); return
        }
        #expect(c.apply("no profile sales", in: .top) == .changed)
        #expect(try ConfigText.parse(c.text).profiles.isEmpty)
    }

    @Test func aBadLineIsRefusedAndChangesNothing() throws {
        var c = ConfigCandidate(from: Self.base)
        _ = c.apply("profile sales", in: .top)
        let before = c.text
        for bad in ["channels many", "chanels 10", "hostname a b c d", "profile", "srtp sometimes"] {
            let outcome = c.apply(bad, in: bad.hasPrefix("hostname") || bad == "profile" ? .top : .profile("sales"))
            guard case .refused(let why) = outcome else { Issue.record("'\(bad)' was accepted"); continue }
            #expect(why.hasPrefix("% "), "\(why)")
            #expect(c.text == before, "'\(bad)' changed the candidate")
        }
        guard case .refused(let why) = c.apply("chanels 10", in: .profile("sales")) else { return }
        #expect(why.contains("channels"), "suggests the nearest statement: \(why)")
    }

    @Test func importReplacesTheWholeCandidateOrNothing() throws {
        var c = ConfigCandidate(from: Self.base)
        #expect(c.replace(with: "hostname imported\n") == .changed)
        #expect(try ConfigText.parse(c.text).hostname == "imported")
        let before = c.text
        guard case .refused = c.replace(with: "hostname ok\nbogus line here\n") else { Issue.record("bad import accepted"); return }
        #expect(c.text == before)
    }
}
