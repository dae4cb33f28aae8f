// ConfigBlock: the sections of the config language, and ConfigScope, one concrete block in a config.

/// A section of the config text. Every block but `.top` opens with its header line (`console`,
/// `profile NAME`, ...) and holds the indented statements after it.
public enum ConfigBlock: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case top
    case console, lan, wan, pbx, profile, routing, numbering, line, media, logging

    /// The header keyword (`profile` for `profile NAME`); empty for `.top`.
    public var keyword: String { self == .top ? "" : rawValue }

    public var description: String { self == .top ? "top level" : rawValue }
}

/// One concrete block of a config: a singleton block, or the profile at an index of `GatewayConfig.profiles`.
public enum ConfigScope: Sendable, Hashable, CustomStringConvertible {
    case top
    case block(ConfigBlock)
    case profile(Int)

    public var block: ConfigBlock {
        switch self {
        case .top: .top
        case .block(let b): b
        case .profile: .profile
        }
    }

    public var description: String {
        switch self {
        case .top: "top level"
        case .block(let b): b.rawValue
        case .profile(let i): "profile #\(i + 1)"
        }
    }
}
