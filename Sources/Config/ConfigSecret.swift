// ConfigSecret: a password in the config, which never prints itself (masked as ********).

/// A secret value (a profile's or the PBX's password). It never shows its text or its length through
/// `description`, `debugDescription`, string interpolation or `dump`; only the full serializer writes it.
/// `.keepCurrent` is what a masked text (`password ********`) parses to: "keep the running secret",
/// filled in by `GatewayConfig.resolveSecrets(from:)` before a commit.
public enum ConfigSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    case value(String)
    case keepCurrent

    /// What a masked rendering shows in place of any secret, whatever its length.
    public static let mask = "********"

    /// The clear text, for the code that must use it (digest authentication); nil for `.keepCurrent`.
    public var clearText: String? {
        if case .value(let v) = self { return v }
        return nil
    }

    public var description: String { Self.mask }
    public var debugDescription: String { Self.mask }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}
