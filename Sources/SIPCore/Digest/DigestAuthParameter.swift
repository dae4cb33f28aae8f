// DigestAuthParameter: one auth-param (name "=" token / quoted-string) of RFC 7235 §2.1 and RFC 3261 §25 (auth-param).

/// An authentication parameter kept as received, used for parameters this module does not interpret.
public struct DigestAuthParameter: Sendable, Hashable {
    /// The parameter name as received; names compare case-insensitively on the wire.
    public var name: String
    /// The value with quotes removed and quoted-pairs unescaped.
    public var value: String
    /// True when the value was (or is to be) sent as a quoted-string rather than a token.
    public var isQuoted: Bool

    /// A parameter; `isQuoted` chooses quoted-string or token form when serialized.
    public init(name: String, value: String, isQuoted: Bool) {
        self.name = name
        self.value = value
        self.isQuoted = isQuoted
    }
}
