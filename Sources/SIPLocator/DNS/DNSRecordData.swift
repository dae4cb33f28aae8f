// DNSRecordData: the typed RDATA of a resource record (RFC 1035 §3.3, §3.4.1; RFC 3596; RFC 2782; RFC 3403).

/// A record's data, decoded for the types the locator reads; everything else is kept as raw octets.
public enum DNSRecordData: Hashable, Sendable, CustomStringConvertible {
    case a(IPv4Address)
    case aaaa(IPv6Address)
    case cname(DNSName)
    case srv(DNSSRVRecord)
    case naptr(DNSNAPTRRecord)
    /// RDATA of any other type (or class), uninterpreted. Names inside it may be compression
    /// pointers into the message they came from.
    case unknown([UInt8])

    /// The record type this data belongs to; nil for `unknown`.
    public var recordType: DNSRecordType? {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .cname: .cname
        case .srv: .srv
        case .naptr: .naptr
        case .unknown: nil
        }
    }

    /// The address an A or AAAA record carries.
    public var address: IPAddress? {
        switch self {
        case .a(let a): .v4(a)
        case .aaaa(let a): .v6(a)
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .a(let a): a.description
        case .aaaa(let a): a.description
        case .cname(let name): name.description
        case .srv(let srv): srv.description
        case .naptr(let naptr): naptr.description
        case .unknown(let bytes): "\\# \(bytes.count)"
        }
    }
}
