// DNSName: a domain name as labels, compared without regard to ASCII case (RFC 1035 §2.3.1, §3.1; RFC 4343).

/// A domain name held as its labels, most specific first; the root is no labels. The invariants of
/// RFC 1035 §2.3.4 hold for every value: no empty label, labels of at most 63 octets, at most 255
/// octets in wire form. Equality and hashing ignore ASCII case (RFC 4343 §3).
public struct DNSName: Hashable, Sendable, CustomStringConvertible {
    /// The labels as raw octets, e.g. `[_sip, _udp, example, com]`.
    public private(set) var labels: [[UInt8]]

    /// The root name, `.`; as an SRV target it means "no service here" (RFC 2782).
    public static let root = DNSName(validated: [])

    init(validated labels: [[UInt8]]) { self.labels = labels }

    /// A name from raw labels, checked against the RFC 1035 limits.
    public init(labels: [[UInt8]]) throws(DNSError) {
        var length = 1
        for label in labels {
            guard !label.isEmpty else { throw .emptyLabel }
            guard label.count <= DNSLimits.maxLabelLength else { throw .labelTooLong(length: label.count) }
            length += 1 + label.count
        }
        guard length <= DNSLimits.maxNameLength else { throw .nameTooLong(length: length) }
        self.labels = labels
    }

    /// Parses presentation form: labels separated by `.`, an optional final `.`, and the escapes
    /// `\.`, `\\` and `\DDD` (RFC 1035 §5.1). `"."` is the root.
    public init(_ text: String) throws(DNSError) {
        let bytes = Array(text.utf8)
        if bytes == [Self.dot] {
            self = .root
            return
        }
        guard !bytes.isEmpty else { throw .emptyLabel }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == Self.dot {
                guard !current.isEmpty else { throw .emptyLabel }
                labels.append(current)
                current = []
            } else if b == Self.backslash {
                i += 1
                guard i < bytes.count else { throw .invalidEscape }
                if Self.isDigit(bytes[i]) {
                    guard i + 2 < bytes.count, Self.isDigit(bytes[i + 1]), Self.isDigit(bytes[i + 2]) else {
                        throw .invalidEscape
                    }
                    let value = Int(bytes[i] - 0x30) * 100 + Int(bytes[i + 1] - 0x30) * 10 + Int(bytes[i + 2] - 0x30)
                    guard value <= 255 else { throw .invalidEscape }
                    current.append(UInt8(value))
                    i += 2
                } else {
                    current.append(bytes[i])
                }
            } else {
                current.append(b)
            }
            i += 1
        }
        if !current.isEmpty { labels.append(current) }
        try self.init(labels: labels)
    }

    public var isRoot: Bool { labels.isEmpty }

    /// Octets this name takes on the wire without compression, the final root octet included.
    public var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// This name with `label` in front, e.g. `_udp` before `example.com`.
    public func prepending(_ label: String) throws(DNSError) -> DNSName {
        try DNSName(labels: [Array(label.utf8)] + labels)
    }

    /// Presentation form without the final dot (`.` for the root); dots and backslashes inside a
    /// label and octets outside printable ASCII are escaped, so hostile names print safely.
    public var description: String {
        if labels.isEmpty { return "." }
        var out = ""
        for (n, label) in labels.enumerated() {
            if n > 0 { out += "." }
            for b in label {
                switch b {
                case Self.dot, Self.backslash:
                    out += "\\"
                    out.unicodeScalars.append(Unicode.Scalar(b))
                case 0x21...0x7E:
                    out.unicodeScalars.append(Unicode.Scalar(b))
                default:
                    let digits = String(b)
                    out += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                }
            }
        }
        return out
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.labels.count == rhs.labels.count else { return false }
        for (a, b) in zip(lhs.labels, rhs.labels) {
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where lowercase(x) != lowercase(y) { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels.count)
        for label in labels {
            hasher.combine(label.count)
            for b in label { hasher.combine(Self.lowercase(b)) }
        }
    }

    static func lowercase(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }

    private static let dot: UInt8 = 0x2E
    private static let backslash: UInt8 = 0x5C
    private static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
}
