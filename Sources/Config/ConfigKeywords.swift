// ConfigKeywords: the closed sets of words config statements take (transport, SRTP policy, codecs, ...).

/// A keyword-valued setting: its raw value is the word written in the config text.
public protocol ConfigKeyword: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

extension ConfigKeyword {
    /// Every accepted word, in declaration order (for help and completion).
    public static var words: [String] { allCases.map(\.rawValue) }
}

/// A SIP transport.
public enum ConfigTransport: String, ConfigKeyword {
    case udp, tcp, tls
}

/// SRTP policy of a trunk profile: never, when the peer agrees, or always (no fallback to RTP).
public enum SRTPPolicy: String, ConfigKeyword {
    case off, optional, required
}

/// How a profile proves itself to the trunk: REGISTER with digest (the SIP user name and password),
/// or IP authentication (a fixed public address, no REGISTER, no challenge).
public enum TrunkAuthMode: String, ConfigKeyword {
    case registration
    case ip
}

/// Where the number an incoming trunk call was dialled to is read from.
public enum CalledNumberSource: String, ConfigKeyword {
    case to
    case requestURI = "request-uri"
    case pCalledPartyID = "p-called-party-id"
}

/// A voice codec the media engine offers, in the configured order.
public enum ConfigCodec: String, ConfigKeyword {
    case pcmu, pcma, g729
}

/// Log verbosity.
public enum LogLevel: String, ConfigKeyword {
    case debug, info, notice, warning, error
}

/// On-line caller-ID signalling between rings.
public enum LineCallerIDStandard: String, ConfigKeyword {
    case bell202 = "bell202"
    case v23 = "v23"
    case dtmf = "dtmf"
}

/// What the PBX hears when a call would exceed a profile's channels.
public enum OverflowResponse: String, ConfigKeyword {
    case serviceUnavailable = "503"
    case busyHere = "486"
}

/// Whether SDES keys may travel over unencrypted signalling (UDP/TCP) when SRTP is on.
public enum PlainSignallingKeys: String, ConfigKeyword {
    case deny, allow
}

/// A plain on/off switch.
public enum OnOff: String, ConfigKeyword {
    case on, off

    public init(_ flag: Bool) { self = flag ? .on : .off }
    public var isOn: Bool { self == .on }
}

/// What the box does with a 3xx answer from the trunk: follow the new target itself, or pass it to the PBX.
public enum RedirectHandling: String, ConfigKeyword {
    case follow, pass
}

/// The country whose call-progress tones (dial tone, busy, reorder cadences) the line expects.
public enum ToneCountry: String, ConfigKeyword {
    case us, uk, eu, au
}
