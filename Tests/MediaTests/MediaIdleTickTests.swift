// MediaIdleTickTests: the media thread's 10 ms tick runs only while there are sessions; a session made after idling still relays.
import Testing
import Glibc
import CShim
import MediaCore
@testable import Media

extension MediaEngine {
    /// Polls (up to two seconds) until the media thread reports its tick timer armed or disarmed.
    func waitForTick(armed: Bool) -> Bool {
        for _ in 0..<2000 {
            if shared.tickArmed.load(ordering: .relaxed) == armed { return true }
            usleep(1000)
        }
        return shared.tickArmed.load(ordering: .relaxed) == armed
    }
}

extension MediaEngineTests {
    @Test func tickStopsWithoutSessionsAndRestartsForOne() throws {
        var rig = try Rig()
        // No session yet: the timer was never armed, so the thread has not ticked.
        usleep(50_000)
        let armedIdle = rig.engine.shared.tickArmed.load(ordering: .relaxed)
        let ticksIdle = rig.engine.shared.ticks.load(ordering: .relaxed)
        #expect(!armedIdle)
        #expect(ticksIdle == 0)

        try rig.create()
        #expect(rig.engine.waitForTick(armed: true), "a session starts the tick")
        rig.peerA.send(Packets.rtp(seq: 1, payload: Packets.payload(1)), to: rig.legA.local)
        #expect(rig.peerB.receive() != nil)
        try rig.engine.destroySession(rig.id)
        _ = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        #expect(rig.engine.waitForTick(armed: false), "the last session's end stops the tick")
        let ticksWhenIdle = rig.engine.shared.ticks.load(ordering: .relaxed)

        // A new session after idling: ticks again and relays both ways.
        let legA = try MediaSocketPair.open(local: loopback, rtcpMux: true)
        let legB = try MediaSocketPair.open(local: loopback, rtcpMux: true)
        let id = try rig.engine.createSession(a: MediaLegConfiguration(sockets: legA, remote: rig.peerA.address),
                                              b: MediaLegConfiguration(sockets: legB, remote: rig.peerB.address))
        let created = rig.engine.collectEvents { if case .sessionCreated = $0 { return true }; return false }
        #expect(created.contains { if case .sessionCreated(id) = $0 { return true }; return false })
        #expect(rig.engine.waitForTick(armed: true))
        for i in 0..<5 {
            let p = Packets.rtp(seq: UInt16(i), payload: Packets.payload(i))
            rig.peerA.send(p, to: legA.local)
            #expect(rig.peerB.receive()?.bytes == p)
            let q = Packets.rtp(seq: UInt16(50 + i), ssrc: 0x77, payload: Packets.payload(i, tag: 9))
            rig.peerB.send(q, to: legB.local)
            #expect(rig.peerA.receive()?.bytes == q)
        }
        // The tick is running again: wait (up to two seconds) for one.
        var waited = 0
        while waited < 2000 && rig.engine.shared.ticks.load(ordering: .relaxed) == ticksWhenIdle {
            usleep(1000)
            waited += 1
        }
        let ticksAgain = rig.engine.shared.ticks.load(ordering: .relaxed)
        #expect(ticksAgain > ticksWhenIdle)
        try rig.engine.destroySession(id)
        _ = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        #expect(rig.engine.waitForTick(armed: false))
        rig.engine.stop()
    }
}
