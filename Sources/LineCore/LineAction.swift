// LineAction: what the line state machine asks its driver to do: hook relay, audio, DTMF, PBX signalling, LEDs.

/// The hook relay: closed takes the line off hook (answer or seize), open hangs up.
public enum LineHook: String, Sendable, Hashable {
    case onHook = "on hook"
    case offHook = "off hook"
}

/// Why a line call ended or was refused, with the SIP status the PBX leg gets when it has no answer yet.
public enum LineEndCause: String, Sendable, Hashable {
    /// The line is in use (ringing, or another call): a PBX call gets 486.
    case lineBusy = "line busy"
    /// No audio device or a hardware fault.
    case lineDown = "line down"
    /// Seized the line and heard no dial tone in time.
    case noDialTone = "no dial tone"
    /// Busy tone on the line: the called party is busy, or the far end hung up during the call.
    case busyTone = "busy tone"
    /// Reorder (congestion / number unobtainable) tone on the line.
    case reorderTone = "reorder tone"
    /// Silence for the detector's limit while connected (the far end left without a tone).
    case silence = "silence"
    /// Polarity reversal during the call where the exchange signals clearing that way.
    case farEndCleared = "far end cleared"
    /// Ringing stopped before the PBX answered: the caller gave up.
    case callerGaveUp = "caller gave up"
    /// The requested digits are empty or hold characters DTMF cannot send.
    case invalidNumber = "invalid number"

    /// The SIP final response for a PBX leg that has not been answered yet (a BYE or CANCEL otherwise).
    public var sipStatus: Int {
        switch self {
        case .lineBusy, .busyTone: 486
        case .lineDown, .noDialTone, .reorderTone, .silence, .farEndCleared: 503
        case .callerGaveUp: 487
        case .invalidNumber: 484
        }
    }
}

/// What the line is doing, for LEDs and status.
public enum LineActivity: String, Sendable, Hashable {
    case down, idle, ringing
    case inUse = "in use"
}

/// One step for the driver, in order.
public enum LineAction: Sendable, Hashable {
    /// Drive the hook relay.
    case setHook(LineHook)
    /// Connect the line's audio (ALSA capture and playback, DSP) to the call / disconnect it.
    case startAudio
    case stopAudio
    /// Run the caller-ID decoder on the line audio (on hook, between rings) / stop it.
    case listenForCallerID(Bool)
    /// Play one DTMF digit on the line for this long (the machine times the gaps).
    case sendDigit(Character, milliseconds: Int64)
    /// Offer an incoming line call to the PBX extension with the caller ID heard (if any).
    case offerCall(LineCallID, extension: String, callerID: CallerID?)
    /// The PBX's request for an outgoing call got this call number; the line is being seized.
    case outgoingAccepted(LineCallID)
    /// The PBX's request for an outgoing call is refused (the PBX leg gets `cause.sipStatus`).
    case rejectOutgoing(LineCallID, LineEndCause)
    /// The digits are dialled: the outgoing call is through (the PBX leg gets 200 OK).
    case outgoingConnected(LineCallID)
    /// End the PBX leg of this call: a final error or CANCEL if unanswered, BYE otherwise.
    case endCall(LineCallID, LineEndCause)
    /// The line's activity changed (drives the line LED).
    case activityChanged(LineActivity)
    /// An event that makes no sense in the current state was dropped; the reason is for the log.
    case ignored(LineEvent, reason: String)
}
