// Transaction table tests (RFC 3261 §17.1.3, §17.2.3, §9.2, RFC 6026 §8.9): routing, retransmissions, CANCEL, RFC 2543 peers, limit and reaping.
import SIPCore
import SIPTransaction
import Testing

@Suite struct TransactionTableTests {
    @Test func responsesReachTheirClientTransactionAndStraysAreReported() throws {
        var table = SIPTransactionTable()
        let invite = try TestMessages.invite()
        let (key, actions) = try table.startClient(invite, reliable: false)
        #expect(actions.first == .send(invite))
        #expect(table.count == 1)

        let ringing = try TestMessages.response(to: invite, 180)
        #expect(table.receive(ringing, reliable: false) == .matched(key, [.cancelTimer(.a), .cancelTimer(.b), .passUp(ringing)]))

        let stranger = try TestMessages.response(to: TestMessages.invite(branch: "z9hG4bK-unknown"), 200)
        #expect(table.receive(stranger, reliable: false) == .strayResponse(stranger))
        let legacy = try TestMessages.response(to: FixtureFiles.message("rfc4475/inv2543.sip"), 200)
        #expect(table.receive(legacy, reliable: false) == .strayResponse(legacy))
    }

    @Test func retransmittedRequestIsAnsweredWithTheLastResponse() throws {
        var table = SIPTransactionTable()
        let invite = try TestMessages.invite()
        guard case .newRequest(let key, let first) = table.receive(invite, reliable: false) else {
            Issue.record("an INVITE must create a server transaction"); return
        }
        #expect(first == [.passUp(invite), .startTimer(.trying, after: .milliseconds(200))])
        let busy = invite.response(486, toTag: "t1")
        #expect(try table.respond(busy, on: key).contains(.send(busy)))
        #expect(table.receive(try TestMessages.wire(invite), reliable: false) == .matched(key, [.send(busy)]))

        let ack = try TestMessages.ack(for: invite, response: busy)
        #expect(table.receive(ack, reliable: false) == .matched(key, [.cancelTimer(.g), .cancelTimer(.h), .startTimer(.i, after: .seconds(5))]))
        if case .serverInvite(let txn)? = table[key] { #expect(txn.state == .confirmed) } else { Issue.record("transaction gone") }
    }

    @Test func ackForA2xxGoesToTheDialogLayer() throws {
        var table = SIPTransactionTable()
        let invite = try TestMessages.invite()
        guard case .newRequest(let key, _) = table.receive(invite, reliable: false) else { Issue.record("no transaction"); return }
        let ok = invite.response(200, toTag: "t2")
        _ = try table.respond(ok, on: key)

        // RFC 6026: the retransmitted INVITE is absorbed by the Accepted transaction, not a new request.
        #expect(table.receive(invite, reliable: false) == .matched(key, []))

        // The ACK for a 2xx carries a new branch: no transaction, it belongs to the dialog.
        var ack = try invite.transactionACK(for: ok)
        ack.headers.set(.via, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-ack-2xx")
        let received = try TestMessages.wire(ack)
        #expect(table.receive(received, reliable: false) == .ackForDialog(received))
        #expect(table.count == 1)
    }

    @Test func cancelIsItsOwnTransactionAndFindsTheInviteItCancels() throws {
        var table = SIPTransactionTable()
        let invite = try TestMessages.invite()
        guard case .newRequest(let inviteKey, _) = table.receive(invite, reliable: false) else { Issue.record("no INVITE transaction"); return }
        let cancel = try TestMessages.wire(invite.cancelRequest())
        guard case .newRequest(let cancelKey, let actions) = table.receive(cancel, reliable: false) else {
            Issue.record("a CANCEL must create its own server transaction"); return
        }
        #expect(actions == [.passUp(cancel)])
        #expect(cancelKey != inviteKey)
        #expect(table.invite(cancelledBy: cancelKey) == inviteKey)
        #expect(table.invite(cancelledBy: inviteKey) == nil)

        // The TU answers 200 to the CANCEL and 487 to the INVITE.
        _ = try table.respond(cancel.response(200, toTag: "c"), on: cancelKey)
        _ = try table.respond(invite.response(487, toTag: "c"), on: inviteKey)
        let strayCancel = try TestMessages.wire(TestMessages.invite(branch: "z9hG4bK-other").cancelRequest())
        guard case .newRequest(let strayKey, _) = table.receive(strayCancel, reliable: false) else { Issue.record("no CANCEL transaction"); return }
        #expect(table.invite(cancelledBy: strayKey) == nil)
    }

    @Test func badBranchRequestIsMatchedByRFC2543Rules() throws {
        var table = SIPTransactionTable()
        let options = try FixtureFiles.message("rfc4475/badbranch.sip")
        guard case .newRequest(let key, _) = table.receive(options, reliable: false) else { Issue.record("no transaction"); return }
        guard case .legacyServer = key.kind else { Issue.record("expected an RFC 2543 key, got \(key)"); return }
        let ok = options.response(200, toTag: "bb")
        #expect(try table.respond(ok, on: key) == [.sendSerialized(ok.serialized()), .startTimer(.j, after: .seconds(32))])
        #expect(table.receive(options, reliable: false) == .matched(key, [.sendSerialized(ok.serialized())]))

        // Same everything but the From tag: another request.
        var other = options
        other.headers.set(.from, "sip:caller@example.org;tag=99999")
        guard case .newRequest(let otherKey, _) = table.receive(other, reliable: false) else { Issue.record("expected a new request"); return }
        #expect(otherKey != key)
    }

    @Test func rfc2543InviteIsAcknowledgedByTheToTagOfTheResponseSent() throws {
        var table = SIPTransactionTable()
        let invite = try FixtureFiles.message("rfc4475/inv2543.sip")
        guard case .newRequest(let key, _) = table.receive(invite, reliable: false) else { Issue.record("no transaction"); return }
        let busy = invite.response(486, toTag: "legacy-486")
        _ = try table.respond(busy, on: key)
        #expect(table.receive(invite, reliable: false) == .matched(key, [.send(busy)]))

        // An RFC 2543 CANCEL (no branch) finds the INVITE by the same rules.
        let cancel = try TestMessages.wire(invite.cancelRequest())
        guard case .newRequest(let cancelKey, _) = table.receive(cancel, reliable: false) else { Issue.record("no CANCEL transaction"); return }
        #expect(table.invite(cancelledBy: cancelKey) == key)

        // An ACK whose To tag is not the one the 486 carried is not this transaction's.
        var wrongTag = try invite.transactionACK(for: busy)
        wrongTag.headers.set(.to, "sip:+16505552222@ss1.example.net;user=phone;tag=someone-else")
        let stray = try TestMessages.wire(wrongTag)
        #expect(table.receive(stray, reliable: false) == .ackForDialog(stray))

        let ack = try TestMessages.ack(for: invite, response: busy)
        #expect(try ack.headers.topVia?.branch == nil)
        #expect(table.receive(ack, reliable: false) == .matched(key, [.cancelTimer(.g), .cancelTimer(.h), .startTimer(.i, after: .seconds(5))]))
    }

    @Test func rfc2543AckForA2xxMatchesTheAcceptedInviteAndGoesUp() throws {
        var table = SIPTransactionTable()
        let invite = try FixtureFiles.message("rfc4475/inv2543.sip")
        guard case .newRequest(let key, _) = table.receive(invite, reliable: true) else { Issue.record("no transaction"); return }
        let ok = invite.response(200, toTag: "legacy-200")
        _ = try table.respond(ok, on: key)
        let ack = try TestMessages.ack(for: invite, response: ok)
        #expect(table.receive(ack, reliable: true) == .matched(key, [.passUp(ack)]))
    }

    @Test func fullTableRefusesNewTransactions() throws {
        var table = SIPTransactionTable(maxTransactions: 2)
        #expect(table.maxTransactions == 2)
        let first = try TestMessages.options(branch: "z9hG4bK-1")
        guard case .newRequest(let firstKey, _) = table.receive(first, reliable: true) else { Issue.record("no transaction"); return }
        _ = try table.startClient(TestMessages.invite(), reliable: true)
        let third = try TestMessages.options(branch: "z9hG4bK-3")
        #expect(table.receive(third, reliable: true) == .tableFull(request: third))
        #expect(throws: SIPTransactionError.tableFull(limit: 2)) {
            try table.startClient(TestMessages.options(branch: "z9hG4bK-4"), reliable: true)
        }
        // A retransmission of a live transaction is still routed.
        #expect(table.receive(first, reliable: true) == .matched(firstKey, []))
        // Once one ends there is room again.
        _ = try table.respond(first.response(200, toTag: "f"), on: firstKey)
        guard case .newRequest = table.receive(third, reliable: true) else { Issue.record("expected room for a new request"); return }
    }

    @Test func terminatedTransactionsAreReaped() throws {
        var table = SIPTransactionTable()
        let options = try TestMessages.options()
        guard case .newRequest(let key, _) = table.receive(options, reliable: false) else { Issue.record("no transaction"); return }
        var clock = ManualClock()
        clock.apply(try table.respond(options.response(200, toTag: "r"), on: key), key: key)
        #expect(table.count == 1)
        clock.advance(to: .seconds(32)) { table.timerFired($0.name, on: $0.key!) }
        #expect(clock.timesMS(of: .terminated) == [32_000])
        #expect(table.count == 0)
        #expect(table[key] == nil)
        #expect(table.timerFired(.j, on: key).isEmpty)
        #expect(table.transportError(on: key).isEmpty)
        #expect(throws: SIPTransactionError.noSuchTransaction(key)) { try table.respond(options.response(200), on: key) }
        // A late retransmission is a new request again (the TU's job to spot, §8.2.2.2).
        guard case .newRequest = table.receive(options, reliable: false) else { Issue.record("expected a new request"); return }
    }

    @Test func clientTransactionRunsItsTimersThroughTheTable() throws {
        var table = SIPTransactionTable()
        let register = try TestMessages.options(method: "REGISTER")
        let (key, actions) = try table.startClient(register, reliable: false)
        var clock = ManualClock()
        clock.apply(actions, key: key)
        clock.advance(to: .seconds(40)) { table.timerFired($0.name, on: $0.key!) }
        #expect(clock.sendTimesMS == [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500])
        #expect(clock.timesMS(of: .timeout(.f)) == [32_000])
        #expect(table.count == 0)
    }

    @Test func transportErrorThroughTheTableEndsAClientTransaction() throws {
        var table = SIPTransactionTable()
        let (key, _) = try table.startClient(TestMessages.invite(transport: "TCP"), reliable: true)
        #expect(table.transportError(on: key) == [.transportError, .cancelTimer(.b), .terminated])
        #expect(table.count == 0)
    }

    @Test func misuseIsRefused() throws {
        var table = SIPTransactionTable()
        let invite = try TestMessages.invite()
        let (key, _) = try table.startClient(invite, reliable: false)
        #expect(throws: SIPTransactionError.duplicateTransaction(key)) { try table.startClient(invite, reliable: false) }
        #expect(throws: SIPTransactionError.wrongMethod(.ack)) {
            try table.startClient(invite.transactionACK(for: invite.response(486, toTag: "a")), reliable: false)
        }
        #expect(throws: SIPTransactionError.noSuchTransaction(key)) { try table.respond(invite.response(200), on: key) }
        #expect(table.abandon(key) == [.cancelTimer(.a), .cancelTimer(.b), .terminated])
        var noVia = try TestMessages.options()
        noVia.headers.remove(.via)
        #expect(table.receive(noVia, reliable: false) == .invalid(noVia, .missingHeader(.via)))
    }
}
