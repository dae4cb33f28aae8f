// SDPMediaNegotiation: the outcome of RFC 3264 §6 negotiation for one offered m= line.

/// Why an offered stream was answered with port 0.
public enum SDPRejectionReason: String, Sendable, Hashable {
    /// The offer itself had port 0.
    case disabledInOffer
    /// Not an audio stream.
    case unsupportedMediaType
    /// The transport protocol is not in the local list, or is secure without local SRTP support.
    case unsupportedProtocol
    /// Plain RTP while `requireSecureMedia` is set.
    case insecureMedia
    /// No offered audio codec is supported locally.
    case noCommonCodec
    /// No offered `a=crypto` suite is supported locally.
    case noCommonCryptoSuite
    /// The caller supplied too little key material for the chosen suite.
    case missingKeyMaterial
    /// The caller supplied no local port for this stream.
    case noLocalPort
}

/// What was agreed for one offered `m=` line, in the offerer's payload type numbers.
public struct SDPMediaNegotiation: Sendable, Hashable {
    /// Index of the `m=` line in the offer (and the answer).
    public var index: Int
    /// Why the stream was rejected; nil when accepted.
    public var rejection: SDPRejectionReason?
    /// Common audio codecs in local preference order, with the offer's payload types.
    public var codecs: [SDPRtpMap]
    /// The matched telephone-event mapping.
    public var telephoneEvent: SDPRtpMap?
    /// The matched comfort noise mappings.
    public var comfortNoise: [SDPRtpMap]
    /// The direction in the answer (the box's view).
    public var direction: SDPDirection
    /// Whether RTP and RTCP share a port (RFC 5761).
    public var rtcpMux: Bool
    /// The offered crypto line that was chosen: its key protects what the offerer sends.
    public var remoteCrypto: SDPCrypto?
    /// The answer's crypto line: its key protects what the box sends.
    public var localCrypto: SDPCrypto?
    /// Where the offerer wants media: its effective connection address.
    public var remoteConnection: SDPConnection?
    /// The offerer's RTP port.
    public var remotePort: UInt16
    /// The box's RTP port in the answer (0 when rejected).
    public var localPort: UInt16

    /// Creates a negotiation result.
    public init(index: Int, rejection: SDPRejectionReason? = nil, codecs: [SDPRtpMap] = [], telephoneEvent: SDPRtpMap? = nil,
                comfortNoise: [SDPRtpMap] = [], direction: SDPDirection = .inactive, rtcpMux: Bool = false,
                remoteCrypto: SDPCrypto? = nil, localCrypto: SDPCrypto? = nil, remoteConnection: SDPConnection? = nil,
                remotePort: UInt16 = 0, localPort: UInt16 = 0) {
        self.index = index
        self.rejection = rejection
        self.codecs = codecs
        self.telephoneEvent = telephoneEvent
        self.comfortNoise = comfortNoise
        self.direction = direction
        self.rtcpMux = rtcpMux
        self.remoteCrypto = remoteCrypto
        self.localCrypto = localCrypto
        self.remoteConnection = remoteConnection
        self.remotePort = remotePort
        self.localPort = localPort
    }

    /// True when the stream was accepted.
    public var isAccepted: Bool { rejection == nil }

    /// The codec both sides will send first (the answer's first format), when accepted.
    public var primaryCodec: SDPRtpMap? { codecs.first }
}
