// BackOffTests: retry timing after failures: Retry-After on 503/500/480, exponential back-off with jitter, its cap (RFC 3261 §20.33, §21.5.4).

import SIPCore
import Testing
@testable import SIPRegistration

struct BackOffTests {
    @Test func backOffDoublesUpToTheCapAndJitterOnlyShortens() {
        let policy = RetryPolicy()
        let plain = (1...8).map { policy.delay(afterFailures: $0, forbidden: false, random: 0) }
        #expect(plain == [60, 120, 240, 480, 960, 1800, 1800, 1800].map { Duration.seconds($0) })
        let forbidden = (1...5).map { policy.delay(afterFailures: $0, forbidden: true, random: 0) }
        #expect(forbidden == [300, 600, 1200, 1800, 1800].map { Duration.seconds($0) })
        #expect(policy.delay(afterFailures: 1, forbidden: false, random: 0.999_999) == .milliseconds(48_000))
        #expect(policy.delay(afterFailures: 1, forbidden: false, random: 0.5) == .seconds(54))
        #expect(policy.delay(afterFailures: 1_000_000, forbidden: false, random: 0) == .seconds(1800))
        #expect(policy.delay(afterFailures: 0, forbidden: false, random: 7) == .milliseconds(48_000))
    }

    @Test func retryAfterIsNeverShortened() {
        let policy = RetryPolicy()
        #expect(policy.delay(retryAfter: 120, random: 0) == .seconds(120))
        #expect(policy.delay(retryAfter: 120, random: 0.5) == .seconds(132))
        #expect(policy.delay(retryAfter: 0, random: 0) == .seconds(1))
        #expect(policy.delay(retryAfter: 4_000_000, random: 0) == .seconds(3600))
    }

    @Test func serviceUnavailableWithRetryAfterIsHonoured() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(503, [("Retry-After", "120")], to: sim.last.wire))
        #expect(sim.state == .backingOff)
        #expect(sim.client.status.lastError?.description == "registrar busy, retrying after 120 s (503)")
        #expect(sim.client.status.lastResponseCode == 503)
        #expect(sim.client.status.lastResponseReason == "Service Unavailable")
        #expect(sim.timer == .seconds(120))
        try sim.run(until: .seconds(119))
        #expect(sim.registers.count == 1)
        try sim.run(until: .seconds(120))
        #expect(sim.registers.count == 2)
        #expect(sim.state == .registering)
    }

    @Test(arguments: [500, 480])
    func otherBusyAnswersHonourRetryAfterToo(code: Int) throws {
        let sim = Simulation(config: Fixture.config(targets: Fixture.threeTargets))
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(code, [("Retry-After", "45")], to: sim.last.wire))
        #expect(sim.timer == .seconds(45))
        #expect(sim.client.status.lastError == .busy(code: code, retryAfter: 45))
        // Without Retry-After: the normal back-off, no fail-over.
        try sim.run(until: .seconds(45))
        try sim.reply(try FakeRegistrar().respondScripted(code, to: sim.last.wire))
        #expect(sim.registers.count == 2)
        #expect(sim.timer == .seconds(45 + 120))
    }

    @Test func timeoutsBackOffExponentiallyWithJitterWithinBounds() throws {
        let sim = Simulation(config: Fixture.config(), random: SplitMix64(seed: 0x5EED))
        sim.network = { _ in .timeout }
        try sim.start()
        try sim.run(until: .seconds(6 * 3600))
        #expect(sim.state == .backingOff)
        #expect(sim.client.status.lastError?.description == "registrar did not answer (timeout)")
        let times = sim.registers.map(\.at)
        #expect(times.count > 8)
        for (i, pair) in zip(times, times.dropFirst()).enumerated() {
            let waited = pair.1 - pair.0 - .seconds(32)
            let nominal = Duration.seconds(min(60 << i, 1800))
            #expect(waited <= nominal, "attempt \(i + 2)")
            #expect(waited >= nominal * 0.8, "attempt \(i + 2)")
        }
        // Jitter really varies the waits.
        let waits = zip(times, times.dropFirst()).map { $1 - $0 }
        #expect(Set(waits.suffix(4)).count > 1)
        #expect(sim.client.status.failures == times.count)
    }

    @Test func aSuccessResetsTheBackOff() throws {
        let sim = Simulation(config: Fixture.config())
        var fail = true
        let registrar = FakeRegistrar()
        sim.network = { sent in fail ? .timeout : .respond(try registrar.respond(to: sent.wire)) }
        try sim.start()
        try sim.run(until: .seconds(32 + 60 + 32 + 120 + 1))
        #expect(sim.client.status.failures == 2)
        fail = false
        try sim.run(until: .seconds(32 + 60 + 32 + 120 + 32 + 240 + 1))
        #expect(sim.state == .registered)
        #expect(sim.client.status.failures == 0)
        #expect(sim.client.status.attempts == 0)
        #expect(sim.client.status.lastError == nil)
    }

    @Test func globalFailureIsLongTerm() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(603, to: sim.last.wire))
        #expect(sim.state == .failed(.refused("registrar refused the registration (603 Decline)")))
        #expect(sim.timer == .seconds(300))
    }

    @Test func unknownUserIsLongTerm() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(404, to: sim.last.wire))
        #expect(sim.state == .failed(.forbidden("SIP user name not known to the registrar")))
        #expect(sim.client.status.lastError?.description == "SIP user name not known to the registrar (404)")
    }
}
