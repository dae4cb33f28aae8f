// LineOptions: timings and behaviour of the line state machine (caller-ID wait, dial tone timeout, DTMF timing, guard time).

/// How the line behaves. Times in milliseconds.
public struct LineOptions: Sendable, Hashable {
    /// The PBX extension a ringing line is offered to; nil: the line takes no incoming calls.
    public var incomingExtension: String?
    /// Wait for caller ID (until it is decoded or the second ring starts) before offering.
    public var waitForCallerID: Bool
    /// Offer anyway this long after the first ring started if neither caller ID nor a second ring came.
    public var callerIDWaitMilliseconds: Int64
    /// Caller ID comes before the first ring, announced by a polarity reversal (BT SIN 227, UK).
    public var callerIDBeforeRing: Bool
    /// How long to listen for caller ID after such a reversal when no ring follows.
    public var callerIDAlertMilliseconds: Int64
    /// Seized line without dial tone for this long fails with `noDialTone`.
    public var dialToneTimeoutMilliseconds: Int64
    /// Pause between hearing dial tone and the first digit.
    public var predialDelayMilliseconds: Int64
    /// DTMF tone length and the gap after each digit.
    public var dtmfToneMilliseconds: Int64
    public var dtmfGapMilliseconds: Int64
    /// A comma in the digits waits this long.
    public var pauseMilliseconds: Int64
    /// After hanging up, the line rests this long before it can be seized again.
    public var clearGuardMilliseconds: Int64
    /// Silence reported by the DSP while connected ends the call.
    public var clearOnSilence: Bool
    /// A polarity reversal while connected means the far end cleared (exchanges that signal it so).
    public var polarityReversalClears: Bool

    public init(incomingExtension: String? = nil, waitForCallerID: Bool = true, callerIDWaitMilliseconds: Int64 = 7_000,
                callerIDBeforeRing: Bool = false, callerIDAlertMilliseconds: Int64 = 5_000,
                dialToneTimeoutMilliseconds: Int64 = 5_000, predialDelayMilliseconds: Int64 = 300,
                dtmfToneMilliseconds: Int64 = 100, dtmfGapMilliseconds: Int64 = 100, pauseMilliseconds: Int64 = 2_000,
                clearGuardMilliseconds: Int64 = 1_000, clearOnSilence: Bool = false, polarityReversalClears: Bool = false) {
        self.incomingExtension = incomingExtension
        self.waitForCallerID = waitForCallerID
        self.callerIDWaitMilliseconds = max(0, callerIDWaitMilliseconds)
        self.callerIDBeforeRing = callerIDBeforeRing
        self.callerIDAlertMilliseconds = max(0, callerIDAlertMilliseconds)
        self.dialToneTimeoutMilliseconds = max(1, dialToneTimeoutMilliseconds)
        self.predialDelayMilliseconds = max(0, predialDelayMilliseconds)
        self.dtmfToneMilliseconds = max(40, dtmfToneMilliseconds)
        self.dtmfGapMilliseconds = max(40, dtmfGapMilliseconds)
        self.pauseMilliseconds = max(0, pauseMilliseconds)
        self.clearGuardMilliseconds = max(0, clearGuardMilliseconds)
        self.clearOnSilence = clearOnSilence
        self.polarityReversalClears = polarityReversalClears
    }
}
