// ExpiryTests: the granted expiry (Contact expires, Expires header, asked value), 423 Min-Expires and the refresh rule (RFC 3261 §10.2.4, §10.2.8, §10.3).

import SIPCore
import Testing
@testable import SIPRegistration

struct ExpiryTests {
    @Test(arguments: [
        (UInt32(3600), Duration.seconds(3536)),
        (600, .seconds(536)),
        (120, .seconds(60)),
        (100, .seconds(50)),
        (60, .seconds(30)),
        (10, .seconds(5)),
        (1, .milliseconds(500)),
    ])
    func refreshRule(granted: UInt32, expected: Duration) {
        #expect(RefreshPolicy().refreshDelay(granted: granted) == expected)
    }

    @Test func refreshIsNeverLaterThanFiveSecondsBeforeExpiry() {
        let tight = RefreshPolicy(margin: .seconds(1))
        #expect(tight.refreshDelay(granted: 3600) == .seconds(3595))
        #expect(tight.refreshDelay(granted: 20) == .seconds(15))
        #expect(RefreshPolicy(margin: .seconds(600)).refreshDelay(granted: 3600) == .seconds(3000))
        #expect(RefreshPolicy(margin: .seconds(3000)).refreshDelay(granted: 3600) == .seconds(1800))
    }

    @Test func grantedExpiryComesFromOurContact() throws {
        let registrar = FakeRegistrar()
        registrar.grant = 600
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.client.status.grantedExpires == 600)
        #expect(sim.timer == RegistrationInstant(sinceOrigin: .milliseconds(40)) + .seconds(536))
    }

    @Test func grantedExpiryFallsBackToTheExpiresHeader() throws {
        let registrar = FakeRegistrar()
        registrar.grant = 120
        registrar.grantInExpiresHeaderOnly = true
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.client.status.grantedExpires == 120)
        #expect(sim.timer == RegistrationInstant(sinceOrigin: .milliseconds(40)) + .seconds(60))
    }

    @Test func grantedExpiryFallsBackToWhatWasAsked() throws {
        let sim = Simulation(config: Fixture.config(requestedExpires: 1800))
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(200, to: sim.last.wire))
        #expect(sim.client.status.grantedExpires == 1800)
        #expect(sim.timer == .seconds(1736))
    }

    @Test func contactIsMatchedByInstanceWhenTheRegistrarRewroteIt() throws {
        let instance = "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
        let sim = Simulation(config: Fixture.config(instanceID: instance))
        try sim.start()
        let register = sim.last.wire
        #expect(register.firstContact?.instanceID == instance)
        #expect(register.headers[.contact]?.contains("+sip.instance=\"<\(instance)>\"") == true)
        let response = try FakeRegistrar().respondScripted(
            200, [("Contact", "<sip:99051000000001@198.51.100.200:61000>;expires=900;+sip.instance=\"<\(instance)>\""),
                  ("Expires", "3600")], to: register)
        try sim.reply(response)
        #expect(sim.client.status.grantedExpires == 900)
    }

    @Test func intervalTooBriefIsRetriedAtOnceWithMinExpires() throws {
        let registrar = FakeRegistrar()
        registrar.scripted = [(423, [("Min-Expires", "300")])]
        let sim = Simulation(config: Fixture.config(requestedExpires: 60))
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        #expect(sim.registers.count == 3)   // 423, then 401, then 200
        #expect(sim.registers[0].wire.headers[.expires] == "60")
        for r in sim.registers.dropFirst() {
            #expect(r.wire.headers[.expires] == "300")
            #expect(r.wire.firstContact?.expires == 300)
        }
        #expect(sim.registers[1].at == sim.registers[0].at + .milliseconds(20))
        #expect(sim.client.status.grantedExpires == 300)
        // Refreshes keep asking for 300 s.
        try sim.run(for: .seconds(300))
        #expect(sim.registers[3].wire.headers[.expires] == "300")
    }

    @Test func repeatedIntervalTooBriefIsBounded() throws {
        let registrar = FakeRegistrar()
        registrar.scripted = Array(repeating: (423, [("Min-Expires", "300")]), count: 10)
        let sim = Simulation(config: Fixture.config(requestedExpires: 60))
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.registers.count == 2)
        #expect(sim.state == .backingOff)
        #expect(sim.client.status.lastError?.description == "registrar wants an expiry of at least 300 s (423)")

        let noMinimum = Simulation(config: Fixture.config(requestedExpires: 60))
        try noMinimum.start()
        try noMinimum.reply(try FakeRegistrar().respondScripted(423, to: noMinimum.last.wire))
        #expect(noMinimum.state == .backingOff)
        #expect(noMinimum.registers.count == 1)
    }

    @Test func zeroGrantedIsAFailure() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(200, [("Expires", "0")], to: sim.last.wire))
        #expect(sim.state == .backingOff)
        #expect(sim.client.status.lastError == .noTimeGranted)
    }
}
