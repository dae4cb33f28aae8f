// CallProgressTone: what CallProgressDetector hears on the line (dial tone, ringback, busy, reorder, silence).

/// A call-progress classification of line audio.
public enum CallProgressTone: String, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    /// Continuous dial tone: the line is seized and ready for digits.
    case dialTone = "dial-tone"
    /// Ringback (audible ringing): the far end is being alerted.
    case ringback
    /// Busy: the far end is engaged, or has hung up.
    case busy
    /// Reorder (congestion, "equipment engaged"): the network cannot complete or has cleared the call.
    case reorder
    /// No signal above the detector's floor for the configured time.
    case silence
    /// Nothing recognised (speech, noise, an unknown tone, or too little heard yet).
    case unclassified
}
