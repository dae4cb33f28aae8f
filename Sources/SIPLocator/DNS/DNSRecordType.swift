// DNSRecordType: the TYPE field of questions and records (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 3403).

/// A record type. Any 16-bit value is representable; the named ones are those the locator reads.
public struct DNSRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSRecordType(rawValue: 1)
    public static let ns = DNSRecordType(rawValue: 2)
    public static let cname = DNSRecordType(rawValue: 5)
    public static let soa = DNSRecordType(rawValue: 6)
    public static let ptr = DNSRecordType(rawValue: 12)
    public static let aaaa = DNSRecordType(rawValue: 28)
    public static let srv = DNSRecordType(rawValue: 33)
    public static let naptr = DNSRecordType(rawValue: 35)
    public static let opt = DNSRecordType(rawValue: 41)

    /// The mnemonic, or `TYPEn` (RFC 3597 §5) for types without one here.
    public var description: String {
        switch rawValue {
        case 1: "A"
        case 2: "NS"
        case 5: "CNAME"
        case 6: "SOA"
        case 12: "PTR"
        case 28: "AAAA"
        case 33: "SRV"
        case 35: "NAPTR"
        case 41: "OPT"
        default: "TYPE\(rawValue)"
        }
    }
}
