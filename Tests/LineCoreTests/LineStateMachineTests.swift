// LineStateMachine tests: incoming (ring, caller ID, offer, answer, busy tone clears), outgoing (seize, dial tone, DTMF), busy, down, impossible events.
import LineCore
import Testing

/// A machine brought up (audio device open) at time 0, with the incoming extension 200.
private func upMachine(_ options: LineOptions = LineOptions(incomingExtension: "200")) -> LineStateMachine {
    var machine = LineStateMachine(options: options)
    _ = machine.handle(.audioDevice(up: true), nowMilliseconds: 0)
    return machine
}

private func ignored(_ actions: [LineAction]) -> Bool {
    actions.count == 1 && { if case .ignored = actions[0] { true } else { false } }()
}

@Suite struct LineStateMachineTests {
    @Test func startsDownUntilTheAudioDeviceOpens() {
        var machine = LineStateMachine(options: LineOptions(incomingExtension: "200"))
        #expect(machine.state == .down(LineDownReason(noAudioDevice: true)))
        #expect(machine.handle(.outgoingRequested(digits: "911"), nowMilliseconds: 0) == [.rejectOutgoing(LineCallID(1), .lineDown)])
        #expect(ignored(machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 10)))
        #expect(machine.handle(.audioDevice(up: true), nowMilliseconds: 20) == [.activityChanged(.idle)])
        #expect(machine.state == .idle)
    }

    @Test func incomingRingCallerIDOfferAnswerThenBusyToneClears() {
        var machine = upMachine()
        #expect(machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150)
                == [.listenForCallerID(true), .activityChanged(.ringing)])
        #expect(machine.state == .ringing)
        #expect(machine.handle(.ring(.ringEnded(Ring(number: 1, startedAtMilliseconds: 0, endedAtMilliseconds: 2_000, burstMilliseconds: [2_000], matchesCadence: true))), nowMilliseconds: 2_100) == [])

        let caller = CallerID(number: "5551234", name: "ALICE")
        let offer = machine.handle(.callerID(caller), nowMilliseconds: 3_200)
        let id = LineCallID(1)
        #expect(offer == [.listenForCallerID(false), .offerCall(id, extension: "200", callerID: caller)])
        #expect(machine.state == .offering(id))
        // The line keeps ringing while the PBX extension rings; nothing changes.
        #expect(machine.handle(.ring(.ringStarted(number: 2, atMilliseconds: 6_000)), nowMilliseconds: 6_150) == [])

        #expect(machine.handle(.pbxAnswered(id), nowMilliseconds: 7_000) == [.setHook(.offHook), .startAudio, .activityChanged(.inUse)])
        #expect(machine.state == .connected(id, .incoming))
        // Ringing stops by itself once off hook: absorbed.
        #expect(machine.handle(.ring(.ringingStopped(rings: 2, atMilliseconds: 14_000)), nowMilliseconds: 14_000) == [])

