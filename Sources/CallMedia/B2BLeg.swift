// B2BLeg: the box's side of one call leg: its media address and port, o= session id, SRTP policy and codecs.

import SIPCore

/// What the box puts in the SDP it sends on one leg (toward the PBX or toward the trunk).
public struct B2BLeg: Sendable, Hashable {
    /// The box's address on this leg: the `c=` of what it sends, and the `o=` address.
    public var connection: SDPConnection
    /// The relay's RTP port for the anchored audio stream on this leg; RTCP is on `rtpPort + 1`.
    public var rtpPort: UInt16
    /// The `o=` session id the box picked for this leg; it stays for the life of the dialog.
    public var sessionID: String
    /// The leg's SRTP policy (from the trunk profile; `.off` toward the PBX).
    public var srtp: LegSRTPPolicy
    /// SDES suites the box supports on this leg, preferred first.
    public var cryptoSuites: [SDPCryptoSuite]
    /// Codecs allowed in the offers the box sends on this leg (name, clock rate, channels);
    /// include `SDPCodec.telephoneEvent` and a CN codec to let DTMF events and comfort noise through.
    public var codecs: [SDPCodec]
    /// When true, G.729 goes out with `a=fmtp:<pt> annexb=no` (Skype Connect runs G.729 without Annex B).
    public var g729AnnexBOff: Bool

    /// Creates a leg; the defaults are a plain-RTP leg allowing G.711, G.729, telephone-event and CN.
    public init(connection: SDPConnection, rtpPort: UInt16, sessionID: String, srtp: LegSRTPPolicy = .off,
                cryptoSuites: [SDPCryptoSuite] = [.aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32],
                codecs: [SDPCodec] = B2BLeg.defaultCodecs, g729AnnexBOff: Bool = false) {
        self.connection = connection
        self.rtpPort = rtpPort
        self.sessionID = sessionID
        self.srtp = srtp
        self.cryptoSuites = cryptoSuites
        self.codecs = codecs
        self.g729AnnexBOff = g729AnnexBOff
    }

    /// PCMU, PCMA, G729, telephone-event and CN, all at 8000 Hz.
    public static let defaultCodecs: [SDPCodec] = [
        .pcmu, .pcma, .g729, .telephoneEvent, SDPCodec(encodingName: "CN", clockRate: 8000),
    ]

    /// The security of the offers the box sends on this leg.
    public var security: LegSecurity { srtp.offerSecurity(suites: cryptoSuites) }

    /// The `o=` of the first description the box sends on this leg: user `trunkbox`, `sessionID`,
    /// version 1, the box's address. Later descriptions keep it, bumping the version on change.
    public var origin: SDPOrigin {
        SDPOrigin(username: "trunkbox", sessionID: sessionID, sessionVersion: 1, networkType: connection.networkType,
                  addressType: connection.addressType, address: connection.address)
    }

    /// True when `codec` (an offered or answered format) is in `codecs`.
    public func allows(_ codec: SDPRtpMap) -> Bool {
        codecs.contains { codec.matches($0) }
    }
}
