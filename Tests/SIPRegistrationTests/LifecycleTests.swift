// LifecycleTests: reconnects, credential changes, registrar restarts, un-registering, IP authentication and keep-alives (RFC 3261 §10.2.2, §11; RFC 5626 §4.4).

import SIPCore
import Testing
@testable import SIPRegistration

struct LifecycleTests {
    func registered(_ config: RegistrationConfig = Fixture.config()) throws -> (Simulation, FakeRegistrar) {
        let registrar = FakeRegistrar()
        let sim = Simulation(config: config)
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        return (sim, registrar)
    }

    @Test func reconnectRegistersTheNewContactAtOnceAndRemovesTheOld() throws {
        let (sim, _) = try registered()
        let callID = try sim.registers[0].wire.headers.callID
        try sim.deliver(.transportReconnected(contact: Fixture.newContact, now: sim.now))
        #expect(sim.registers.count == 3)
        let register = sim.registers[2].wire
        let contacts = try register.headers.contacts
        #expect(contacts.count == 2)
        #expect(contacts[0].address?.uri.sipURI?.isEquivalent(to: Fixture.newContact) == true)
        #expect(contacts[0].expires == 3600)
        #expect(contacts[1].address?.uri.sipURI?.isEquivalent(to: Fixture.contact) == true)
        #expect(contacts[1].expires == 0)
        #expect(try register.headers.callID == callID)
        #expect(try !register.headers.authorization.isEmpty)
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        #expect(sim.client.status.contact == Fixture.newContact)
        // The old Contact is not mentioned again.
        try sim.run(for: .seconds(3600))
        #expect(try sim.registers.last?.wire.headers.contacts.count == 1)
    }

