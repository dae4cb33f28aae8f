// StatusTests: the console's view of a registration: states, plain-word errors, summaries, config checks, and the password never shown.

import SIPCore
import Testing
@testable import SIPRegistration

struct StatusTests {
    @Test func summaryOfARegisteredProfile() throws {
        let sim = Simulation(config: Fixture.config())
        sim.latency = .zero
        sim.answer(with: FakeRegistrar())
        try sim.start()
        try sim.run(until: .seconds(100))
        let status = sim.client.status
        #expect(status.since == .zero)
        #expect(status.expiresIn(now: .seconds(100)) == .seconds(3500))
        #expect(status.expiresIn(now: .seconds(3600)) == nil)
        #expect(status.isBound(now: .seconds(100)))
        #expect(status.summary(now: .seconds(100)) ==
                "Sales: registered via udp:sip.skype.com:5060 (target 1 of 1), expires in 3500 s (granted 3600 s), refresh in 3436 s, last response 200 OK")
        #expect(status.description ==
                "Sales: registered since t+0s, user 99051000000001, via udp:sip.skype.com:5060 (target 1 of 1), binding until t+3600s (granted 3600 s), next attempt at t+3536s, attempts 0, failures 0, last response 200 OK")
    }

    @Test func summaryWhileBackingOff() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(503, [("Retry-After", "120")], to: sim.last.wire))
        #expect(sim.client.status.summary(now: .seconds(20)) ==
                "Sales: backing off via udp:sip.skype.com:5060 (target 1 of 1), last error: registrar busy, retrying after 120 s (503), next attempt in 100 s, attempts 1, last response 503 Service Unavailable")
    }

    @Test func summaryOfWrongCredentials() throws {
        let sim = Simulation(config: Fixture.config())
        sim.latency = .zero
        let registrar = FakeRegistrar()
        registrar.password = "other"
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(until: .zero)
        #expect(sim.client.status.state.description == "failed: wrong password or SIP user name")
        #expect(sim.client.status.summary(now: .zero).contains(
            "last error: wrong password or SIP user name (401), next attempt in 300 s, attempts 2"))
    }

    @Test func statesInWords() {
        let words: [(RegistrationState, String)] = [
            (.idle, "idle"), (.registering, "registering"), (.registered, "registered"), (.backingOff, "backing off"),
            (.failed(.forbidden("wrong password or SIP user name")), "failed: wrong password or SIP user name"),
            (.unregistering, "unregistering"), (.stopped, "stopped"),
            (.ipAuthenticated, "IP authentication: trusted by address"),
        ]
        for (state, text) in words { #expect(state.description == text) }
    }

    @Test func errorsInWords() {
        let words: [(RegistrationError, String)] = [
            (.timeout, "registrar did not answer (timeout)"),
            (.transportFailure, "could not reach the registrar (transport error)"),
            (.credentialsRejected(code: 403), "wrong password or SIP user name (403)"),
            (.userUnknown(code: 404), "SIP user name not known to the registrar (404)"),
            (.busy(code: 503, retryAfter: 120), "registrar busy, retrying after 120 s (503)"),
            (.busy(code: 480, retryAfter: nil), "registrar busy (480)"),
            (.intervalTooBrief(minimum: 300), "registrar wants an expiry of at least 300 s (423)"),
            (.refused(code: 488, reason: "Not Acceptable Here"), "registrar refused the registration (488 Not Acceptable Here)"),
            (.keepAliveTimeout, "trunk did not answer keep-alive (timeout)"),
            (.bindingLost, "registrar lost our registration; registering again"),
        ]
        for (error, text) in words { #expect(error.description == text) }
    }

    @Test func statusChangesArePublishedOnlyWhenSomethingChanged() throws {
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: FakeRegistrar())
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.statuses.first?.state == .registering)
        #expect(sim.statuses.last?.state == .registered)
        #expect(sim.statuses.last == sim.client.status)
        #expect(zip(sim.statuses, sim.statuses.dropFirst()).allSatisfy { $0 != $1 })
        #expect(try sim.deliver(.timerFired(now: .seconds(2))).isEmpty == false)   // early: re-arms only
        #expect(try sim.deliver(.targetsChanged([], now: .seconds(2))).isEmpty)
    }

    @Test func configProblemsInWords() {
        var config = Fixture.config(requestedExpires: 0)
        config.username = ""
        config.refresh.margin = .seconds(1)
        config.retry.jitter = 2
        config.targets = [RegistrationTarget(host: "203.0.113.1", port: 0)]
        #expect(config.problems == [
            "the SIP user name is empty", "the registration expiry must be at least 60 s",
            "the refresh margin must be at least 5 s", "retry jitter must be between 0 and 1",
            "target udp:203.0.113.1:0 has no valid port",
        ])
        #expect(Fixture.config().problems.isEmpty)
        #expect(Fixture.config(mode: .ipAuthentication).effectiveKeepAliveInterval == .seconds(30))
        #expect(Fixture.config().effectiveKeepAliveInterval == nil)
        #expect(Fixture.config().addressOfRecord.description == "sip:99051000000001@sip.skype.com")
    }

    @Test func thePasswordIsNeverShown() throws {
        let registrar = FakeRegistrar()
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        try sim.deliver(.credentialsChanged(username: Fixture.username, secret: .password("second-Secret-99"), now: sim.now))
        try sim.deliver(.stop(now: sim.now))

        var texts: [String] = []
        func all(_ value: Any) {
            texts.append(String(describing: value))
            texts.append(String(reflecting: value))
            var dumped = ""
            dump(value, to: &dumped)
            texts.append(dumped)
        }
        all(sim.client.config)
        all(sim.client)
        all(sim.client.status)
        all(RegistrationEvent.credentialsChanged(username: Fixture.username, secret: .password(Fixture.password), now: .zero))
        for action in sim.actions { all(action) }
        for sent in sim.sent { texts.append(sent.wire.text) }
        #expect(texts.count > 20)
        for text in texts {
            #expect(!text.contains(Fixture.password))
            #expect(!text.contains("second-Secret-99"))
        }
        #expect(String(describing: sim.client.config).contains("password ********"))
    }

    @Test func randomNumberGeneratorsServeAsRandomSources() {
        var random = SplitMix64(seed: 42)
        let a = random.token(), b = random.token()
        #expect(a.utf8.count == 32 && a != b)
        #expect(a.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
        for _ in 0..<1000 {
            let f = random.fraction()
            #expect(f >= 0 && f < 1)
        }
    }

    @Test func instantsPrintAsOffsets() {
        #expect(RegistrationInstant.seconds(12).description == "t+12s")
        #expect(RegistrationInstant(sinceOrigin: .milliseconds(1500)).description == "t+1.5s")
        #expect(RegistrationInstant(sinceOrigin: .milliseconds(-40)).description == "t-0.04s")
        #expect(RegistrationInstant.seconds(5) - RegistrationInstant.seconds(2) == .seconds(3))
    }
}
