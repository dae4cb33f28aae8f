// Client INVITE transaction tests (RFC 3261 §17.1.1, RFC 6026 §8.4): Timers A, B, D, M and the ACK for non-2xx.
import SIPCore
import SIPTransaction
import Testing

@Suite struct ClientInviteTransactionTests {
    @Test func udpRetransmitsAtT1DoublingUntilTimerB() throws {
        let invite = try TestMessages.invite()
        var txn = try SIPClientInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.advance(to: .seconds(60)) { txn.timerFired($0.name) }
        // INVITE retransmissions are not capped at T2: 500, 1000, 2000, 4000, 8000, 16000.
        #expect(clock.sendTimesMS == [0, 500, 1500, 3500, 7500, 15500, 31500])
        #expect(clock.sent.allSatisfy { $0.message == invite })
        #expect(clock.timesMS(of: .timeout(.b)) == [32_000])
        #expect(clock.timesMS(of: .terminated) == [32_000])
        #expect(txn.state == .terminated)
        #expect(!clock.hasRunningTimers)
    }

    @Test func reliableTransportSendsOnceAndTimesOutOnTimerB() throws {
        var txn = try SIPClientInviteTransaction(request: try TestMessages.invite(transport: "TCP"), reliable: true)
        var clock = ManualClock()
        clock.apply(txn.start())
        #expect(clock.runningTimers == [.b])
        clock.advance(to: .seconds(60)) { txn.timerFired($0.name) }
        #expect(clock.sendTimesMS == [0])
        #expect(clock.timesMS(of: .timeout(.b)) == [32_000])
    }

    @Test func provisionalResponseStopsRetransmissionAndTimerB() throws {
        let invite = try TestMessages.invite()
        var txn = try SIPClientInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.advance(to: .milliseconds(800)) { txn.timerFired($0.name) }
        let ringing = try TestMessages.response(to: invite, 180)
        let actions = txn.receive(ringing)
        #expect(actions == [.cancelTimer(.a), .cancelTimer(.b), .passUp(ringing)])
        clock.apply(actions)
        #expect(txn.state == .proceeding)
        // A ringing call waits for its answer: no retransmission, no timeout.
        clock.wait(.seconds(120))
        #expect(clock.sendTimesMS == [0, 500])
        let progress = try TestMessages.response(to: invite, 183)
        #expect(txn.receive(progress) == [.passUp(progress)])
        #expect(txn.state == .proceeding)
    }

    @Test func okMovesToAcceptedAndPassesUpEvery2xxUntilTimerM() throws {
        let invite = try TestMessages.invite()
        var txn = try SIPClientInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.apply(txn.receive(try TestMessages.response(to: invite, 180)))
        clock.wait(.seconds(3))
        let ok = try TestMessages.response(to: invite, 200, toTag: "fork-a")
        let actions = txn.receive(ok)
        #expect(actions == [.passUp(ok), .startTimer(.m, after: .seconds(32))])
        clock.apply(actions)
        #expect(txn.state == .accepted)

        // RFC 6026: a retransmitted 2xx and a 2xx from another fork both reach the TU; no ACK from the transaction.
        clock.wait(.seconds(1))
        #expect(txn.receive(ok) == [.passUp(ok)])
        let otherFork = try TestMessages.response(to: invite, 200, toTag: "fork-b")
        #expect(txn.receive(otherFork) == [.passUp(otherFork)])
        // Late provisionals and non-2xx finals are dropped.
        #expect(txn.receive(try TestMessages.response(to: invite, 180)).isEmpty)
        #expect(txn.receive(try TestMessages.response(to: invite, 486)).isEmpty)
        #expect(clock.sent.count == 1)

        clock.advance(to: .seconds(35)) { txn.timerFired($0.name) }
        #expect(clock.timesMS(of: .terminated) == [35_000])
        #expect(txn.state == .terminated)
        #expect(txn.receive(ok).isEmpty)
    }

