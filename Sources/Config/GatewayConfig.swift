// GatewayConfig: the whole configuration of the box, as a value (what `show running-config` renders).

/// Everything the box is configured with. A pure value: parse it from text with `ConfigText.parse`,
/// render it with `ConfigText.serialize`, check it with `ConfigValidator.validate`, compare two with
/// `ConfigChanges` and `ConfigDiff`.
public struct GatewayConfig: Sendable, Hashable {
    /// The box's name (console prompt, syslog host name); letters, digits and hyphens.
    public var hostname: String
    public var console: ConsoleConfig
    /// The PBX-facing SIP listener.
    public var lan: ListenerConfig
    /// The trunk-facing SIP listener.
    public var wan: ListenerConfig
    public var pbx: PBXConfig
    /// Trunk profiles, in the order written. Names are unique in a valid config.
    public var profiles: [ProfileConfig]
    public var routing: RoutingConfig
    public var numbering: NumberingConfig
    /// The analog line, nil when the box has none configured.
    public var line: LineConfig?
    public var media: MediaConfig
    public var logging: LoggingConfig

    public init(hostname: String = "trunkbox", console: ConsoleConfig = .init(), lan: ListenerConfig = .lanDefault,
                wan: ListenerConfig = .wanDefault, pbx: PBXConfig = .init(), profiles: [ProfileConfig] = [],
                routing: RoutingConfig = .init(), numbering: NumberingConfig = .init(), line: LineConfig? = nil,
                media: MediaConfig = .init(), logging: LoggingConfig = .init()) {
        self.hostname = hostname
        self.console = console
        self.lan = lan
        self.wan = wan
        self.pbx = pbx
        self.profiles = profiles
        self.routing = routing
        self.numbering = numbering
        self.line = line
        self.media = media
        self.logging = logging
    }

    /// What a new or reset box runs: no profiles, no passwords, no PBX (so no call is accepted from
    /// anyone), no analog line, emergency numbers 911 112 999 000, console on /dev/ttyS0 at 115200.
    public static let factoryDefault = GatewayConfig()

    /// The profile with this name, if any.
    public func profile(named name: String) -> ProfileConfig? {
        profiles.first { $0.name == name }
    }
}
