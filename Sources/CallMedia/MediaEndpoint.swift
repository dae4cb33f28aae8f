// MediaEndpoint: where and how a leg's peer receives and sends the anchored audio stream, read from its SDP.

import SIPCore

/// What the relay needs about one leg's peer, read from the SDP that peer sent (offer or answer).
public struct MediaEndpoint: Sendable, Hashable {
    /// Index of the `m=` line read.
    public var mediaIndex: Int
    /// Where the peer receives RTP: the effective `c=` address (`0.0.0.0` on an old-style hold).
    public var address: String
    /// The peer's RTP port.
    public var rtpPort: UInt16
    /// Where the peer receives RTCP: the `a=rtcp` address, else `address`.
    public var rtcpAddress: String
    /// The peer's RTCP port: `a=rtcp` (RFC 3605), else `rtpPort + 1`.
    public var rtcpPort: UInt16
    /// The peer's effective direction for the stream (media level, else session level, else sendrecv).
    public var direction: SDPDirection
    /// True when the peer holds the stream: sendonly, inactive or `c=0.0.0.0` (RFC 3264 §8.4).
    public var isOnHold: Bool
    /// The first listed voice codec (not telephone-event or CN): what the peer will send.
    public var codec: SDPRtpMap
    /// The listed RFC 4733 telephone-event mapping at the codec's clock rate, if any.
    public var telephoneEvent: SDPRtpMap?
    /// `a=ptime` in milliseconds, if given.
    public var ptime: Int?
    /// The `a=crypto` line the peer sends with, nil for plain RTP.
    public var crypto: SDPCrypto?

    /// Creates an endpoint from its parts.
    public init(mediaIndex: Int, address: String, rtpPort: UInt16, rtcpAddress: String, rtcpPort: UInt16,
                direction: SDPDirection, isOnHold: Bool, codec: SDPRtpMap, telephoneEvent: SDPRtpMap?, ptime: Int?,
                crypto: SDPCrypto?) {
        self.mediaIndex = mediaIndex
        self.address = address
        self.rtpPort = rtpPort
        self.rtcpAddress = rtcpAddress
        self.rtcpPort = rtcpPort
        self.direction = direction
        self.isOnHold = isOnHold
        self.codec = codec
        self.telephoneEvent = telephoneEvent
        self.ptime = ptime
        self.crypto = crypto
    }

    /// Reads the endpoint of the stream at `mediaIndex` (default: the anchored stream) of `session`.
    ///
    /// - Parameter cryptoTag: for an offer with several `a=crypto` lines, the tag the answer chose;
    ///   nil takes the first line with an inline key (an answer has just one).
    /// - Throws: `.noAudioStream` when there is no such active stream, `.noConnectionAddress`,
    ///   `.noCommonCodec` when no voice codec is listed, `.noSupportedCryptoSuite` for RTP/SAVP
    ///   without a matching inline crypto line.
    public init(_ session: SDPSession, mediaIndex: Int? = nil, cryptoTag: UInt32? = nil) throws(CallMediaError) {
        guard let index = mediaIndex ?? AnchoredStream.index(in: session), session.media.indices.contains(index),
              session.media[index].port != 0 else { throw .noAudioStream }
        let m = session.media[index]
        guard let connection = session.effectiveConnection(of: m) else { throw .noConnectionAddress }
        let codecs = m.codecs
        guard let codec = codecs.first(where: AnchoredStream.isVoiceCodec) else { throw .noCommonCodec }
        var crypto: SDPCrypto?
        if m.isSecure {
            crypto = m.cryptos.first { $0.keySalt != nil && (cryptoTag == nil || $0.tag == cryptoTag) }
            guard crypto != nil else { throw .noSupportedCryptoSuite }
        }
        let rtcp = m.rtcp
        self.init(mediaIndex: index, address: connection.address, rtpPort: m.port,
                  rtcpAddress: rtcp?.connection?.address ?? connection.address,
                  rtcpPort: rtcp?.port ?? (m.port == .max ? 0 : m.port + 1),
                  direction: session.effectiveDirection(of: m), isOnHold: session.isHeld(mediaAt: index), codec: codec,
                  telephoneEvent: codecs.first { $0.isTelephoneEvent && $0.clockRate == codec.clockRate },
                  ptime: m.ptime, crypto: crypto)
    }

    /// True for SRTP.
    public var isSecure: Bool { crypto != nil }

    /// The peer's SRTP send key (suite and decoded key||salt of `crypto`'s inline key).
    public var key: SRTPKey? { crypto.flatMap(SRTPKey.init) }
}
