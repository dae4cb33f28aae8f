// DNSNAPTRRecord: the RDATA of a NAPTR record (RFC 3403 §4.1), as RFC 3263 §4.1 uses it for SIP.

/// One NAPTR record's data. The three character-strings are kept as text (decoded as UTF-8 with
/// replacement); RFC 3263 only compares `flags` and `services` against ASCII tokens.
public struct DNSNAPTRRecord: Hashable, Sendable, CustomStringConvertible {
    /// Lower is used first; `preference` breaks ties.
    public var order: UInt16
    public var preference: UInt16
    /// `s` means the replacement is an SRV owner name.
    public var flags: String
    /// For SIP: `SIP+D2U`, `SIP+D2T`, `SIPS+D2T`, ...
    public var services: String
    public var regexp: String
    public var replacement: DNSName

    public init(order: UInt16, preference: UInt16, flags: String, services: String, regexp: String, replacement: DNSName) {
        self.order = order
        self.preference = preference
        self.flags = flags
        self.services = services
        self.regexp = regexp
        self.replacement = replacement
    }

    /// Zone-file style: `order preference "flags" "services" "regexp" replacement`.
    public var description: String {
        "\(order) \(preference) \"\(flags)\" \"\(services)\" \"\(regexp)\" \(replacement)"
    }
}
