// SIPHeaders: the ordered header fields of a message (RFC 3261 §7.3), unknown ones kept verbatim.

/// One header line as received or to be sent: the name as written and the unfolded value.
public struct SIPHeaderField: Sendable, Hashable, CustomStringConvertible {
    /// The name as written (`Via`, `v`, `VIA`).
    public let name: String
    /// The value with line folding replaced by single spaces and outer whitespace trimmed.
    public var value: String
    /// The normalised name used for lookups.
    public let key: SIPHeaderName

    public init(name: String, value: String) {
        self.name = name
        self.value = value
        self.key = SIPHeaderName(name)
    }

    init(name: String, key: SIPHeaderName, value: String) {
        self.name = name
        self.value = value
        self.key = key
    }

    public var description: String { "\(name): \(value)" }
}

/// Header fields in message order. Lookups are case-insensitive and accept compact forms; a header
/// written on several lines or as a comma-separated list reads as one list through the typed views.
public struct SIPHeaders: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral {
    public private(set) var fields: [SIPHeaderField] {
        didSet { parsed = nil }
    }
    /// The typed values the parser produced while validating; dropped by any change to the fields.
    var parsed: SIPParsedHeaders?

    public init(_ fields: [SIPHeaderField] = []) { self.fields = fields }

    init(_ fields: [SIPHeaderField], parsed: SIPParsedHeaders?) {
        self.fields = fields
        self.parsed = parsed
    }

    public static func == (a: SIPHeaders, b: SIPHeaders) -> Bool { a.fields == b.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }
    public init(arrayLiteral elements: (String, String)...) {
        self.fields = elements.map { SIPHeaderField(name: $0.0, value: $0.1) }
    }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> SIPHeaderField { fields[position] }

    /// The value of the first field with this name.
    public subscript(name: SIPHeaderName) -> String? { fields.first { $0.key == name }?.value }

    /// The values of every field with this name, one per line, in order.
    public func values(_ name: SIPHeaderName) -> [String] { fields.filter { $0.key == name }.map(\.value) }

    public func contains(_ name: SIPHeaderName) -> Bool { fields.contains { $0.key == name } }
    public func count(of name: SIPHeaderName) -> Int { fields.reduce(0) { $0 + ($1.key == name ? 1 : 0) } }

    /// Appends a field spelled canonically.
    public mutating func add(_ name: SIPHeaderName, _ value: String) {
        fields.append(SIPHeaderField(name: name.canonicalSpelling, key: name, value: value))
    }

    /// Appends a field exactly as given (name spelling kept).
    public mutating func append(_ field: SIPHeaderField) { fields.append(field) }

    /// Inserts a field before the first field of that name (the top Via, the first Route), or appends.
    public mutating func prepend(_ name: SIPHeaderName, _ value: String) {
        let field = SIPHeaderField(name: name.canonicalSpelling, key: name, value: value)
        if let i = fields.firstIndex(where: { $0.key == name }) { fields.insert(field, at: i) } else { fields.append(field) }
    }

    /// Replaces every field of that name by one field with `value`, at the place of the first.
    public mutating func set(_ name: SIPHeaderName, _ value: String) {
        if let i = fields.firstIndex(where: { $0.key == name }) {
            fields[i].value = value
            var j = fields.count - 1
            while j > i { if fields[j].key == name { fields.remove(at: j) }; j -= 1 }
        } else {
            add(name, value)
        }
    }

    public mutating func remove(_ name: SIPHeaderName) { fields.removeAll { $0.key == name } }

    /// Removes the first value of a list header (a Via or Route), whether it sits alone on its line or
    /// first in a comma-separated line.
    public mutating func removeFirstValue(_ name: SIPHeaderName) throws(SIPParseError) {
        guard let i = fields.firstIndex(where: { $0.key == name }) else { return }
        let parts = try SIPHeaders.splitList(fields[i].value)
        if parts.count <= 1 { fields.remove(at: i) } else { fields[i].value = parts.dropFirst().joined(separator: ", ") }
    }

    /// Splits a list value at top-level commas (not inside quotes, <> or comments).
    public static func splitList(_ value: String) throws(SIPParseError) -> [String] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            var parts: [String] = []
            var start = 0
            while !s.isAtEnd {
                let b = s.bytes[s.pos]
                switch b {
                case ASCII.quote: _ = try s.quotedStringRange()
                case ASCII.lt:
                    while s.pos < s.end, s.bytes[s.pos] != ASCII.gt { s.pos += 1 }
                    guard s.pos < s.end else { throw s.error("missing '>'") }
                    s.pos += 1
                case ASCII.lparen: _ = try s.commentRange()
                case ASCII.comma:
                    parts.append(s.string(start..<s.pos).trimmingSIPWhitespace)
                    s.pos += 1
                    start = s.pos
                default: s.pos += 1
                }
            }
            parts.append(s.string(start..<s.end).trimmingSIPWhitespace)
            return parts
        }
    }
}

extension String {
    var trimmingSIPWhitespace: String {
        let u = utf8
        guard let first = u.firstIndex(where: { !$0.isSIPWhitespace }),
              let last = u.lastIndex(where: { !$0.isSIPWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