    @Test func reconnectWithTheSameContactWhileRegisteringIsIgnored() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.deliver(.transportReconnected(contact: Fixture.contact, now: .zero))
        #expect(sim.registers.count == 1)
    }

    @Test func reconnectDoesNotBypassTheLongRetryAfterRefusedCredentials() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(403, to: sim.last.wire))
        try sim.deliver(.transportReconnected(contact: Fixture.newContact, now: .seconds(5)))
        #expect(sim.registers.count == 1)
        #expect(sim.client.config.contact == Fixture.newContact)
        #expect(sim.timer == .seconds(300))
    }

    @Test func reconnectWhileBackingOffWaitsForTheFailureInterval() throws {
        let sim = Simulation(config: Fixture.config())
        sim.network = { _ in .timeout }
        try sim.start()
        try sim.run(until: .seconds(40))
        #expect(sim.state == .backingOff)
        #expect(!sim.client.status.isTrunkUp)
        try sim.deliver(.transportReconnected(contact: Fixture.newContact, now: .seconds(40)))
        #expect(sim.registers.count == 1)
        try sim.deliver(.transportReconnected(contact: Fixture.contact, now: .seconds(70)))
        #expect(sim.registers.count == 2)
        #expect(sim.registers[1].at == .seconds(70))
        #expect(sim.registers[1].wire.firstContact?.address?.uri.sipURI?.isEquivalent(to: Fixture.contact) == true)
    }

    @Test func passwordChangeRegistersAtOnce() throws {
        let registrar = FakeRegistrar()
        registrar.password = "changed-in-skype-manager"
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .failed(.forbidden("wrong password or SIP user name")))
        #expect(!sim.client.status.isTrunkUp)
        try sim.deliver(.credentialsChanged(username: Fixture.username, secret: .password("changed-in-skype-manager"),
                                            now: .seconds(2)))
        #expect(sim.registers.count == 3)
        #expect(sim.registers[2].at == .seconds(2))
        #expect(!sim.client.status.isTrunkUp)
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        #expect(sim.client.status.isTrunkUp)
        #expect(sim.client.status.failures == 0)
        let ids = try sim.registers.map { try $0.wire.headers.callID }
        #expect(Set(ids).count == 1)
    }

    @Test func userNameChangeStartsANewCallID() throws {
        let (sim, registrar) = try registered()
        registrar.username = "99051000000002"
        try sim.deliver(.credentialsChanged(username: "99051000000002", secret: .password(Fixture.password), now: sim.now))
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        let old = sim.registers[0].wire, new = sim.registers.last!.wire
        #expect(try new.headers.from?.uri.userOrNumber == "99051000000002")
        #expect(try new.headers.to?.uri.userOrNumber == "99051000000002")
        #expect(try new.headers.callID != old.headers.callID)
        #expect(try new.headers.from?.tag != old.headers.from?.tag)
    }

    @Test func cleanShutdownUnregisters() throws {
        let (sim, registrar) = try registered()
        try sim.deliver(.stop(now: sim.now))
        #expect(sim.state == .unregistering)
        let unregister = sim.last.wire
        #expect(unregister.headers[.expires] == "0")
        #expect(unregister.firstContact?.expires == 0)
        #expect(try unregister.headers.callID == sim.registers[0].wire.headers.callID)
        #expect(unregister.cseqNumber == 3)
        #expect(sim.timer == nil)
        try sim.run(for: .seconds(1))
        #expect(sim.state == .stopped)
        #expect(registrar.verdicts.last == .accepted(nonceCount: 2))
        #expect(sim.client.status.expiresAt == nil)
        #expect(sim.client.status.lastError == nil)
        // Nothing more is ever sent.
        try sim.run(for: .seconds(7200))
        #expect(sim.registers.count == 3)
        #expect(sim.timer == nil)
    }

    @Test func unregisterIsAnsweredWhenChallenged() throws {
        let (sim, registrar) = try registered()
        registrar.expireNonce()
        registrar.marksStale = false
        try sim.deliver(.stop(now: sim.now))
        try sim.run(for: .seconds(1))
        #expect(sim.registers.count == 4)
        #expect(sim.registers[3].wire.headers[.expires] == "0")
        #expect(sim.state == .stopped)
    }

    @Test func unregisterTimeoutStillStops() throws {
        let (sim, _) = try registered()
        sim.network = { _ in .timeout }
        try sim.deliver(.stop(now: sim.now))
        try sim.run(for: .seconds(40))
        #expect(sim.state == .stopped)
        #expect(sim.client.status.lastError?.description == "registrar did not confirm the un-registration")
        #expect(sim.registers.count == 3)
    }

    @Test func stopWithoutABindingSendsNothing() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(403, to: sim.last.wire))
        try sim.deliver(.stop(now: .seconds(1)))
        #expect(sim.state == .stopped)
        #expect(sim.registers.count == 1)
        #expect(sim.timer == nil)
        try sim.deliver(.start(now: .seconds(2)))
        #expect(sim.registers.count == 2)
        #expect(sim.state == .registering)
    }

    @Test func ipAuthenticationSendsNoRegisterOnlyKeepAlives() throws {
        let sim = Simulation(config: Fixture.config(mode: .ipAuthentication))
        sim.network = { sent in .respond(sent.wire.response(200)) }
        try sim.start()
        #expect(sim.state == .ipAuthenticated)
        #expect(sim.client.status.isTrunkUp)
        #expect(sim.client.status.state.description == "IP authentication: trusted by address")
        try sim.run(until: .seconds(3600))
        #expect(sim.registers.isEmpty)
        #expect(sim.options.count == 121)
        let ping = sim.options[1].wire
        #expect(ping.requestURI?.description == "sip:sip.skype.com")
        #expect(try ping.headers.from?.uri.userOrNumber == Fixture.username)
        #expect(try ping.headers.callID == sim.options[0].wire.headers.callID)
        #expect(ping.cseqNumber == 2)
        #expect(sim.statuses.allSatisfy { $0.state == .ipAuthenticated })
        try sim.deliver(.stop(now: sim.now))
        #expect(sim.state == .stopped)
        #expect(sim.registers.isEmpty)
    }

    @Test func ipAuthenticationNotesAKeepAliveTimeoutAndRotatesTargets() throws {
        let sim = Simulation(config: Fixture.config(mode: .ipAuthentication, targets: Array(Fixture.threeTargets.prefix(2))))
        var answer = false
        sim.network = { sent in answer ? .respond(sent.wire.response(200)) : .timeout }
        try sim.start()
        try sim.run(until: .seconds(33))
        #expect(sim.client.status.lastError?.description == "trunk did not answer keep-alive (timeout)")
        #expect(sim.state == .ipAuthenticated)
        // Trusted by address but not answering: down, so a line with `fallback on` takes its calls.
        #expect(!sim.client.status.isTrunkUp)
        answer = true
        try sim.run(until: .seconds(61))
        #expect(sim.options.last?.request.targetIndex == 1)
        #expect(sim.client.status.lastError == nil)
        #expect(sim.client.status.isTrunkUp)
    }

    @Test func keepAlivesInRegistrationModeDetectALostBinding() throws {
        let (sim, _) = try registered(Fixture.config(keepAliveInterval: .seconds(60)))
        let base = sim.network
        sim.network = { sent in sent.method == .options ? .respond(sent.wire.response(404)) : try base(sent) }
        try sim.run(for: .seconds(61))
        #expect(sim.options.count == 1)
        // At once, and without the forgotten challenge: 401, then the answer.
        #expect(sim.registers.count == 4)
        #expect(sim.registers[2].at == sim.options[0].at + .milliseconds(20))
        #expect(try sim.registers[2].wire.headers.authorization.isEmpty)
        #expect(sim.state == .registered)
    }

    @Test func keepAliveTimeoutInRegistrationModeReRegisters() throws {
        let (sim, _) = try registered(Fixture.config(keepAliveInterval: .seconds(60)))
        sim.network = { _ in .timeout }
        try sim.run(for: .seconds(93))
        #expect(sim.options.count == 1)
        #expect(sim.registers.count == 3)
        #expect(sim.client.status.lastError == .keepAliveTimeout)
    }

    @Test func registrarRestartReRegistersOnce() throws {
        let (sim, registrar) = try registered()
        // Right after the 2xx the report is taken to be about the binding just made.
        try sim.deliver(.registrarRestartDetected(now: sim.now))
        #expect(sim.registers.count == 2)
        registrar.expireNonce()
        try sim.run(for: .seconds(100))
        try sim.deliver(.registrarRestartDetected(now: sim.now))
        try sim.deliver(.registrarRestartDetected(now: sim.now))
        #expect(sim.registers.count == 3)
        #expect(try sim.registers[2].wire.headers.authorization.isEmpty)
        #expect(sim.state == .registering)
        #expect(sim.client.status.lastError == .bindingLost)
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        #expect(sim.client.status.lastError == nil)
    }

    @Test func transportLossWhileRegisteredReRegisters() throws {
        let (sim, _) = try registered()
        try sim.deliver(.transportError(now: sim.now))
        #expect(sim.registers.count == 3)
    }

    @Test func lateAndForeignResponsesAreIgnored() throws {
        let sim = Simulation(config: Fixture.config(targets: Fixture.threeTargets))
        try sim.start()
        let first = sim.last.wire
        try sim.deliver(.transactionTimedOut(sim.last.request.cseq, now: .seconds(32)))
        #expect(sim.registers.count == 2)
        // The abandoned first REGISTER's answer, and one for another Call-ID, change nothing.
        let before = sim.client.status
        #expect(try sim.reply(try FakeRegistrar().respondScripted(200, to: first)).isEmpty)
        var foreign = sim.last.wire
        foreign.headers.set(.callID, "someone-else")
        #expect(try sim.reply(try FakeRegistrar().respondScripted(200, to: foreign)).isEmpty)
        #expect(try sim.reply(try FakeRegistrar().respondScripted(100, to: sim.last.wire)).isEmpty)
        #expect(try sim.deliver(.transactionTimedOut(SIPCSeq(1, .register), now: .seconds(33))).isEmpty)
        #expect(sim.client.status == before)
    }

    @Test func earlyTimerIsReArmed() throws {
        let (sim, _) = try registered()
        let due = try #require(sim.timer)
        let actions = try sim.deliver(.timerFired(now: due - .seconds(10)))
        #expect(actions.compactMap(\.timer) == [due])
        #expect(sim.registers.count == 2)
    }
}
