// SDPLocalCapabilities: what the box supports when answering an offer (RFC 3264 §6.1), in preference order.

/// The answerer's side of negotiation: codecs in preference order, DTMF, comfort noise, RTCP
/// multiplexing, SRTP suites and preferred direction.
public struct SDPLocalCapabilities: Sendable, Hashable {
    /// Audio codecs, most preferred first. The answer lists the common ones in this order.
    public var codecs: [SDPCodec]
    /// RFC 4733 events accepted; matched against offered `telephone-event` by clock rate. Nil refuses DTMF events.
    public var telephoneEvent: SDPCodec?
    /// Whether offered RFC 3389 comfort noise (CN) is accepted.
    public var comfortNoise: Bool
    /// Whether offered `a=rtcp-mux` is accepted.
    public var rtcpMux: Bool
    /// SDES SRTP suites supported; empty means secure profiles (RTP/SAVP, RTP/SAVPF) are refused.
    public var cryptoSuites: [SDPCryptoSuite]
    /// When true, plain RTP streams are refused.
    public var requireSecureMedia: Bool
    /// Transport protocols accepted on `m=` lines (compared ASCII case-insensitively).
    public var protocols: [String]
    /// The direction the box wants; the answer is this intersected with the offer (RFC 3264 §6.1).
    public var direction: SDPDirection
    /// Packet time to state in the answer (`a=ptime`), if any.
    public var ptime: Int?
    /// Answer with only the single most preferred common codec (plus DTMF and CN).
    public var singleCodec: Bool

    /// Creates capabilities; the defaults suit a G.711 trunk with RFC 4733 DTMF.
    public init(codecs: [SDPCodec] = [.pcma, .pcmu], telephoneEvent: SDPCodec? = .telephoneEvent, comfortNoise: Bool = false,
                rtcpMux: Bool = true, cryptoSuites: [SDPCryptoSuite] = [], requireSecureMedia: Bool = false,
                protocols: [String] = ["RTP/AVP", "RTP/SAVP"], direction: SDPDirection = .sendrecv, ptime: Int? = nil,
                singleCodec: Bool = false) {
        self.codecs = codecs
        self.telephoneEvent = telephoneEvent
        self.comfortNoise = comfortNoise
        self.rtcpMux = rtcpMux
        self.cryptoSuites = cryptoSuites
        self.requireSecureMedia = requireSecureMedia
        self.protocols = protocols
        self.direction = direction
        self.ptime = ptime
        self.singleCodec = singleCodec
    }
}
