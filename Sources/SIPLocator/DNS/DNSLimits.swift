// DNSLimits: the named bounds the DNS codec enforces (RFC 1035 §2.3.4, §4.1.4; RFC 1035 §4.2.2 for TCP size).

/// Upper bounds applied while decoding and encoding DNS messages. Exceeding one is a `DNSError`,
/// never a trap, so a hostile or broken answer costs little.
public enum DNSLimits {
    /// Longest domain name on the wire, length octets and the root octet included (RFC 1035 §2.3.4).
    public static let maxNameLength = 255
    /// Longest single label (RFC 1035 §2.3.4).
    public static let maxLabelLength = 63
    /// Most compression pointers followed while reading one name; more is treated as a loop.
    public static let maxPointerHops = 32
    /// Largest message: the most a TCP length prefix can announce (RFC 1035 §4.2.2).
    public static let maxMessageSize = 65_535
    /// Most entries in the question section.
    public static let maxQuestions = 16
    /// Most resource records over the answer, authority and additional sections together.
    public static let maxRecords = 512
    /// Most CNAME links followed when collecting the records that answer a question.
    public static let maxCNAMEChain = 8
    /// Longest character-string (RFC 1035 §3.3): one length octet.
    public static let maxCharacterStringLength = 255
}
