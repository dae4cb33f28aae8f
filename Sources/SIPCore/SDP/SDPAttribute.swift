// SDPAttribute: an `a=` line (RFC 8866 §5.13), property (`a=name`) or value (`a=name:value`) form, kept verbatim.

/// One attribute line. The value is kept exactly as received so unknown attributes round-trip
/// byte for byte; typed views such as `SDPRtpMap` parse it on demand.
public struct SDPAttribute: Sendable, Hashable {
    /// Attribute name (the text before the first `:`).
    public var name: String
    /// Text after the first `:`; nil for a property attribute such as `a=sendrecv`.
    public var value: String?

    /// Creates an attribute; pass no value for a property attribute.
    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Parses the text after `a=`.
    public init(parsing text: String) throws(SIPParseError) {
        self = try SDPAttribute.parse(Array(text.utf8)[...])
    }

    /// The text that follows `a=`.
    public var lineValue: String {
        if let value { return "\(name):\(value)" }
        return name
    }

    /// True when the name matches `other`, ignoring ASCII case.
    public func hasName(_ other: String) -> Bool {
        SDPBytes.equalsIgnoringCase(name, other)
    }

    static func parse(_ text: ArraySlice<UInt8>) throws(SIPParseError) -> SDPAttribute {
        let colon = SDPBytes.firstIndex(of: SDPBytes.colon, in: text)
        let nameBytes = text[text.startIndex..<(colon ?? text.endIndex)]
        guard SDPBytes.isToken(nameBytes) else {
            throw SIPParseError(nameBytes.isEmpty ? "a= attribute name is empty" : "a= attribute name is not a token",
                                line: 0, column: 1)
        }
        let name = SDPBytes.string(nameBytes)
        guard let colon else { return SDPAttribute(name) }
        return SDPAttribute(name, SDPBytes.string(text[(colon + 1)...]))
    }
}

extension Array where Element == SDPAttribute {
    // First attribute called `name` (ASCII case-insensitive).
    func first(named name: String) -> SDPAttribute? {
        first { $0.hasName(name) }
    }

    // Values of every attribute called `name`, in order.
    func values(named name: String) -> [String] {
        compactMap { $0.hasName(name) ? $0.value : nil }
    }

    // The last direction attribute (`sendrecv`, `sendonly`, `recvonly`, `inactive`), if any.
    var direction: SDPDirection? {
        var found: SDPDirection?
        for a in self {
            if let d = SDPDirection(attributeName: a.name) { found = d }
        }
        return found
    }

    // Replaces every direction attribute by `direction` (at the first one's position, else at the end),
    // or removes them all when `direction` is nil.
    mutating func setDirection(_ direction: SDPDirection?) {
        let firstIndex = firstIndex { SDPDirection(attributeName: $0.name) != nil }
        removeAll { SDPDirection(attributeName: $0.name) != nil }
        guard let direction else { return }
        insert(SDPAttribute(direction.rawValue), at: Swift.min(firstIndex ?? count, count))
    }

    // Adds or removes a property attribute such as `rtcp-mux`.
    mutating func setFlag(_ name: String, _ on: Bool) {
        if on {
            if !contains(where: { $0.hasName(name) }) { append(SDPAttribute(name)) }
        } else {
            removeAll { $0.hasName(name) }
        }
    }
}
