// ConfigStatement: one declared statement of the config language: pattern, help, and how it reads and writes the model.

/// One statement as declared in `ConfigSchema`: where it goes, its words, its help line, and the two
/// functions that tie it to the model (apply a parsed line; render the model's value back to lines).
public struct ConfigStatement: Sendable {
    public let block: ConfigBlock
    /// The name issues and the source map use: the first keyword, or the first two when several
    /// statements share the first (`gpio hook`); `route` for both `route prefix` and `route extensions`.
    public let field: String
    public let pattern: [ConfigPatternElement]
    public let help: String
    /// May appear more than once in a block (each occurrence adds an item).
    public let repeatable: Bool
    /// Carries a secret (masked in displays and diffs).
    public let isSecret: Bool
    let apply: @Sendable (inout GatewayConfig, ConfigScope, ConfigArguments) throws -> Void
    let render: @Sendable (GatewayConfig, ConfigScope) -> [[ConfigWord]]

    /// The pattern as help shows it: `channels (1-300)`.
    public var syntax: String { pattern.map(\.help).joined(separator: " ") }

    /// The leading keywords (one or two) that identify the statement.
    public let keywords: [String]

    init(block: ConfigBlock, field: String, pattern: [ConfigPatternElement], help: String, repeatable: Bool, isSecret: Bool,
         apply: @escaping @Sendable (inout GatewayConfig, ConfigScope, ConfigArguments) throws -> Void,
         render: @escaping @Sendable (GatewayConfig, ConfigScope) -> [[ConfigWord]]) {
        self.block = block
        self.field = field
        self.pattern = pattern
        self.help = help
        self.repeatable = repeatable
        self.isSecret = isSecret
        self.apply = apply
        self.render = render
        var words: [String] = []
        for e in pattern {
            guard case .keyword(let k) = e else { break }
            words.append(k)
        }
        keywords = words
    }
}

/// Reads and writes one kind of block of a `GatewayConfig`.
struct ConfigSection<Model>: Sendable {
    let read: @Sendable (GatewayConfig, ConfigScope) -> Model?
    let write: @Sendable (inout GatewayConfig, ConfigScope, (inout Model) throws -> Void) throws -> Void

    func statement(_ block: ConfigBlock, field: String? = nil, _ pattern: [ConfigPatternElement], _ help: String,
                   repeatable: Bool = false, secret: Bool = false,
                   apply: @escaping @Sendable (inout Model, ConfigArguments) throws -> Void,
                   render: @escaping @Sendable (Model) -> [[ConfigWord]]) -> ConfigStatement {
        let read = self.read, write = self.write
        var name = field
        if name == nil, case .keyword(let k) = pattern.first { name = k }
        return ConfigStatement(
            block: block, field: name ?? "", pattern: pattern, help: help, repeatable: repeatable, isSecret: secret,
            apply: { config, scope, args in try write(&config, scope) { model in try apply(&model, args) } },
            render: { config, scope in read(config, scope).map(render) ?? [] })
    }
}

extension ConfigSection where Model == GatewayConfig {
    static let top = ConfigSection(read: { c, _ in c }, write: { c, _, f in try f(&c) })
}
extension ConfigSection where Model == ConsoleConfig {
    static let console = ConfigSection(read: { c, _ in c.console }, write: { c, _, f in try f(&c.console) })
}
extension ConfigSection where Model == ListenerConfig {
    static let lan = ConfigSection(read: { c, _ in c.lan }, write: { c, _, f in try f(&c.lan) })
    static let wan = ConfigSection(read: { c, _ in c.wan }, write: { c, _, f in try f(&c.wan) })
}
extension ConfigSection where Model == PBXConfig {
    static let pbx = ConfigSection(read: { c, _ in c.pbx }, write: { c, _, f in try f(&c.pbx) })
}
extension ConfigSection where Model == ProfileConfig {
    static let profile = ConfigSection(
        read: { c, scope in
            guard case .profile(let i) = scope, c.profiles.indices.contains(i) else { return nil }
            return c.profiles[i]
        },
        write: { c, scope, f in
            guard case .profile(let i) = scope, c.profiles.indices.contains(i) else { return }
            try f(&c.profiles[i])
        })
}
extension ConfigSection where Model == RoutingConfig {
    static let routing = ConfigSection(read: { c, _ in c.routing }, write: { c, _, f in try f(&c.routing) })
}
extension ConfigSection where Model == NumberingConfig {
    static let numbering = ConfigSection(read: { c, _ in c.numbering }, write: { c, _, f in try f(&c.numbering) })
}
extension ConfigSection where Model == LineConfig {
    static let line = ConfigSection(
        read: { c, _ in c.line },
        write: { c, _, f in
            var l = c.line ?? LineConfig()
            try f(&l)
            c.line = l
        })
}
extension ConfigSection where Model == MediaConfig {
    static let media = ConfigSection(read: { c, _ in c.media }, write: { c, _, f in try f(&c.media) })
}
extension ConfigSection where Model == LoggingConfig {
    static let logging = ConfigSection(read: { c, _ in c.logging }, write: { c, _, f in try f(&c.logging) })
}
