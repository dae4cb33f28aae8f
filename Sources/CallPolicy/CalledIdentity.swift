// CalledIdentity: what an incoming trunk call was made to (an Online Number or a business Skype Name).

/// The identity an incoming trunk call was made to, as configured on the profile.
public enum CalledIdentity: Sendable, Hashable, CustomStringConvertible {
    /// An Online Number, `+` and E.164 digits.
    case onlineNumber(String)
    /// A business Skype Name, as configured.
    case skypeName(String)

    public var description: String {
        switch self {
        case .onlineNumber(let n): return n
        case .skypeName(let n): return n
        }
    }
}
