// SDPLimits: size bounds the SDP parser (RFC 8866) enforces so hostile bodies cannot exhaust memory or time.

/// Upper bounds applied while parsing an SDP body. Anything beyond them is refused with a
/// `SIPParseError` rather than processed.
public enum SDPLimits {
    /// Largest SDP body accepted, in bytes.
    public static let maxBodyBytes = 65_536
    /// Most lines (`x=...`) in one body.
    public static let maxLines = 1_024
    /// Longest line, in bytes, not counting its line end.
    public static let maxLineLength = 4_096
    /// Most media sections (`m=` lines) in one body.
    public static let maxMediaSections = 32
    /// Most `a=` lines in the session section or in one media section.
    public static let maxAttributesPerSection = 256
    /// Most formats listed on one `m=` line.
    public static let maxFormatsPerMedia = 128
    /// Most `t=` lines in one body.
    public static let maxTimings = 16
    /// Most `r=` lines following one `t=` line.
    public static let maxRepeatsPerTiming = 16
    /// Most key parameters (`inline:...;inline:...`) on one `a=crypto` line.
    public static let maxCryptoKeyParameters = 16
    /// Most decimal digits accepted in one numeric field (enough for any `UInt64`).
    public static let maxNumberDigits = 20
}
