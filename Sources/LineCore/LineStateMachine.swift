// LineStateMachine: the FXO line: rings become PBX offers, PBX requests seize and dial, tones on the line clear calls.

/// The analog line as a value: events in, actions out, time passed in as milliseconds. It starts
/// `down` (no audio device) until `.audioDevice(up: true)`. Events that make no sense in the current
/// state produce `.ignored(event, reason:)` and change nothing; expected noise (ring ends, rings while
/// an offer is pending) is absorbed silently. Call `tick` at `nextDeadlineMilliseconds`.
public struct LineStateMachine: Sendable {
    public let options: LineOptions
    public private(set) var state: LineState
    /// The caller ID heard for the current incoming call.
    public private(set) var callerID: CallerID?

    private var downReason = LineDownReason(noAudioDevice: true)
    private var deadline: Int64?
    private var now: Int64 = .min
    private var nextCall: UInt64 = 1
    private var listening = false
    private var digits: [Character] = []
    private var digitIndex = 0
    private var pendingOutgoing: (id: LineCallID, digits: [Character])?

    /// Characters a dial string may hold: DTMF digits and a comma for a pause.
    public static let dialCharacters: Set<Character> = Set("0123456789*#ABCD,")
    /// The longest dial string accepted.
    public static let maxDigits = 64

    public init(options: LineOptions = LineOptions()) {
        self.options = options
        self.state = .down(downReason)
    }

    /// When `tick` next has something to do (nil: nothing until an event).
    public var nextDeadlineMilliseconds: Int64? { deadline }

    /// Time has passed: fires the state's timer when it is due.
    public mutating func tick(nowMilliseconds: Int64) -> [LineAction] {
        let before = state.activity
        var actions: [LineAction] = []
        advance(to: nowMilliseconds, into: &actions)
        noteActivity(from: before, into: &actions)
        return actions
    }

    /// One event at `nowMilliseconds` (a due timer runs first).
    public mutating func handle(_ event: LineEvent, nowMilliseconds: Int64) -> [LineAction] {
        let before = state.activity
        var actions: [LineAction] = []
        advance(to: nowMilliseconds, into: &actions)
        dispatch(event, into: &actions)
        noteActivity(from: before, into: &actions)
        return actions
    }

    // MARK: events

    private mutating func dispatch(_ event: LineEvent, into actions: inout [LineAction]) {
        switch event {
        case .audioDevice(let up):
            downReason.noAudioDevice = !up
            reconsiderDown(into: &actions)
        case .hardwareFault(let fault):
            downReason.hardwareFault = fault
            reconsiderDown(into: &actions)
        case .ring(let ring):
            handleRing(ring, event, into: &actions)
        case .polarityReversed:
            handlePolarity(event, into: &actions)
        case .callerID(let heard):
            switch state {
            case .callerIDAlert:
                callerID = heard
            case .ringing:
                callerID = heard
                offer(into: &actions)
            case .offering:
                actions.append(.ignored(event, reason: "caller ID arrived after the call was offered"))
            default:
                actions.append(.ignored(event, reason: "caller ID while \(state.activity.rawValue)"))
            }
        case .callProgress(let tone):
            handleTone(tone, event, into: &actions)
        case .pbxAnswered(let id):
            guard case .offering(id) = state else {
                actions.append(.ignored(event, reason: "\(id) is not being offered"))
                return
            }
            actions += [.setHook(.offHook), .startAudio]
            stopListening(into: &actions)
            state = .connected(id, .incoming)
        case .pbxEnded(let id):
            handlePBXEnded(id, event, into: &actions)
        case .outgoingRequested(let dialString):
            handleOutgoing(dialString, into: &actions)
        }
    }

    private mutating func handleRing(_ ring: RingEvent, _ event: LineEvent, into actions: inout [LineAction]) {
        switch ring {
        case .ringStarted(let number, _):
            switch state {
            case .idle, .callerIDAlert:
                startRinging(into: &actions)
            case .ringing:
                if number >= 2 { offer(into: &actions) }
            case .offering, .declined:
                break
            case .down:
                actions.append(.ignored(event, reason: "ring while the line is down (\(downReason))"))
            case .awaitingDialTone, .dialling, .connected, .clearing:
                actions.append(.ignored(event, reason: "ring while the line is off hook or clearing"))
            }
        case .ringEnded:
            break
        case .ringingStopped:
            switch state {
            case .ringing:
                stopListening(into: &actions)
                state = .idle
            case .offering(let id):
                actions.append(.endCall(id, .callerGaveUp))
                state = .idle
            case .declined:
                state = .idle
            default:
                break  // ringing ends on its own after the line is answered
            }
        }
    }

