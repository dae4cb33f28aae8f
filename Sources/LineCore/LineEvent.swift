// LineEvent: everything that happens to the analog line: ring detector output, polarity, caller ID, DSP tones, PBX side, audio device.

/// A call on the line, numbered by the state machine (incoming offers and outgoing requests alike).
public struct LineCallID: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "line-call-\(value)" }
}

/// What the call-progress detector heard on the line.
public enum CallProgressTone: String, Sendable, Hashable {
    case dialTone = "dial tone"
    case busy = "busy tone"
    case reorder = "reorder tone"
    /// No audio energy for the detector's configured time.
    case silence
    case ringback
}

/// An input to `LineStateMachine`.
public enum LineEvent: Sendable, Hashable {
    /// From `RingDetector`.
    case ring(RingEvent)
    /// The polarity-reversal input changed (battery reversal by the exchange).
    case polarityReversed
    /// The caller-ID decoder finished a message.
    case callerID(CallerID)
    /// The call-progress detector heard a tone (or silence).
    case callProgress(CallProgressTone)
    /// The PBX answered the incoming call that was offered.
    case pbxAnswered(LineCallID)
    /// The PBX leg of this call ended (BYE, CANCEL, a final error to the offer).
    case pbxEnded(LineCallID)
    /// The PBX asks for a call out over the line to these digits (0-9 * # A-D; a comma pauses).
    case outgoingRequested(digits: String)
    /// The line's ALSA device opened (true) or vanished (false).
    case audioDevice(up: Bool)
    /// A hardware fault (GPIO request or write failed), or nil when it is cleared.
    case hardwareFault(String?)
}
