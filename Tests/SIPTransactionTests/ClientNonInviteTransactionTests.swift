// Client non-INVITE transaction tests (RFC 3261 §17.1.2): Timers E, F and K on a manual clock.
import SIPCore
import SIPTransaction
import Testing

@Suite struct ClientNonInviteTransactionTests {
    @Test func udpRetransmitsDoublingUpToT2AndTimesOutOnTimerF() throws {
        let options = try TestMessages.options()
        var txn = try SIPClientNonInviteTransaction(request: options, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        #expect(clock.deadlineMS(of: .e) == 500)
        #expect(clock.deadlineMS(of: .f) == 32_000)

        clock.advance(to: .seconds(40)) { txn.timerFired($0.name) }
        // Intervals 500, 1000, 2000, then capped at T2 = 4000.
        #expect(clock.sendTimesMS == [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500])
        #expect(clock.sent.allSatisfy { $0.message == options })
        #expect(clock.timesMS(of: .timeout(.f)) == [32_000])
        #expect(clock.timesMS(of: .terminated) == [32_000])
        #expect(clock.passedUp.isEmpty)
        #expect(txn.state == .terminated)
        #expect(!clock.hasRunningTimers)
    }

    @Test func reliableTransportSendsOnceAndStillTimesOut() throws {
        var txn = try SIPClientNonInviteTransaction(request: try TestMessages.options(), reliable: true)
        var clock = ManualClock()
        clock.apply(txn.start())
        #expect(clock.runningTimers == [.f])
        clock.advance(to: .seconds(40)) { txn.timerFired($0.name) }
        #expect(clock.sendTimesMS == [0])
        #expect(clock.timesMS(of: .timeout(.f)) == [32_000])
        #expect(txn.state == .terminated)
    }

    @Test func provisionalResponseKeepsRetransmittingEveryT2() throws {
        let request = try TestMessages.options(method: "REGISTER")
        var txn = try SIPClientNonInviteTransaction(request: request, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.advance(to: .milliseconds(600)) { txn.timerFired($0.name) }
        let trying = try TestMessages.response(to: request, 100, toTag: nil)
        clock.apply(txn.receive(trying))
        #expect(txn.state == .proceeding)
        #expect(clock.passedUp == [trying])
        // Timer E was already set for 1500; after it fires the interval is T2, not 2000.
        clock.advance(to: .milliseconds(10_000)) { txn.timerFired($0.name) }
        #expect(clock.sendTimesMS == [0, 500, 1500, 5500, 9500])
        #expect(txn.state == .proceeding)
    }

    @Test func finalResponseCompletesAndTimerKEndsItAfterT4() throws {
        let request = try TestMessages.options()
        var txn = try SIPClientNonInviteTransaction(request: request, reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.advance(to: .milliseconds(700)) { txn.timerFired($0.name) }
        let ok = try TestMessages.response(to: request, 200)
        let actions = txn.receive(ok)
        #expect(actions == [.cancelTimer(.e), .cancelTimer(.f), .passUp(ok), .startTimer(.k, after: .seconds(5))])
        clock.apply(actions)
        #expect(txn.state == .completed)

        // Retransmitted finals and late provisionals are absorbed.
        #expect(txn.receive(ok).isEmpty)
        #expect(txn.receive(try TestMessages.response(to: request, 180)).isEmpty)

        clock.advance(to: .milliseconds(5_699)) { txn.timerFired($0.name) }
        #expect(txn.state == .completed)
        clock.advance(to: .milliseconds(5_700)) { txn.timerFired($0.name) }
        #expect(txn.state == .terminated)
        #expect(clock.timesMS(of: .terminated) == [5_700])
        #expect(clock.sendTimesMS == [0, 500])
        #expect(clock.passedUp == [ok])
    }

    @Test func reliableFinalResponseTerminatesAtOnce() throws {
        let request = try TestMessages.options()
        var txn = try SIPClientNonInviteTransaction(request: request, reliable: true)
        _ = txn.start()
        let busy = try TestMessages.response(to: request, 486)
        #expect(txn.receive(busy) == [.cancelTimer(.f), .passUp(busy), .terminated])
        #expect(txn.state == .terminated)
    }

    @Test func transportErrorTerminatesWithError() throws {
        var txn = try SIPClientNonInviteTransaction(request: try TestMessages.options(), reliable: false)
        var clock = ManualClock()
        clock.apply(txn.start())
        let actions = txn.transportError()
        #expect(actions == [.transportError, .cancelTimer(.e), .cancelTimer(.f), .terminated])
        clock.apply(actions)
        #expect(txn.state == .terminated)
        #expect(txn.transportError().isEmpty)
    }

    @Test func customTimersScaleEveryInterval() throws {
        let config = SIPTimerConfig(t1: .milliseconds(100), t2: .milliseconds(400))
        var txn = try SIPClientNonInviteTransaction(request: try TestMessages.options(), reliable: false, config: config)
        var clock = ManualClock()
        clock.apply(txn.start())
        clock.advance(to: .seconds(10)) { txn.timerFired($0.name) }
        #expect(Array(clock.sendTimesMS.prefix(6)) == [0, 100, 300, 700, 1100, 1500])
        #expect(clock.timesMS(of: .timeout(.f)) == [6_400])
    }

    @Test func inviteAndAckCannotStartANonInviteTransaction() throws {
        #expect(throws: SIPTransactionError.wrongMethod(.invite)) {
            try SIPClientNonInviteTransaction(request: try TestMessages.invite(), reliable: false)
        }
        #expect(throws: SIPTransactionError.wrongMethod(.ack)) {
            try SIPClientNonInviteTransaction(request: try TestMessages.options(method: "ACK"), reliable: false)
        }
    }
}