        // The caller hangs up; the exchange plays busy tone: the PBX leg gets BYE and the line is released.
        #expect(machine.handle(.callProgress(.busy), nowMilliseconds: 60_000) == [.endCall(id, .busyTone), .stopAudio, .setHook(.onHook)])
        #expect(machine.state == .clearing)
        #expect(machine.nextDeadlineMilliseconds == 61_000)
        #expect(machine.tick(nowMilliseconds: 60_999) == [])
        #expect(machine.tick(nowMilliseconds: 61_000) == [.activityChanged(.idle)])
        #expect(machine.state == .idle)
    }

    @Test func offersAtTheSecondRingWhenNoCallerIDCame() {
        var machine = upMachine()
        _ = machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150)
        let actions = machine.handle(.ring(.ringStarted(number: 2, atMilliseconds: 6_000)), nowMilliseconds: 6_150)
        #expect(actions == [.listenForCallerID(false), .offerCall(LineCallID(1), extension: "200", callerID: nil)])
    }

    @Test func offersAfterTheCallerIDWaitWhenNothingElseCame() {
        var machine = upMachine(LineOptions(incomingExtension: "200", callerIDWaitMilliseconds: 5_000))
        _ = machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150)
        #expect(machine.tick(nowMilliseconds: 5_149) == [])
        #expect(machine.tick(nowMilliseconds: 5_150) == [.listenForCallerID(false), .offerCall(LineCallID(1), extension: "200", callerID: nil)])
    }

    @Test func offersAtOnceWhenNotWaitingForCallerID() {
        var machine = upMachine(LineOptions(incomingExtension: "200", waitForCallerID: false))
        let actions = machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150)
        #expect(actions == [.offerCall(LineCallID(1), extension: "200", callerID: nil), .activityChanged(.ringing)])
    }

    @Test func ukCallerIDBeforeTheFirstRing() {
        var machine = upMachine(LineOptions(incomingExtension: "200", callerIDBeforeRing: true))
        #expect(machine.handle(.polarityReversed, nowMilliseconds: 0) == [.listenForCallerID(true), .activityChanged(.ringing)])
        let caller = CallerID(absence: .withheld)
        #expect(machine.handle(.callerID(caller), nowMilliseconds: 800) == [])
        let actions = machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 1_500)), nowMilliseconds: 1_650)
        #expect(actions == [.listenForCallerID(false), .offerCall(LineCallID(1), extension: "200", callerID: caller)])
    }

    @Test func aReversalWithoutARingGoesBackToIdle() {
        var machine = upMachine(LineOptions(incomingExtension: "200", callerIDBeforeRing: true, callerIDAlertMilliseconds: 3_000))
        _ = machine.handle(.polarityReversed, nowMilliseconds: 0)
        #expect(machine.tick(nowMilliseconds: 3_000) == [.listenForCallerID(false), .activityChanged(.idle)])
    }

    @Test func callerGivingUpCancelsTheOffer() {
        var machine = upMachine()
        _ = machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150)
        _ = machine.handle(.ring(.ringStarted(number: 2, atMilliseconds: 6_000)), nowMilliseconds: 6_150)
        let actions = machine.handle(.ring(.ringingStopped(rings: 2, atMilliseconds: 14_000)), nowMilliseconds: 14_000)
        #expect(actions == [.endCall(LineCallID(1), .callerGaveUp), .activityChanged(.idle)])
        #expect(LineEndCause.callerGaveUp.sipStatus == 487)
        // A late answer from the PBX finds no call.
        #expect(ignored(machine.handle(.pbxAnswered(LineCallID(1)), nowMilliseconds: 14_010)))
        #expect(machine.state == .idle)
    }

    @Test func aDeclinedOfferIsNotOfferedAgainAndTheLineStaysOnHook() {
        var machine = upMachine()
        _ = machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150)
        _ = machine.handle(.ring(.ringStarted(number: 2, atMilliseconds: 6_000)), nowMilliseconds: 6_150)
        #expect(machine.handle(.pbxEnded(LineCallID(1)), nowMilliseconds: 7_000) == [])
        #expect(machine.state == .declined)
        #expect(machine.handle(.ring(.ringStarted(number: 3, atMilliseconds: 12_000)), nowMilliseconds: 12_150) == [])
        #expect(machine.handle(.ring(.ringingStopped(rings: 3, atMilliseconds: 20_000)), nowMilliseconds: 20_000) == [.activityChanged(.idle)])
    }

    @Test func withoutAnIncomingExtensionRingsAreNeverOffered() {
        var machine = upMachine(LineOptions(incomingExtension: nil))
        #expect(machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150) == [.activityChanged(.ringing)])
        #expect(machine.state == .declined)
        #expect(machine.tick(nowMilliseconds: 60_000) == [])
    }

    @Test func outgoingSeizeDialToneDigitsConnect() {
        var machine = upMachine()
        let id = LineCallID(1)
        #expect(machine.handle(.outgoingRequested(digits: "911"), nowMilliseconds: 1_000)
                == [.outgoingAccepted(id), .setHook(.offHook), .startAudio, .activityChanged(.inUse)])
        #expect(machine.state == .awaitingDialTone(id))
        #expect(machine.handle(.callProgress(.dialTone), nowMilliseconds: 1_400) == [])
        #expect(machine.state == .dialling(id))
        var sent: [(Int64, LineAction)] = []
        var t: Int64 = 1_400
        while t <= 3_000 {
            for action in machine.tick(nowMilliseconds: t) { sent.append((t, action)) }
            t += 10
        }
        #expect(sent.map(\.1) == [.sendDigit("9", milliseconds: 100), .sendDigit("1", milliseconds: 100),
                                  .sendDigit("1", milliseconds: 100), .outgoingConnected(id)])
        #expect(sent.map(\.0) == [1_700, 1_900, 2_100, 2_300])  // predial 300 ms, then tone 100 + gap 100 per digit
        #expect(machine.state == .connected(id, .outgoing))
        // The PBX hangs up: the line is released, the PBX is not told again.
        #expect(machine.handle(.pbxEnded(id), nowMilliseconds: 30_000) == [.stopAudio, .setHook(.onHook)])
    }

    @Test func aCommaPausesDialling() {
        var machine = upMachine(LineOptions(incomingExtension: "200", predialDelayMilliseconds: 0, pauseMilliseconds: 2_000))
        _ = machine.handle(.outgoingRequested(digits: "9,1"), nowMilliseconds: 0)
        _ = machine.handle(.callProgress(.dialTone), nowMilliseconds: 0)
        #expect(machine.tick(nowMilliseconds: 0) == [.sendDigit("9", milliseconds: 100)])
        #expect(machine.tick(nowMilliseconds: 2_199) == [])
        #expect(machine.tick(nowMilliseconds: 2_200) == [.sendDigit("1", milliseconds: 100)])
    }

    @Test func noDialToneFailsWithAClearCause() {
        var machine = upMachine()
        let id = LineCallID(1)
        _ = machine.handle(.outgoingRequested(digits: "112"), nowMilliseconds: 0)
        #expect(machine.nextDeadlineMilliseconds == 5_000)
        #expect(machine.tick(nowMilliseconds: 4_999) == [])
        #expect(machine.tick(nowMilliseconds: 5_000) == [.endCall(id, .noDialTone), .stopAudio, .setHook(.onHook)])
        #expect(LineEndCause.noDialTone.rawValue == "no dial tone")
        #expect(LineEndCause.noDialTone.sipStatus == 503)
        #expect(machine.state == .clearing)
    }

    @Test func busyToneAfterDiallingEndsTheCall() {
        var machine = upMachine(LineOptions(incomingExtension: "200", predialDelayMilliseconds: 0))
        _ = machine.handle(.outgoingRequested(digits: "5"), nowMilliseconds: 0)
        _ = machine.handle(.callProgress(.dialTone), nowMilliseconds: 100)
        _ = machine.tick(nowMilliseconds: 100)
        #expect(machine.tick(nowMilliseconds: 300) == [.outgoingConnected(LineCallID(1))])
        #expect(machine.handle(.callProgress(.ringback), nowMilliseconds: 1_000) == [])
        #expect(machine.handle(.callProgress(.reorder), nowMilliseconds: 2_000) == [.endCall(LineCallID(1), .reorderTone), .stopAudio, .setHook(.onHook)])
    }

    @Test func aPBXCallWhileTheLineIsInUseGets486() {
        var machine = upMachine()
        _ = machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150)
        let ringing = machine.handle(.outgoingRequested(digits: "911"), nowMilliseconds: 200)
        #expect(ringing == [.rejectOutgoing(LineCallID(1), .lineBusy)])
        #expect(LineEndCause.lineBusy.sipStatus == 486)
        #expect(machine.state == .ringing)

        var connected = upMachine()
        _ = connected.handle(.outgoingRequested(digits: "1"), nowMilliseconds: 0)
        #expect(connected.handle(.outgoingRequested(digits: "2"), nowMilliseconds: 10) == [.rejectOutgoing(LineCallID(2), .lineBusy)])
        #expect(connected.state == .awaitingDialTone(LineCallID(1)))
    }

    @Test func aRequestWhileClearingIsSeizedAfterTheGuardTime() {
        var machine = upMachine()
        _ = machine.handle(.outgoingRequested(digits: "1"), nowMilliseconds: 0)
        _ = machine.handle(.pbxEnded(LineCallID(1)), nowMilliseconds: 500)
        #expect(machine.handle(.outgoingRequested(digits: "911"), nowMilliseconds: 600) == [.outgoingAccepted(LineCallID(2))])
        #expect(machine.tick(nowMilliseconds: 1_500) == [.setHook(.offHook), .startAudio])
        #expect(machine.state == .awaitingDialTone(LineCallID(2)))
        #expect(machine.nextDeadlineMilliseconds == 6_500)
    }

    @Test func invalidDialStringsAreRefused() {
        var machine = upMachine()
        for digits in ["", ",,", "12x4", String(repeating: "1", count: 65), "９１１"] {
            let actions = machine.handle(.outgoingRequested(digits: digits), nowMilliseconds: 0)
            guard case .rejectOutgoing(_, .invalidNumber)? = actions.first, actions.count == 1 else {
                Issue.record("\(digits.debugDescription) gave \(actions)")
                continue
            }
        }
        #expect(machine.state == .idle)
        // Lower-case a-d are DTMF digits too.
        #expect(machine.handle(.outgoingRequested(digits: "*12#d"), nowMilliseconds: 0).first == .outgoingAccepted(LineCallID(6)))
    }

    @Test func losingTheAudioDeviceMidCallEndsItAndTheLineGoesDown() {
        var machine = upMachine()
        _ = machine.handle(.ring(.ringStarted(number: 1, atMilliseconds: 0)), nowMilliseconds: 150)
        _ = machine.handle(.callerID(CallerID(number: "1")), nowMilliseconds: 3_000)
        _ = machine.handle(.pbxAnswered(LineCallID(1)), nowMilliseconds: 4_000)
        let actions = machine.handle(.audioDevice(up: false), nowMilliseconds: 5_000)
        #expect(actions == [.endCall(LineCallID(1), .lineDown), .stopAudio, .setHook(.onHook), .activityChanged(.down)])
        #expect(machine.handle(.hardwareFault("gpio write failed"), nowMilliseconds: 5_100) == [])
        #expect(machine.state == .down(LineDownReason(noAudioDevice: true, hardwareFault: "gpio write failed")))
        // Both must clear before the line is up again.
        #expect(machine.handle(.audioDevice(up: true), nowMilliseconds: 6_000) == [])
        #expect(machine.handle(.hardwareFault(nil), nowMilliseconds: 6_100) == [.activityChanged(.idle)])
    }

    @Test func impossibleEventsAreIgnoredWithAReason() {
        var machine = upMachine()
        let events: [LineEvent] = [
            .pbxAnswered(LineCallID(42)), .pbxEnded(LineCallID(42)), .callerID(CallerID(number: "1")),
            .callProgress(.dialTone), .callProgress(.busy), .polarityReversed,
        ]
        for event in events {
            let actions = machine.handle(event, nowMilliseconds: 0)
            guard actions.count == 1, case .ignored(let dropped, let reason) = actions[0] else {
                Issue.record("\(event) gave \(actions)")
                continue
            }
            #expect(dropped == event)
            #expect(!reason.isEmpty)
        }
        #expect(machine.state == .idle)
    }

    @Test func polarityReversalClearsWhereTheExchangeSignalsItSo() {
        var machine = upMachine(LineOptions(incomingExtension: "200", predialDelayMilliseconds: 0, polarityReversalClears: true))
        _ = machine.handle(.outgoingRequested(digits: "5"), nowMilliseconds: 0)
        _ = machine.handle(.callProgress(.dialTone), nowMilliseconds: 100)
        _ = machine.tick(nowMilliseconds: 400)
        #expect(machine.handle(.polarityReversed, nowMilliseconds: 9_000) == [.endCall(LineCallID(1), .farEndCleared), .stopAudio, .setHook(.onHook)])
    }

    /// Random events never crash, and the hook is closed exactly in the states that hold the line.
    @Test func randomEventsKeepTheHookConsistentWithTheState() {
        var rng = SplitMix(seed: 8)
        for _ in 0..<200 {
            var machine = LineStateMachine(options: LineOptions(incomingExtension: "200", callerIDBeforeRing: rng.next() % 2 == 0))
            var hookOff = false
            var now: Int64 = 0
            for _ in 0..<200 {
                now += Int64(rng.next() % 3_000)
                let id = LineCallID(1 + rng.next() % 4)
                let events: [LineEvent] = [
                    .ring(.ringStarted(number: Int(rng.next() % 3) + 1, atMilliseconds: now)), .ring(.ringingStopped(rings: 1, atMilliseconds: now)),
                    .polarityReversed, .callerID(CallerID(number: "1")), .callProgress(.dialTone), .callProgress(.busy),
                    .callProgress(.reorder), .callProgress(.silence), .pbxAnswered(id), .pbxEnded(id),
                    .outgoingRequested(digits: "911"), .audioDevice(up: rng.next() % 4 != 0), .hardwareFault(rng.next() % 8 == 0 ? "x" : nil),
                ]
                let actions = rng.next() % 4 == 0 ? machine.tick(nowMilliseconds: now)
                                                   : machine.handle(events[Int(rng.next() % UInt64(events.count))], nowMilliseconds: now)
                for case .setHook(let hook) in actions { hookOff = hook == .offHook }
                switch machine.state {
                case .awaitingDialTone, .dialling, .connected: #expect(hookOff, "\(machine.state)")
                default: #expect(!hookOff, "\(machine.state)")
                }
            }
        }
    }
}

/// A small deterministic generator for the random test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