    private mutating func handlePolarity(_ event: LineEvent, into actions: inout [LineAction]) {
        switch state {
        case .idle where options.callerIDBeforeRing:
            startListening(into: &actions)
            state = .callerIDAlert
            deadline = now + options.callerIDAlertMilliseconds
        case .connected(let id, _) where options.polarityReversalClears:
            clear(id, .farEndCleared, into: &actions)
        default:
            actions.append(.ignored(event, reason: "polarity reversal has no meaning while \(state.activity.rawValue)"))
        }
    }

    private mutating func handleTone(_ tone: CallProgressTone, _ event: LineEvent, into actions: inout [LineAction]) {
        switch (state, tone) {
        case (.awaitingDialTone(let id), .dialTone):
            state = .dialling(id)
            digitIndex = 0
            deadline = now + options.predialDelayMilliseconds
        case (.awaitingDialTone(let id), .busy), (.dialling(let id), .busy), (.connected(let id, _), .busy):
            clear(id, .busyTone, into: &actions)
        case (.awaitingDialTone(let id), .reorder), (.dialling(let id), .reorder), (.connected(let id, _), .reorder):
            clear(id, .reorderTone, into: &actions)
        case (.connected(let id, _), .silence):
            if options.clearOnSilence {
                clear(id, .silence, into: &actions)
            } else {
                actions.append(.ignored(event, reason: "silence does not clear calls (clear-on-silence is off)"))
            }
        case (.connected(let id, _), .dialTone):
            clear(id, .farEndCleared, into: &actions)  // the exchange took the line back
        case (.dialling, .dialTone), (.connected, .ringback), (.dialling, .ringback):
            break  // dial tone still heard under the first digit; ringback while the far end rings
        default:
            actions.append(.ignored(event, reason: "\(tone.rawValue) while \(describe(state))"))
        }
    }

    private mutating func handlePBXEnded(_ id: LineCallID, _ event: LineEvent, into actions: inout [LineAction]) {
        switch state {
        case .offering(id):
            state = .declined  // the line rings on; it is not offered again
        case .awaitingDialTone(id), .dialling(id), .connected(id, _):
            hangUp(into: &actions)
        case .clearing where pendingOutgoing?.id == id:
            pendingOutgoing = nil
        default:
            actions.append(.ignored(event, reason: "\(id) is not on the line"))
        }
    }

    private mutating func handleOutgoing(_ dialString: String, into actions: inout [LineAction]) {
        let id = LineCallID(nextCall)
        nextCall += 1
        let dial = Array(dialString.uppercased())
        guard !dial.isEmpty, dial.count <= Self.maxDigits, dial.allSatisfy(Self.dialCharacters.contains), dial.contains(where: { $0 != "," }) else {
            actions.append(.rejectOutgoing(id, .invalidNumber))
            return
        }
        switch state {
        case .idle:
            seize(id, dial, into: &actions)
        case .clearing where pendingOutgoing == nil:
            pendingOutgoing = (id, dial)  // seized as soon as the guard time is over
            actions.append(.outgoingAccepted(id))
        case .down:
            actions.append(.rejectOutgoing(id, .lineDown))
        default:
            actions.append(.rejectOutgoing(id, .lineBusy))
        }
    }

    // MARK: timers

    private mutating func advance(to time: Int64, into actions: inout [LineAction]) {
        now = max(now, time)
        while let due = deadline, due <= now {
            deadline = nil
            fire(at: due, into: &actions)
        }
    }

