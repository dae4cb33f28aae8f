// DNSResourceRecord: one record of the answer, authority or additional section (RFC 1035 §4.1.3).

/// A resource record: owner name, type, class, TTL and data.
public struct DNSResourceRecord: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSRecordType
    public var `class`: DNSRecordClass
    /// Seconds the record may be cached. Decoding maps values with the top bit set to 0 (RFC 2181 §8).
    public var ttl: UInt32
    public var data: DNSRecordData

    /// A record of any type; `data` should agree with `type` (use `.unknown` for other types).
    public init(name: DNSName, type: DNSRecordType, class: DNSRecordClass = .internet, ttl: UInt32, data: DNSRecordData) {
        self.name = name
        self.type = type
        self.class = `class`
        self.ttl = ttl
        self.data = data
    }

    /// A record whose type follows from its typed data (A, AAAA, CNAME, SRV or NAPTR).
    public init(name: DNSName, ttl: UInt32, data: DNSRecordData) {
        self.init(name: name, type: data.recordType ?? DNSRecordType(rawValue: 0), ttl: ttl, data: data)
    }

    /// Zone-file style: `name ttl class type data`.
    public var description: String { "\(name). \(ttl) \(self.class) \(type) \(data)" }
}