    @Test func busyIsAcknowledgedByTheTransactionWithTheRFCFields() throws {
        let invite = try TestMessages.invite()
        var txn = try SIPClientInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.advance(to: .milliseconds(600)) { txn.timerFired($0.name) }
        let busy = try TestMessages.response(to: invite, 486, toTag: "busy-7")
        clock.apply(txn.receive(busy))
        #expect(txn.state == .completed)
        #expect(clock.passedUp == [busy])
        #expect(clock.runningTimers == [.d])
        #expect(clock.deadlineMS(of: .d) == 32_600)

        let sentACK = try #require(clock.sent.last?.message)
        let ack = try TestMessages.wire(sentACK)
        #expect(ack.method == .ack)
        #expect(ack.requestURI == invite.requestURI)
        let vias = try ack.headers.via
        #expect(vias.count == 1)
        #expect(vias.first?.branch == "z9hG4bK-inv-1")
        #expect(ack.headers.values(.route) == ["<sip:edge1.trunk.example.net;lr>", "<sip:edge2.trunk.example.net;lr>"])
        #expect(try ack.headers.to?.tag == "busy-7")
        #expect(try ack.headers.from == invite.headers.from)
        #expect(try ack.headers.callID == "call-1@192.0.2.10")
        #expect(try ack.headers.cseq == SIPCSeq(314, .ack))
        #expect(try ack.headers.maxForwards == 70)
        #expect(ack.body.isEmpty)
        #expect(!ack.headers.contains(.contentType))

        // A retransmitted 486 is acknowledged again but not passed up.
        clock.wait(.seconds(2))
        #expect(txn.receive(busy) == [.send(sentACK)])
        #expect(txn.receive(try TestMessages.response(to: invite, 200)).isEmpty)

        clock.advance(to: .seconds(40)) { txn.timerFired($0.name) }
        #expect(clock.timesMS(of: .terminated) == [32_600])
        #expect(clock.passedUp == [busy])
    }

    @Test func reliableTransportAcknowledgesAndTerminatesAtOnce() throws {
        let invite = try TestMessages.invite(transport: "TLS")
        var txn = try SIPClientInviteTransaction(request: invite, reliable: true)
        _ = txn.start()
        let declined = try TestMessages.response(to: invite, 603)
        let actions = txn.receive(declined)
        #expect(actions.count == 4)
        #expect(actions.first == .cancelTimer(.b))
        guard case .send(let ack) = actions[1] else { Issue.record("expected the ACK to be sent"); return }
        #expect(ack.method == .ack)
        #expect(Array(actions.suffix(2)) == [.passUp(declined), .terminated])
        #expect(txn.state == .terminated)
    }

    @Test func transportErrorTerminatesWithError() throws {
        var txn = try SIPClientInviteTransaction(request: try TestMessages.invite(), reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.advance(to: .milliseconds(500)) { txn.timerFired($0.name) }
        let actions = txn.transportError()
        #expect(actions == [.transportError, .cancelTimer(.a), .cancelTimer(.b), .terminated])
        clock.apply(actions)
        #expect(txn.state == .terminated)
    }

    @Test func abandonEndsAProceedingTransaction() throws {
        let invite = try TestMessages.invite()
        var txn = try SIPClientInviteTransaction(request: invite, reliable: false)
        _ = txn.start()
        _ = txn.receive(try TestMessages.response(to: invite, 180))
        #expect(txn.abandon() == [.terminated])
        #expect(txn.state == .terminated)
        #expect(txn.abandon().isEmpty)
    }

    @Test func staleTimerFiringAfterACancelIsIgnored() throws {
        let invite = try TestMessages.invite()
        var txn = try SIPClientInviteTransaction(request: invite, reliable: false)
        _ = txn.start()
        _ = txn.receive(try TestMessages.response(to: invite, 100, toTag: nil))
        // The driver's Timer A raced the cancel.
        #expect(txn.timerFired(.a).isEmpty)
        #expect(txn.timerFired(.b).isEmpty)
        #expect(txn.state == .proceeding)
    }

    @Test func onlyAnInviteWithTheNeededHeadersStarts() throws {
        #expect(throws: SIPTransactionError.wrongMethod(.options)) {
            try SIPClientInviteTransaction(request: try TestMessages.options(), reliable: false)
        }
        var noCSeq = try TestMessages.invite()
        noCSeq.headers.remove(.cseq)
        #expect(throws: SIPTransactionError.missingHeader(.cseq)) {
            try SIPClientInviteTransaction(request: noCSeq, reliable: false)
        }
    }
}
