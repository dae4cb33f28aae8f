// LineState: the states of the FXO line, from down and idle through ringing and offering, seizing, dialling, connected and clearing.

/// Why the line cannot be used.
public struct LineDownReason: Sendable, Hashable, CustomStringConvertible {
    /// The ALSA device is missing (not yet opened, or vanished).
    public var noAudioDevice: Bool
    /// A GPIO fault, as reported.
    public var hardwareFault: String?

    public init(noAudioDevice: Bool = false, hardwareFault: String? = nil) {
        self.noAudioDevice = noAudioDevice
        self.hardwareFault = hardwareFault
    }

    public var isDown: Bool { noAudioDevice || hardwareFault != nil }

    public var description: String {
        var parts: [String] = []
        if noAudioDevice { parts.append("no audio device") }
        if let hardwareFault { parts.append("hardware fault: \(hardwareFault)") }
        return parts.isEmpty ? "up" : parts.joined(separator: "; ")
    }
}

/// Which way a call on the line goes.
public enum LineCallDirection: String, Sendable, Hashable {
    case incoming, outgoing
}

/// A state of `LineStateMachine`.
public enum LineState: Sendable, Hashable {
    /// Unusable: no audio device or a hardware fault. Hook open.
    case down(LineDownReason)
    /// On hook, nothing happening.
    case idle
    /// A polarity reversal announced caller ID before the first ring (UK): listening for it.
    case callerIDAlert
    /// Ringing, not yet offered: collecting caller ID between the first and second ring.
    case ringing
    /// Offered to the PBX; the line still rings and stays on hook until the PBX answers.
    case offering(LineCallID)
    /// Ringing that will not be delivered (no extension, or the PBX refused): waiting for it to stop.
    case declined
    /// Outgoing: hook relay closed (line seized), waiting for dial tone.
    case awaitingDialTone(LineCallID)
    /// Outgoing: sending the digits as DTMF.
    case dialling(LineCallID)
    /// Off hook with audio through.
    case connected(LineCallID, LineCallDirection)
    /// Hook relay open again; a guard time before the line may be seized or rung.
    case clearing

    /// The call on the line in this state, if any.
    public var callID: LineCallID? {
        switch self {
        case .offering(let id), .awaitingDialTone(let id), .dialling(let id), .connected(let id, _): id
        case .down, .idle, .callerIDAlert, .ringing, .declined, .clearing: nil
        }
    }

    /// The activity shown on the line LED.
    public var activity: LineActivity {
        switch self {
        case .down: .down
        case .idle: .idle
        case .callerIDAlert, .ringing, .offering, .declined: .ringing
        case .awaitingDialTone, .dialling, .connected, .clearing: .inUse
        }
    }
}

extension LineState {
    /// The state in an installer's words (`show status`).
    public var name: String {
        switch self {
        case .down(let why): "down (\(why))"
        case .idle: "idle"
        case .callerIDAlert: "listening for caller ID"
        case .ringing: "ringing"
        case .offering: "ringing, offered to the PBX"
        case .declined: "ringing (declined)"
        case .awaitingDialTone: "off hook, waiting for dial tone"
        case .dialling: "dialling"
        case .connected(_, let direction): "in a call (\(direction == .incoming ? "incoming" : "outgoing"))"
        case .clearing: "hanging up"
        }
    }
}
