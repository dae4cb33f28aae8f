// SDPDirection: the media direction attributes sendrecv/sendonly/recvonly/inactive (RFC 8866 §6.7, RFC 3264 §6.1).

/// Whether a party sends, receives, both or neither on a stream.
public enum SDPDirection: String, Sendable, Hashable, CaseIterable {
    /// Sends and receives.
    case sendrecv
    /// Sends only.
    case sendonly
    /// Receives only.
    case recvonly
    /// Neither sends nor receives.
    case inactive

    /// Creates the direction named by an attribute name (ASCII case-insensitive); nil for other names.
    public init?(attributeName: String) {
        for d in SDPDirection.allCases where SDPBytes.equalsIgnoringCase(attributeName, d.rawValue) {
            self = d
            return
        }
        return nil
    }

    /// Creates the direction from whether the party sends and whether it receives.
    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    /// True for `sendrecv` and `sendonly`.
    public var sends: Bool { self == .sendrecv || self == .sendonly }

    /// True for `sendrecv` and `recvonly`.
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    /// The direction as seen from the other party: sendonly and recvonly swap.
    public var reversed: SDPDirection { SDPDirection(sends: receives, receives: sends) }

    /// The answer to an offered direction (RFC 3264 §6.1) for an answerer that would like `preferred`:
    /// sendonly is answered recvonly (or inactive), recvonly sendonly (or inactive), inactive inactive,
    /// and sendrecv whatever the answerer prefers.
    public static func answer(toOffered offered: SDPDirection, preferred: SDPDirection = .sendrecv) -> SDPDirection {
        SDPDirection(sends: preferred.sends && offered.receives, receives: preferred.receives && offered.sends)
    }
}
