// ProfileConfig: one Skype Connect SIP Profile the box registers and routes calls through.

/// An Online Number or business Skype Name and the PBX extension its incoming calls go to
/// (nil: the profile's default extension).
public struct NumberMapping: Sendable, Hashable {
    /// `+` and E.164 digits for an Online Number; the Skype Name for a business account.
    public var identity: String
    public var `extension`: String?

    public init(_ identity: String, extension ext: String? = nil) {
        self.identity = identity
        self.extension = ext
    }
}

/// A trunk profile as the guide describes it: a name for people, a SIP user name and password, channels,
/// US minute bundles, Online Numbers and business Skype Names (each mapped to an extension), the caller ID
/// shown on outgoing calls; plus how the box talks to the trunk (registrar, transport, SRTP, auth mode).
public struct ProfileConfig: Sendable, Hashable {
    /// The name people know the profile by (unique; can change any time, the SIP user name is the identity).
    public var name: String
    /// Registrar and proxy, `host` or `host:port`.
    public var registrar: String
    public var transport: ConfigTransport
    public var srtp: SRTPPolicy
    /// Whether SDES keys may go over UDP/TCP signalling (then in clear; validation warns).
    public var srtpPlainSignalling: PlainSignallingKeys
    public var auth: TrunkAuthMode
    /// The 14-digit SIP user name (99051 and 9 digits).
    public var sipUser: String?
    public var password: ConfigSecret?
    /// Registration expiry asked for, seconds.
    public var registerExpires: Int
    /// OPTIONS keep-alive toward the trunk every this many seconds; 0 sends none; nil: the mode's
    /// default (30 s with IP authentication, none with registration).
    public var keepAlive: Int?
    public var channels: Int
    public var usBundles: Int
    /// E.164 number shown on outgoing calls (one of `onlineNumbers` or `verifiedNumbers`); nil: unknown.
    public var callerID: String?
    /// Send the caller ID in P-Asserted-Identity too.
    public var pAssertedIdentity: Bool
    /// Where the dialled Online Number of an incoming call is read.
    public var calledNumberFrom: CalledNumberSource
    /// Extension for incoming calls whose number or name has no extension of its own.
    public var defaultExtension: String?
    /// Landline numbers the business has shown it owns (usable as caller ID).
    public var verifiedNumbers: [String]
    public var onlineNumbers: [NumberMapping]
    public var skypeNames: [NumberMapping]

    public init(name: String, registrar: String = "sip.skype.com", transport: ConfigTransport = .udp,
                srtp: SRTPPolicy = .off, srtpPlainSignalling: PlainSignallingKeys = .deny, auth: TrunkAuthMode = .registration,
                sipUser: String? = nil, password: ConfigSecret? = nil, registerExpires: Int = 3_600, channels: Int = 1,
                usBundles: Int = 0, callerID: String? = nil, pAssertedIdentity: Bool = false,
                calledNumberFrom: CalledNumberSource = .to, defaultExtension: String? = nil,
                verifiedNumbers: [String] = [], onlineNumbers: [NumberMapping] = [], skypeNames: [NumberMapping] = []) {
        self.name = name
        self.registrar = registrar
        self.transport = transport
        self.srtp = srtp
        self.srtpPlainSignalling = srtpPlainSignalling
        self.auth = auth
        self.sipUser = sipUser
        self.password = password
        self.registerExpires = registerExpires
        self.keepAlive = nil
        self.channels = channels
        self.usBundles = usBundles
        self.callerID = callerID
        self.pAssertedIdentity = pAssertedIdentity
        self.calledNumberFrom = calledNumberFrom
        self.defaultExtension = defaultExtension
        self.verifiedNumbers = verifiedNumbers
        self.onlineNumbers = onlineNumbers
        self.skypeNames = skypeNames
    }

    /// Whether two versions of a profile differ in what the trunk registration depends on (registrar,
    /// transport, auth mode, SIP user name, password, expiry): then the box must register again.
    public func registrationDiffers(from other: ProfileConfig) -> Bool {
        registrar != other.registrar || transport != other.transport || auth != other.auth
            || sipUser != other.sipUser || password != other.password || registerExpires != other.registerExpires
            || keepAlive != other.keepAlive
    }
}
