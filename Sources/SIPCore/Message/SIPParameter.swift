// SIPParameter: one `;name=value` of a URI or header value (RFC 3261 §19.1.1, §25.1 generic-param).

/// A parameter as written: `value` is nil for a flag (`;lr`) and keeps quotes and escapes as written,
/// so serializing gives back the same bytes.
public struct SIPParameter: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// The value without surrounding quotes and quoted-pair escapes.
    public var unquotedValue: String? {
        guard let value else { return nil }
        guard value.utf8.count >= 2, value.utf8.first == ASCII.quote, value.utf8.last == ASCII.quote else { return value }
        return SIPScanner.unquote(Substring(value).utf8)
    }

    public var description: String { value.map { "\(name)=\($0)" } ?? name }
}

extension Array where Element == SIPParameter {
    /// The first parameter named `name` (case-insensitive), as `.some(nil)` for a flag.
    public func first(_ name: String) -> SIPParameter? {
        first { $0.name.caseInsensitiveEquals(name) }
    }

    /// The value of the first parameter named `name`, nil when absent or valueless.
    public func value(_ name: String) -> String? { first(name)?.value }

    public func contains(_ name: String) -> Bool { first(name) != nil }

    /// Sets (replacing the first of that name, or appending) or, with `nil` and `remove`, removes a parameter.
    public mutating func set(_ name: String, _ value: String?) {
        if let i = firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) {
            self[i].value = value
        } else {
            append(SIPParameter(name, value))
        }
    }

    public mutating func remove(_ name: String) {
        removeAll { $0.name.caseInsensitiveEquals(name) }
    }

    /// `;a=b;c` as written.
    var serialized: String {
        var s = ""
        for p in self { s += ";"; s += p.description }
        return s
    }
}
