// FailoverTests: moving through the RFC 3263 target list on time-outs, transport errors and 503 before backing off (RFC 3263 §4.3, RFC 3261 §17.1.2.2).

import SIPCore
import Testing
@testable import SIPRegistration

struct FailoverTests {
    @Test func timeoutMovesToTheNextTargetAtOnce() throws {
        let registrar = FakeRegistrar()
        let sim = Simulation(config: Fixture.config(targets: Fixture.threeTargets))
        sim.network = { sent in
            sent.request.targetIndex == 0 ? .timeout : .respond(try registrar.respond(to: sent.wire))
        }
        try sim.start()
        try sim.run(for: .seconds(40))
        #expect(sim.state == .registered)
        #expect(sim.registers.map(\.request.targetIndex) == [0, 1, 1])
        #expect(sim.registers[1].at == .seconds(32))
        #expect(sim.registers[1].request.target == Fixture.threeTargets[1])
        let ids = try sim.registers.map { try $0.wire.headers.callID }
        #expect(Set(ids).count == 1)
        #expect(sim.registers.map { $0.wire.cseqNumber } == [1, 2, 3])
        #expect(sim.client.status.targetIndex == 1)
        #expect(sim.client.status.target == Fixture.threeTargets[1])
        #expect(sim.client.status.summary(now: sim.now).contains("via udp:203.0.113.2:5060 (target 2 of 3)"))
        // Refreshes stay on the target that answered.
        try sim.run(for: .seconds(3600))
        #expect(sim.registers[3].request.targetIndex == 1)
        #expect(sim.state == .registered)
    }

    @Test func allTargetsFailingBacksOffThenStartsAgainAtTheFirst() throws {
        let sim = Simulation(config: Fixture.config(targets: Fixture.threeTargets))
        sim.network = { _ in .timeout }
        try sim.start()
        try sim.run(until: .seconds(96))
        #expect(sim.registers.map(\.request.targetIndex) == [0, 1, 2])
        #expect(sim.registers.map(\.at) == [.seconds(0), .seconds(32), .seconds(64)])
        #expect(sim.state == .backingOff)
        #expect(sim.timer == .seconds(96 + 60))
        #expect(sim.client.status.targetIndex == 2)
        try sim.run(until: .seconds(96 + 60))
        #expect(sim.registers.last?.request.targetIndex == 0)
        #expect(sim.state == .registering)
    }

    @Test func transportErrorMovesOnWithoutWaitingForATimeout() throws {
        let registrar = FakeRegistrar()
        let sim = Simulation(config: Fixture.config(targets: Array(Fixture.threeTargets.prefix(2))))
        sim.network = { sent in
            sent.request.targetIndex == 0 ? .transportError : .respond(try registrar.respond(to: sent.wire))
        }
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        #expect(sim.registers.map(\.request.targetIndex) == [0, 1, 1])
        #expect(sim.registers[1].at == RegistrationInstant(sinceOrigin: .milliseconds(20)))
    }

    @Test func serviceUnavailableWithoutRetryAfterFailsOver() throws {
        let registrar = FakeRegistrar()
        let sim = Simulation(config: Fixture.config(targets: Array(Fixture.threeTargets.prefix(2))))
        sim.network = { sent in
            sent.request.targetIndex == 0
                ? .respond(try registrar.respondScripted(503, to: sent.wire))
                : .respond(try registrar.respond(to: sent.wire))
        }
        try sim.start()
        try sim.run(for: .seconds(1))
        #expect(sim.state == .registered)
        #expect(sim.registers.map(\.request.targetIndex) == [0, 1, 1])
    }

    @Test func failedRefreshFailsOverWhileTheBindingLasts() throws {
        let registrar = FakeRegistrar()
        var firstDown = false
        let sim = Simulation(config: Fixture.config(targets: Array(Fixture.threeTargets.prefix(2))))
        sim.network = { sent in
            firstDown && sent.request.targetIndex == 0 ? .timeout : .respond(try registrar.respond(to: sent.wire))
        }
        try sim.start()
        try sim.run(for: .seconds(1))
        firstDown = true
        let count = sim.statuses.count
        try sim.run(for: .seconds(3600))
        // Refresh at 3536 s times out at 3568 s, the second target answers before the binding lapses.
        #expect(sim.state == .registered)
        #expect(sim.client.status.targetIndex == 1)
        #expect(sim.statuses.dropFirst(count).allSatisfy { $0.state == .registered })
    }

    @Test func targetsCanBeReplaced() throws {
        let sim = Simulation(config: Fixture.config(targets: Fixture.threeTargets))
        try sim.deliver(.targetsChanged([Fixture.threeTargets[2], Fixture.threeTargets[0]], now: .zero))
        #expect(sim.client.status.targetIndex == 1)
        #expect(sim.client.status.targetCount == 2)
        try sim.deliver(.targetsChanged([], now: .zero))
        #expect(sim.client.status.target == RegistrationTarget(host: "sip.skype.com", port: 5060, transport: .udp))
    }
}
