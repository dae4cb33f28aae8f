// AuthenticationTests: REGISTER with digest answers: 401 and 407, SHA-256, pre-emptive refresh, stale nonces, refused credentials (RFC 3261 §10.2, §22.2; RFC 7616; RFC 8760).

import SIPCore
import Testing
@testable import SIPRegistration

struct AuthenticationTests {
    @Test func firstChallengeIsAnsweredAndTheRefreshFollowsTheGrantedExpiry() throws {
        let registrar = FakeRegistrar()
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))

        #expect(sim.state == .registered)
        #expect(sim.registers.count == 2)
        let (first, second) = (sim.registers[0].wire, sim.registers[1].wire)
        #expect(try first.headers.authorization.isEmpty)
        for m in [first, second] {
            #expect(m.requestURI?.description == "sip:sip.skype.com")
            #expect(try m.headers.from?.uri.userOrNumber == Fixture.username)
            #expect(try m.headers.to?.uri.userOrNumber == Fixture.username)
            #expect(try m.headers.from?.uri.sipURI?.host == "sip.skype.com")
            #expect(try m.headers.to?.tag == nil)
            #expect(m.headers[.maxForwards] == "70")
            #expect(m.headers[.expires] == "3600")
            #expect(m.firstContact?.expires == 3600)
            #expect(m.firstContact?.address?.uri.sipURI?.isEquivalent(to: Fixture.contact) == true)
            #expect(m.headers[.allow] == "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO")
            #expect(m.headers[.supported] == "path")
            #expect(m.headers[.userAgent] == "trunkbox")
            #expect(m.headers[.contentLength] == "0")
        }
        #expect(try first.headers.callID == second.headers.callID)
        #expect(try first.headers.from?.tag == second.headers.from?.tag)
        #expect(first.cseqNumber == 1 && second.cseqNumber == 2)
        let credentials = try #require(try second.headers.authorization.first)
        #expect(credentials.username == Fixture.username)
        #expect(credentials.uri == "sip:sip.skype.com")
        #expect(credentials.qop == .auth && credentials.nonceCount == 1)
        #expect(registrar.verdicts == [.accepted(nonceCount: 1)])

        // Granted 3600 s at t+0.04 s: refresh after max(1800, 3600 - 64) = 3536 s.
        let registeredAt = RegistrationInstant(sinceOrigin: .milliseconds(40))
        #expect(sim.client.status.grantedExpires == 3600)
        #expect(sim.client.status.expiresAt == registeredAt + .seconds(3600))
        #expect(sim.timer == registeredAt + .seconds(3536))
        #expect(sim.client.status.nextAttemptAt == registeredAt + .seconds(3536))

        try sim.run(until: registeredAt + .seconds(3535))
        #expect(sim.registers.count == 2)
        try sim.run(until: registeredAt + .seconds(3537))
        // One pre-emptive REGISTER with the next nonce count, same Call-ID, next CSeq.
        #expect(sim.registers.count == 3)
        let refresh = sim.registers[2]
        #expect(refresh.at == registeredAt + .seconds(3536))
        #expect(try refresh.wire.headers.callID == first.headers.callID)
        #expect(try refresh.wire.headers.from?.tag == first.headers.from?.tag)
        #expect(refresh.wire.cseqNumber == 3)
        #expect(try refresh.wire.headers.authorization.first?.nonceCount == 2)
        #expect(registrar.verdicts.last == .accepted(nonceCount: 2))
        #expect(sim.state == .registered)
        #expect(sim.statuses.allSatisfy { $0.state == .registering || $0.state == .registered })
    }

    @Test func proxyChallengeIsAnsweredWithProxyAuthorization() throws {
        let registrar = FakeRegistrar()
        registrar.challengeCode = 407
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        let answer = sim.registers[1].wire
        #expect(try answer.headers.authorization.isEmpty)
        let credentials = try #require(try answer.headers.proxyAuthorization.first)
        #expect(credentials.realm == "sip.skype.com")
        #expect(registrar.verdicts == [.accepted(nonceCount: 1)])
        #expect(sim.client.status.lastResponseCode == 200)
    }

    @Test func strongestAlgorithmIsChosen() throws {
        let registrar = FakeRegistrar()
        registrar.algorithms = [.md5, .sha256]
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        let credentials = try #require(try sim.registers[1].wire.headers.authorization.first)
        #expect(credentials.algorithm == .sha256)
        #expect(credentials.response.utf8.count == 64)
        #expect(registrar.verdicts == [.accepted(nonceCount: 1)])
    }

    @Test func staleNonceIsRetriedAtOnceWithoutLeavingRegistered() throws {
        let registrar = FakeRegistrar()
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        registrar.expireNonce()
        let statusCount = sim.statuses.count
        try sim.run(for: .seconds(3600))

        // Refresh with the old nonce, 401 stale=true, at once again with the new nonce (nc back to 1).
        #expect(sim.registers.count == 4)
        let preemptive = try #require(try sim.registers[2].wire.headers.authorization.first)
        let retry = try #require(try sim.registers[3].wire.headers.authorization.first)
        #expect(preemptive.nonce == "nonce-1")
        #expect(retry.nonce == "nonce-2" && retry.nonceCount == 1)
        #expect(sim.registers[3].at - sim.registers[2].at == .milliseconds(20))
        #expect(registrar.verdicts.suffix(2) == [.stale, .accepted(nonceCount: 1)])
        #expect(sim.state == .registered)
        #expect(sim.statuses.dropFirst(statusCount).allSatisfy { $0.state == .registered })
    }

    @Test func expiredNonceWithoutStaleFlagFallsBackToAFreshAnswer() throws {
        let registrar = FakeRegistrar()
        registrar.marksStale = false
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        registrar.expireNonce()
        try sim.run(for: .seconds(3600))
        #expect(sim.registers.count == 4)
        #expect(sim.state == .registered)
        #expect(sim.client.status.lastError == nil)
    }

    @Test func wrongPasswordFailsAndRetriesOnlyOnTheLongSchedule() throws {
        let registrar = FakeRegistrar()
        registrar.password = "the-real-one"
        let sim = Simulation(config: Fixture.config())
        sim.latency = .zero
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(until: .zero)
        #expect(sim.registers.count == 2)
        #expect(sim.state == .failed(.forbidden("wrong password or SIP user name")))
        #expect(sim.client.status.lastError?.description == "wrong password or SIP user name (401)")
        #expect(sim.client.status.nextAttemptAt == .seconds(300))

        try sim.run(until: .seconds(3600))
        // Rounds at 0, 300, 900 (300+600), 2100 (+1200); the next would be at 3900 (+1800).
        let roundStarts = sim.registers.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.at)
        #expect(roundStarts == [.seconds(0), .seconds(300), .seconds(900), .seconds(2100)])
        #expect(sim.registers.count == 8)
        #expect(sim.timer == .seconds(3900))
        #expect(sim.client.status.failures == 4)
        // Each round: one unauthenticated REGISTER, one answer, never more.
        for (i, r) in sim.registers.enumerated() {
            #expect(try r.wire.headers.authorization.isEmpty == (i % 2 == 0))
        }
    }

    @Test func wrongPasswordWithJitterStaysInsideTheBackOffBounds() throws {
        let registrar = FakeRegistrar()
        registrar.password = "the-real-one"
        let sim = Simulation(config: Fixture.config(), random: ScriptedRandom(defaultFraction: 0.5))
        sim.latency = .zero
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(until: .seconds(3600))
        // Delays 300, 600, 1200, 1800 each shortened by 10 %: 270, 540, 1080, 1620.
        let roundStarts = sim.registers.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.at)
        #expect(roundStarts == [.seconds(0), .seconds(270), .seconds(810), .seconds(1890), .seconds(3510)])
    }

    @Test func forbiddenIsTreatedAsWrongCredentials() throws {
        let sim = Simulation(config: Fixture.config())
        try sim.start()
        try sim.reply(try FakeRegistrar().respondScripted(403, to: sim.last.wire))
        #expect(sim.state == .failed(.forbidden("wrong password or SIP user name")))
        #expect(sim.client.status.lastError?.description == "wrong password or SIP user name (403)")
        #expect(sim.client.status.nextAttemptAt == .seconds(300))
    }

    @Test func registrarWithNewNonceOnEveryChallengeCannotMakeUsLoop() throws {
        let registrar = FakeRegistrar()
        registrar.password = "the-real-one"
        registrar.newNonceEveryChallenge = true
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(10))
        #expect(sim.registers.count == 3)
        #expect(sim.state == .failed(.forbidden("wrong password or SIP user name")))
    }

    @Test func unanswerableChallengeFails() throws {
        let registrar = FakeRegistrar()
        registrar.algorithms = [.sha512_256]
        let sim = Simulation(config: Fixture.config())
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(10))
        #expect(sim.registers.count == 1)
        #expect(sim.state == .failed(.unsupported("registrar asks for authentication trunkbox cannot answer")))
        #expect(sim.client.status.lastError?.description
                == "registrar asks for authentication trunkbox cannot answer: Digest SHA-512-256 (401)")
    }

    @Test func storedHA1AnswersTheChallengeOfItsOwnHash() throws {
        let registrar = FakeRegistrar()
        registrar.algorithms = [.sha256, .md5]
        let ha1 = try #require(DigestSecret.computeHA1(username: Fixture.username, realm: "sip.skype.com",
                                                       password: Fixture.password, algorithm: .md5))
        var config = Fixture.config()
        config.secret = try .precomputedHA1(ha1, algorithm: .md5)
        let sim = Simulation(config: config)
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        #expect(try sim.registers[1].wire.headers.authorization.first?.algorithm == .md5)
    }

    @Test func preemptiveAuthenticationCanBeSwitchedOff() throws {
        let registrar = FakeRegistrar()
        var config = Fixture.config()
        config.preemptiveAuthentication = false
        let sim = Simulation(config: config)
        sim.answer(with: registrar)
        try sim.start()
        try sim.run(for: .seconds(3600))
        #expect(sim.registers.count == 4)
        #expect(try sim.registers[2].wire.headers.authorization.isEmpty)
        #expect(sim.state == .registered)
    }
}

extension FakeRegistrar {
    // A response with `code` and extra headers to `request`, through the parser.
    func respondScripted(_ code: Int, _ headers: [(String, String)] = [], to request: SIPMessage) throws -> SIPMessage {
        scripted = [(code, headers)]
        return try respond(to: request)
    }
}
