// SIPLimits: the named bounds every SIP parser in SIPCore enforces, so hostile input costs little.

/// Bounds on what the parsers accept. Exceeding one is a parse error that names the limit.
public enum SIPLimits {
    /// Largest message, start line and headers and body, on any transport (a UDP datagram is smaller still).
    public static let maxMessageBytes = 65_536
    /// Largest body (Content-Length).
    public static let maxBodyBytes = 65_536
    /// Most header lines in one message. Generous: a stress message of 5,000 short headers must still parse.
    public static let maxHeaderFields = 6_000
    /// Longest start line or header (after unfolding).
    public static let maxLineBytes = 16_384
    /// Longest URI.
    public static let maxURIBytes = 8_192
    /// Most parameters on one URI or one header value.
    public static let maxParameters = 64
    /// Most `?name=value` headers on one URI.
    public static let maxURIHeaders = 32
    /// Most comma-separated values in one header line.
    public static let maxListValues = 256
    /// Most Via values in a message (a message that crossed more proxies than Max-Forwards allows is bogus).
    public static let maxVias = 128
}
