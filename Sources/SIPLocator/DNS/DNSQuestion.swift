// DNSQuestion: one entry of the question section (RFC 1035 §4.1.2).

/// What is asked: a name, a type and a class. Equal questions compare names without regard to case.
public struct DNSQuestion: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSRecordType
    public var `class`: DNSRecordClass

    public init(name: DNSName, type: DNSRecordType, class: DNSRecordClass = .internet) {
        self.name = name
        self.type = type
        self.class = `class`
    }

    /// dig style: `name. class type`.
    public var description: String { "\(name). \(self.class) \(type)" }
}
