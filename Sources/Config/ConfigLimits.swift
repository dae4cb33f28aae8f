// ConfigLimits: the named bounds of the config language (sizes the parser accepts, ranges validation checks).

/// Size limits the parser enforces (so hostile or broken text costs little), and the value ranges the
/// validator checks. Exceeding a size limit is a parse error naming the limit.
public enum ConfigLimits {
    /// Largest config text in bytes.
    public static let maxTextBytes = 262_144
    /// Most lines in a config text.
    public static let maxLines = 10_000
    /// Longest line in bytes (before comment removal).
    public static let maxLineBytes = 512
    /// Most words on one line (lists such as `codecs` or `emergency` included).
    public static let maxWordsPerLine = 40
    /// Most `profile` blocks.
    public static let maxProfiles = 32
    /// Most Online Numbers, verified numbers or Skype Names the parser takes in one profile (each).
    /// Validation allows fewer Online Numbers (`maxOnlineNumbersPerProfile`); this bound only caps memory.
    public static let maxNumbersPerProfile = 500
    /// Most `route` rules.
    public static let maxRoutes = 500
    /// Most `acl` entries in the pbx block.
    public static let maxACLEntries = 64
    /// Most emergency numbers.
    public static let maxEmergencyNumbers = 32
    /// Most issues reported at once; further ones are dropped.
    public static let maxIssues = 100

    /// Channels a Skype Connect profile can have (the guide: 1 to 300).
    public static let channels: ClosedRange<Int> = 1...300
    /// Online Numbers a profile can have (the guide: up to 99).
    public static let maxOnlineNumbersPerProfile = 99
    /// Ports for listeners and the PBX.
    public static let ports: ClosedRange<Int> = 1...65_535
    /// Ports the RTP range may use (no privileged ports).
    public static let rtpPorts: ClosedRange<Int> = 1_024...65_535
    /// Console idle time-out in minutes (0: never).
    public static let idleTimeoutMinutes: ClosedRange<Int> = 0...1_440
    /// Registration expiry asked of the registrar, in seconds.
    public static let registerExpiresSeconds: ClosedRange<Int> = 60...86_400
    /// RTP inactivity before a call is hung up (0: never).
    public static let rtpTimeoutSeconds: ClosedRange<Int> = 0...3_600
    /// OPTIONS keep-alive period toward a trunk (0: none).
    public static let keepAliveSeconds: ClosedRange<Int> = 0...3_600
    /// Line echo canceller tail, in milliseconds.
    public static let echoTailMilliseconds: ClosedRange<Int> = 0...256
    /// Sample rates the line's sound card may be asked for (8 kHz native, the others resampled).
    public static let lineRates: [Int] = [8_000, 16_000, 44_100, 48_000]
    /// GPIO line offsets on a chip.
    public static let gpioPins: ClosedRange<Int> = 0...1_023
    /// Packet times the media engine supports, in milliseconds.
    public static let ptimes: [Int] = [10, 20, 30]
    /// Standard termios rates the console line can be set to.
    public static let consoleSpeeds: [Int] = [1_200, 2_400, 4_800, 9_600, 19_200, 38_400, 57_600, 115_200, 230_400, 460_800, 921_600]
    /// Longest extension, profile name, host name label set.
    public static let maxExtensionLength = 16
    public static let maxNameLength = 32
    public static let maxHostnameLength = 63
}