    private mutating func fire(at due: Int64, into actions: inout [LineAction]) {
        switch state {
        case .callerIDAlert:
            stopListening(into: &actions)
            callerID = nil
            state = .idle
        case .ringing:
            offer(into: &actions)
        case .awaitingDialTone(let id):
            clear(id, .noDialTone, into: &actions, at: due)
        case .dialling(let id):
            while digitIndex < digits.count, digits[digitIndex] == "," {
                digitIndex += 1
                deadline = (deadline ?? due) + options.pauseMilliseconds
            }
            if let pause = deadline {  // a pause: come back after it
                deadline = pause
                return
            }
            if digitIndex < digits.count {
                actions.append(.sendDigit(digits[digitIndex], milliseconds: options.dtmfToneMilliseconds))
                digitIndex += 1
                deadline = due + options.dtmfToneMilliseconds + options.dtmfGapMilliseconds
            } else {
                state = .connected(id, .outgoing)
                actions.append(.outgoingConnected(id))
            }
        case .clearing:
            state = .idle
            if let pending = pendingOutgoing {
                pendingOutgoing = nil
                seize(pending.id, pending.digits, into: &actions, announce: false, at: due)
            }
        case .down, .idle, .offering, .declined, .connected:
            break
        }
    }

    // MARK: steps

    private mutating func startRinging(into actions: inout [LineAction]) {
        if state != .callerIDAlert { callerID = nil }
        guard options.incomingExtension != nil else {
            stopListening(into: &actions)
            state = .declined
            deadline = nil
            return
        }
        state = .ringing
        if options.waitForCallerID && callerID == nil {
            startListening(into: &actions)
            deadline = now + options.callerIDWaitMilliseconds
        } else {
            offer(into: &actions)
        }
    }

    private mutating func offer(into actions: inout [LineAction]) {
        deadline = nil
        stopListening(into: &actions)
        guard let ext = options.incomingExtension else {
            state = .declined
            return
        }
        let id = LineCallID(nextCall)
        nextCall += 1
        state = .offering(id)
        actions.append(.offerCall(id, extension: ext, callerID: callerID))
    }

    private mutating func seize(_ id: LineCallID, _ dial: [Character], into actions: inout [LineAction], announce: Bool = true, at time: Int64? = nil) {
        if announce { actions.append(.outgoingAccepted(id)) }
        actions += [.setHook(.offHook), .startAudio]
        digits = dial
        digitIndex = 0
        state = .awaitingDialTone(id)
        deadline = (time ?? now) + options.dialToneTimeoutMilliseconds
    }

    /// Hangs up a call the line side ended and tells the PBX why.
    private mutating func clear(_ id: LineCallID, _ cause: LineEndCause, into actions: inout [LineAction], at time: Int64? = nil) {
        actions.append(.endCall(id, cause))
        hangUp(into: &actions, at: time)
    }

    private mutating func hangUp(into actions: inout [LineAction], at time: Int64? = nil) {
        actions += [.stopAudio, .setHook(.onHook)]
        state = .clearing
        deadline = (time ?? now) + options.clearGuardMilliseconds
    }

    private mutating func reconsiderDown(into actions: inout [LineAction]) {
        guard downReason.isDown else {
            if case .down = state { state = .idle }
            return
        }
        switch state {
        case .offering(let id):
            actions.append(.endCall(id, .lineDown))
        case .awaitingDialTone(let id), .dialling(let id), .connected(let id, _):
            actions += [.endCall(id, .lineDown), .stopAudio, .setHook(.onHook)]
        case .clearing:
            if let pending = pendingOutgoing { actions.append(.endCall(pending.id, .lineDown)) }
        case .down, .idle, .callerIDAlert, .ringing, .declined:
            break
        }
        pendingOutgoing = nil
        stopListening(into: &actions)
        deadline = nil
        state = .down(downReason)
    }

    private mutating func startListening(into actions: inout [LineAction]) {
        guard !listening else { return }
        listening = true
        actions.append(.listenForCallerID(true))
    }

    private mutating func stopListening(into actions: inout [LineAction]) {
        guard listening else { return }
        listening = false
        actions.append(.listenForCallerID(false))
    }

    private func noteActivity(from before: LineActivity, into actions: inout [LineAction]) {
        if state.activity != before { actions.append(.activityChanged(state.activity)) }
    }

    private func describe(_ state: LineState) -> String {
        switch state {
        case .down: "down"
        case .idle: "idle"
        case .callerIDAlert: "listening for caller ID"
        case .ringing: "ringing"
        case .offering: "offering"
        case .declined: "ringing (declined)"
        case .awaitingDialTone: "awaiting dial tone"
        case .dialling: "dialling"
        case .connected: "connected"
        case .clearing: "clearing"
        }
    }
}
