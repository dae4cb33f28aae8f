// Server INVITE transaction tests (RFC 3261 §17.2.1, RFC 6026 §7.1, §8.7): 100 Trying, Timers G, H, I, L.
import SIPCore
import SIPTransaction
import Testing

@Suite struct ServerInviteTransactionTests {
    @Test func sendsTryingItselfAfter200MillisecondsOfSilence() throws {
        let invite = try TestMessages.invite(extra: "Timestamp: 54.2")
        var txn = SIPServerInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        let first = txn.start()
        #expect(first == [.passUp(invite), .startTimer(.trying, after: .milliseconds(200))])
        clock.apply(first)
        clock.advance(to: .milliseconds(199)) { txn.timerFired($0.name) }
        #expect(clock.sent.isEmpty)
        clock.advance(to: .milliseconds(200)) { txn.timerFired($0.name) }
        #expect(clock.sendTimesMS == [200])

        let trying = try TestMessages.wire(try #require(clock.sent.first?.message))
        #expect(trying.statusCode == 100)
        #expect(try trying.headers.to?.tag == nil)
        #expect(try trying.headers.via == invite.headers.via)
        #expect(try trying.headers.cseq == SIPCSeq(314, .invite))
        #expect(trying.headers[SIPHeaderName("Timestamp")] == "54.2")
        #expect(txn.lastProvisionalResponse?.statusCode == 100)

        // The INVITE retransmitted at 500 ms gets the 100 again.
        clock.wait(.milliseconds(300))
        clock.apply(txn.receive(invite))
        #expect(clock.sendTimesMS == [200, 500])
        #expect(clock.sent.last?.message.statusCode == 100)
    }

    @Test func anAnswerWithin200MillisecondsSuppressesTrying() throws {
        let invite = try TestMessages.invite()
        var txn = SIPServerInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.wait(.milliseconds(150))
        let ringing = invite.response(180, toTag: "uas-1")
        let actions = txn.respond(ringing)
        #expect(actions == [.cancelTimer(.trying), .send(ringing)])
        clock.apply(actions)
        clock.wait(.seconds(1))
        #expect(clock.sent.map(\.message) == [ringing])
        // A retransmitted INVITE gets the latest provisional.
        #expect(txn.receive(invite) == [.send(ringing)])
        #expect(txn.state == .proceeding)
    }

    @Test func zeroTryingDelaySendsTryingAtOnce() throws {
        let invite = try TestMessages.invite()
        var txn = SIPServerInviteTransaction(request: invite, reliable: true, config: SIPTimerConfig(tryingDelay: .zero))
        let actions = txn.start()
        #expect(actions.count == 2)
        #expect(actions.first == .passUp(invite))
        guard case .send(let trying) = actions.last else { Issue.record("expected 100 Trying"); return }
        #expect(trying.statusCode == 100)
    }

    @Test func rejectionIsRetransmittedOnTimerGUntilTimerH() throws {
        let invite = try TestMessages.invite()
        var txn = SIPServerInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.wait(.milliseconds(100))
        let busy = invite.response(486, toTag: "uas-1")
        clock.apply(txn.respond(busy))
        #expect(txn.state == .completed)
        #expect(clock.runningTimers == [.g, .h])

        clock.advance(to: .seconds(40)) { txn.timerFired($0.name) }
        // Intervals 500, 1000, 2000, then capped at T2 = 4000; the ACK never comes.
        #expect(clock.sendTimesMS == [100, 600, 1600, 3600, 7600, 11600, 15600, 19600, 23600, 27600, 31600])
        #expect(clock.sent.allSatisfy { $0.message == busy })
        #expect(clock.timesMS(of: .timeout(.h)) == [32_100])
        #expect(clock.timesMS(of: .terminated) == [32_100])
        #expect(txn.state == .terminated)
    }

    @Test func ackConfirmsAndIsAbsorbedUntilTimerI() throws {
        let invite = try TestMessages.invite()
        var txn = SIPServerInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        let notFound = invite.response(404, toTag: "uas-2")
        clock.apply(txn.respond(notFound))
        clock.advance(to: .milliseconds(700)) { txn.timerFired($0.name) }
        #expect(clock.sendTimesMS == [0, 500])

        // A retransmitted INVITE gets the final response again.
        #expect(txn.receive(invite) == [.send(notFound)])

        let ack = try TestMessages.ack(for: invite, response: notFound)
        let actions = txn.receive(ack)
        #expect(actions == [.cancelTimer(.g), .cancelTimer(.h), .startTimer(.i, after: .seconds(5))])
        clock.apply(actions)
        #expect(txn.state == .confirmed)

        // ACK and INVITE retransmissions are absorbed in Confirmed; the TU never sees an ACK.
        #expect(txn.receive(ack).isEmpty)
        #expect(txn.receive(invite).isEmpty)
        clock.advance(to: .seconds(10)) { txn.timerFired($0.name) }
        #expect(clock.timesMS(of: .terminated) == [5_700])
        #expect(clock.passedUp == [invite])
        #expect(clock.sendTimesMS == [0, 500])
    }

    @Test func reliableTransportNeverRetransmitsAndEndsOnTheACK() throws {
        let invite = try TestMessages.invite(transport: "TCP")
        var txn = SIPServerInviteTransaction(request: invite, reliable: true)
        var clock = ManualClock()
        clock.apply(txn.start())
        let busy = invite.response(486, toTag: "uas-3")
        clock.apply(txn.respond(busy))
        #expect(clock.runningTimers == [.h])
        clock.wait(.seconds(5))
        #expect(clock.sent.count == 1)
        let actions = txn.receive(try TestMessages.ack(for: invite, response: busy))
        #expect(actions == [.cancelTimer(.h), .terminated])
        #expect(txn.state == .terminated)
    }

    @Test func okIsAcceptedUntilTimerLAbsorbingRetransmittedInvites() throws {
        let invite = try TestMessages.invite()
        var txn = SIPServerInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.advance(to: .milliseconds(300)) { txn.timerFired($0.name) }
        let ok = invite.response(200, toTag: "uas-4")
        let actions = txn.respond(ok)
        #expect(actions == [.send(ok), .startTimer(.l, after: .seconds(32))])
        clock.apply(actions)
        #expect(txn.state == .accepted)
        #expect(txn.finalResponse == ok)

        // RFC 6026: the INVITE retransmission is absorbed, not a new request and not answered.
        #expect(txn.receive(invite).isEmpty)
        // The TU (UAS core) retransmits its 2xx through the transaction.
        #expect(txn.respond(ok) == [.send(ok)])
        // A late rejection is dropped.
        #expect(txn.respond(invite.response(500, toTag: "uas-4")).isEmpty)
        // An ACK that matched this transaction goes to the TU.
        let ack = try TestMessages.ack(for: invite, response: ok)
        #expect(txn.receive(ack) == [.passUp(ack)])

        clock.advance(to: .seconds(40)) { txn.timerFired($0.name) }
        #expect(clock.timesMS(of: .terminated) == [32_300])
        #expect(txn.state == .terminated)
    }

    @Test func transportErrorInformsTheTUAndKeepsTheTransaction() throws {
        let invite = try TestMessages.invite()
        var txn = SIPServerInviteTransaction(request: invite, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        let busy = invite.response(486, toTag: "uas-5")
        clock.apply(txn.respond(busy))
        // RFC 6026 Figure 7: Completed stays Completed; Timer H still ends it.
        #expect(txn.transportError() == [.transportError])
        #expect(txn.state == .completed)
        #expect(txn.receive(invite) == [.send(busy)])
        clock.advance(to: .seconds(40)) { txn.timerFired($0.name) }
        #expect(clock.timesMS(of: .timeout(.h)) == [32_000])
        #expect(txn.transportError().isEmpty)
    }

    @Test func responsesAfterTheFinalAreDropped() throws {
        let invite = try TestMessages.invite()
        var txn = SIPServerInviteTransaction(request: invite, reliable: false)
        _ = txn.start()
        _ = txn.respond(invite.response(486, toTag: "uas-6"))
        #expect(txn.respond(invite.response(180, toTag: "uas-6")).isEmpty)
        #expect(txn.respond(invite.response(200, toTag: "uas-6")).isEmpty)
        #expect(txn.finalResponse?.statusCode == 486)
    }
}
