// Server non-INVITE transaction tests (RFC 3261 §17.2.2): retransmitted requests and Timer J.
import SIPCore
import SIPTransaction
import Testing

@Suite struct ServerNonInviteTransactionTests {
    @Test func finalResponseIsResentForRetransmissionsUntilTimerJ() throws {
        let bye = try TestMessages.options(method: "BYE")
        var txn = SIPServerNonInviteTransaction(request: bye, reliable: false)
        var clock = ManualClock()
        let first = txn.start()
        #expect(first == [.passUp(bye)])
        clock.apply(first)

        // While Trying a retransmission is absorbed: there is nothing to resend yet.
        clock.wait(.milliseconds(500))
        #expect(txn.receive(bye).isEmpty)

        clock.wait(.milliseconds(100))
        let ok = bye.response(200, toTag: "uas-b")
        let actions = txn.respond(ok)
        #expect(actions == [.sendSerialized(ok.serialized()), .startTimer(.j, after: .seconds(32))])
        clock.apply(actions)
        #expect(txn.state == .completed)
        // Completed keeps the response's bytes only: the parsed request and response are gone.
        #expect(txn.request == nil && txn.lastResponse == nil)
        #expect(txn.finalResponseBytes == ok.serialized())

        clock.wait(.milliseconds(900))
        clock.apply(txn.receive(bye))
        clock.wait(.seconds(2))
        clock.apply(txn.receive(bye))
        #expect(clock.sendTimesMS == [600, 1500, 3500])
        #expect(clock.sentBytes.allSatisfy { $0.bytes == ok.serialized() })
        #expect(clock.passedUp == [bye])

        clock.advance(to: .seconds(40)) { txn.timerFired($0.name) }
        #expect(clock.timesMS(of: .terminated) == [32_600])
        #expect(txn.state == .terminated)
        #expect(txn.receive(bye).isEmpty)
    }

    @Test func provisionalResponseIsResentWhileProceeding() throws {
        let register = try TestMessages.options(method: "REGISTER")
        var txn = SIPServerNonInviteTransaction(request: register, reliable: false)
        _ = txn.start()
        let trying = register.response(100)
        #expect(txn.respond(trying) == [.send(trying)])
        #expect(txn.state == .proceeding)
        #expect(txn.receive(register) == [.send(trying)])
        let ok = register.response(200, toTag: "reg")
        #expect(txn.respond(ok) == [.sendSerialized(ok.serialized()), .startTimer(.j, after: .seconds(32))])
        #expect(txn.receive(register) == [.sendSerialized(ok.serialized())])
        #expect(txn.finalResponseBytes == ok.serialized())
        #expect(txn.lastResponse == nil)
    }

    @Test func reliableFinalResponseEndsTheTransactionAtOnce() throws {
        let options = try TestMessages.options()
        var txn = SIPServerNonInviteTransaction(request: options, reliable: true)
        _ = txn.start()
        let ok = options.response(200, toTag: "o")
        #expect(txn.respond(ok) == [.sendSerialized(ok.serialized()), .terminated])
        #expect(txn.state == .terminated)
    }

    @Test func furtherFinalResponsesAreDropped() throws {
        let options = try TestMessages.options()
        var txn = SIPServerNonInviteTransaction(request: options, reliable: false)
        _ = txn.start()
        let ok = options.response(200, toTag: "o")
        _ = txn.respond(ok)
        #expect(txn.respond(options.response(500, toTag: "o")).isEmpty)
        #expect(txn.receive(options) == [.sendSerialized(ok.serialized())])
    }

    @Test func transportErrorTerminatesWithError() throws {
        let options = try TestMessages.options()
        var txn = SIPServerNonInviteTransaction(request: options, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.apply(txn.respond(options.response(200, toTag: "o")))
        let actions = txn.transportError()
        #expect(actions == [.transportError, .cancelTimer(.j), .terminated])
        clock.apply(actions)
        #expect(txn.state == .terminated)
    }
}
