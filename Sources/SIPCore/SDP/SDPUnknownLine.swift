// SDPUnknownLine: a line whose type letter RFC 8866 §5 does not define, kept verbatim with its position.

/// A line of an unrecognized type (e.g. `y=...`), preserved so the description round-trips.
public struct SDPUnknownLine: Sendable, Hashable {
    /// The type letter before `=`.
    public var type: Character
    /// The text after `=`, verbatim.
    public var value: String
    /// The type letter of the last recognized line before it in the same section (`v` or `m` at the
    /// section start); the serializer writes it back after the lines of that type.
    public var follows: Character

    /// Creates an unknown line.
    public init(type: Character, value: String, follows: Character) {
        self.type = type
        self.value = value
        self.follows = follows
    }
}
