// SIPTargetListTests: fail-over through the located targets and the blacklist of failed ones (RFC 3263 §4.3).
import Testing
@testable import SIPLocator

@Suite struct SIPTargetListTests {
    private func list(_ duration: Double = 30) throws -> SIPTargetList {
        SIPTargetList([try target("tls:192.0.2.21:5061"), try target("tcp:192.0.2.31:5060"), try target("udp:192.0.2.11:5060")],
                      timeToLive: 300, blacklistDuration: duration)
    }

    @Test func failOverWalksTheListInOrderThenGivesUp() throws {
        var l = try list()
        let a = try #require(l.first(at: 0))
        #expect(a == (try target("tls:192.0.2.21:5061")))
        let afterA = l.next(afterFailureOf: a, at: 0)
        let b = try #require(afterA)
        #expect(b == (try target("tcp:192.0.2.31:5060")))
        let afterB = l.next(afterFailureOf: b, at: 1)
        let c = try #require(afterB)
        #expect(c == (try target("udp:192.0.2.11:5060")))
        #expect(l.next(afterFailureOf: c, at: 2) == nil, "the request has run out of targets")
        #expect(l.first(at: 3) == nil && l.available(at: 3).isEmpty)
    }

    @Test func failedTargetsAreSkippedUntilTheBlacklistExpires() throws {
        var l = try list(30)
        let a = try #require(l.first(at: 100))
        _ = l.next(afterFailureOf: a, at: 100)
        #expect(l.isBlacklisted(a, at: 100) && l.isBlacklisted(a, at: 129.9))
        #expect(l.first(at: 110) == (try target("tcp:192.0.2.31:5060")), "a new request starts past the failed target")
        #expect(l.nextRecovery(after: 110) == 130)
        #expect(!l.isBlacklisted(a, at: 130) && l.first(at: 130) == a, "back in rotation after 30 s")
        #expect(l.nextRecovery(after: 130) == nil)
    }

    @Test func successClearsAFailure() throws {
        var l = try list()
        let b = try target("tcp:192.0.2.31:5060")
        l.markFailed(b, at: 0)
        #expect(l.available(at: 1) == [try target("tls:192.0.2.21:5061"), try target("udp:192.0.2.11:5060")])
        l.markSucceeded(b)
        #expect(l.available(at: 1).count == 3)
    }

    @Test func zeroDurationStillMovesOnButNeverSkips() throws {
        var l = try list(0)
        let a = try #require(l.first(at: 0))
        #expect(l.next(afterFailureOf: a, at: 0) == (try target("tcp:192.0.2.31:5060")))
        #expect(l.first(at: 0) == a && !l.isBlacklisted(a, at: 0))
    }

    @Test func unknownTargetsAreNotRemembered() throws {
        var l = try list()
        let stranger = try target("udp:203.0.113.1:5060")
        #expect(l.next(afterFailureOf: stranger, at: 0) == (try target("tls:192.0.2.21:5061")))
        #expect(!l.isBlacklisted(stranger, at: 0) && l.nextRecovery(after: 0) == nil)
    }

    @Test func aRefreshedListKeepsTheBlacklist() throws {
        var old = try list(30)
        old.markFailed(try target("tcp:192.0.2.31:5060"), at: 50)
        old.markFailed(try target("tls:192.0.2.21:5061"), at: 55)
        var fresh = SIPTargetList([try target("tcp:192.0.2.31:5060"), try target("udp:192.0.2.99:5060")], blacklistDuration: 30)
        fresh.inheritBlacklist(from: old)
        #expect(fresh.first(at: 60) == (try target("udp:192.0.2.99:5060")))
        #expect(fresh.nextRecovery(after: 60) == 80, "only targets still listed are carried over")
    }

    @Test func locatedTargetsFailOverAcrossPrioritiesAndTransports() throws {
        var dns = try FakeDNS(SIPLocatorTests.exampleZone)
        let r = try resolve(SIPLocatorURI(host: "example.com"), SIPLocatorConfiguration(addressFamilies: [.ipv4], blacklistDuration: 20),
                            dns: &dns)
        var l = try #require(r.list)
        #expect(l.blacklistDuration == 20 && l.timeToLive == 300)
        var tried: [SIPTarget] = []
        var next = l.first(at: 0)
        while let t = next {
            tried.append(t)
            next = l.next(afterFailureOf: t, at: 0)
        }
        #expect(tried == l.targets && tried.count == 5)
        #expect(tried.map(\.transport) == [.tls, .tcp, .udp, .udp, .udp] && tried.last?.port == 5070)
        #expect(l.first(at: 19) == nil && l.first(at: 20) == tried.first)
    }
}
