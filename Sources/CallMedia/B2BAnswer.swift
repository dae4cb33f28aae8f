// B2BAnswer: the answer the box sends on the first leg, built from the answer the second leg returned to its forwarded offer.

import SIPCore

/// The SDP answer the box sends to the leg that offered, plus the SRTP keys on both legs.
///
/// The answer has one `m=` line per `m=` line of the first leg's offer, in the same order (RFC 3264
/// §6). The anchored stream carries the box's address and `leg.rtpPort`, the first leg's offered
/// protocol, and the second leg's answered codecs mapped back to the first leg's payload type
/// numbers by encoding name, clock rate and channels (telephone-event 96 on the trunk is 101 toward
/// the PBX when the PBX offered it as 101), with the answer's `a=fmtp`, `a=ptime`/`a=maxptime` and
/// direction. Every other stream is rejected: port 0, the offered protocol and formats.
///
/// When the first leg offered RTP/SAVP, the answer has one `a=crypto` line: the first offered line
/// whose suite the leg supports, with the offered tag and the box's own key (RFC 4568 §7.1.2).
public struct B2BAnswer: Sendable, Hashable {
    /// The description to send on the first leg.
    public var session: SDPSession
    /// Index of the anchored `m=` line.
    public var anchoredIndex: Int
    /// The box's send key on the first leg (in `session`'s `a=crypto`), nil for plain RTP.
    public var localKey: SRTPKey?
    /// The first leg's peer's send key: its offered crypto line the answer accepted.
    public var peerKey: SRTPKey?
    /// The box's send key on the second leg: its offered key the second leg's answer accepted.
    public var forwardedOfferKey: SRTPKey?

    /// Creates an answer value from its parts.
    public init(session: SDPSession, anchoredIndex: Int, localKey: SRTPKey?, peerKey: SRTPKey?, forwardedOfferKey: SRTPKey?) {
        self.session = session
        self.anchoredIndex = anchoredIndex
        self.localKey = localKey
        self.peerKey = peerKey
        self.forwardedOfferKey = forwardedOfferKey
    }

    /// Builds the answer to send on the first leg.
    ///
    /// - Parameters:
    ///   - offer: the offer received on the first leg.
    ///   - answer: the answer received on the second leg to `forwarded`.
    ///   - forwarded: the offer the box sent on the second leg (built from `offer`).
    ///   - leg: the box's side of the first leg.
    ///   - previous: the last description the box sent on the first leg (nil for the first); its
    ///     origin is kept and its key reused for the same tag and suite.
    ///   - keys: fresh random key||salt of `suite.keySaltLength` bytes for a suite (from the CSPRNG);
    ///     any other length, such as an empty array when no random bytes could be had, fails the build
    ///     with `.invalidKeyMaterial` (500).
    /// - Throws: what `checkOffer(_:on:)` and `B2BOffer.acceptedKey(in:)` throw; `.answerMismatch`
    ///   when `forwarded` was not built from `offer`; `.noCommonCodec` when no answered codec maps to
    ///   an offered one; `.invalidKeyMaterial`.
    public init(answering offer: SDPSession, with answer: SDPSession, forwarded: B2BOffer, on leg: B2BLeg,
                previous: SDPSession? = nil, keys: (SDPCryptoSuite) -> [UInt8]) throws(CallMediaError) {
        let index = try B2BAnswer.checkOffer(offer, on: leg)
        guard index == forwarded.anchoredIndex, offer.media.count == forwarded.session.media.count else {
            throw .answerMismatch("the forwarded offer was not built from this offer")
        }
        let forwardedKey = try forwarded.acceptedKey(in: answer)
        let offered = offer.media[index]
        let answered = answer.media[index]
        let sent = forwarded.session.media[index]

        // Codecs: the answer's, in its order, renumbered to the first leg's payload types.
        var formats: [String] = []
        var attributes: [SDPAttribute] = []
        var hasVoice = false
        let offeredPTs = offered.payloadTypes
        for pt in answered.payloadTypes {
            guard let map = answered.rtpMap(forPayloadType: pt) ?? sent.rtpMap(forPayloadType: pt) else { continue }
            let match = offeredPTs.first { p in
                !formats.contains(String(p))
                    && offered.rtpMap(forPayloadType: p).map { AnchoredStream.sameEncoding($0, map) } == true
            }
            guard let p = match, let offeredMap = offered.rtpMap(forPayloadType: p) else { continue }
            hasVoice = hasVoice || AnchoredStream.isVoiceCodec(offeredMap)
            formats.append(String(p))
            if let explicit = AnchoredStream.explicitRtpMap(p, in: offered) { attributes.append(explicit.attribute) }
            if leg.g729AnnexBOff && AnchoredStream.isG729(offeredMap) {
                attributes.append(SDPFmtp(payloadType: p, parameters: "annexb=no").attribute)
            } else if let fmtp = answered.fmtp(forPayloadType: pt) {
                attributes.append(SDPFmtp(payloadType: p, parameters: fmtp.parameters).attribute)
            }
        }
        guard hasVoice else { throw .noCommonCodec }
        attributes += AnchoredStream.packetTimeAttributes(of: answered)

        // SRTP toward the first leg: first supported offered line, same tag, the box's key.
        var localKey: SRTPKey?
        var peerKey: SRTPKey?
        if offered.isSecure, let chosen = B2BAnswer.chosenCrypto(in: offered, on: leg), let peer = SRTPKey(chosen) {
            let key = try SRTPKey.reuseOrMake(tag: chosen.tag, suite: chosen.suite,
                                              previous: AnchoredStream.media(at: index, of: previous), provider: keys)
            attributes.append(key.crypto.attribute)
            localKey = key
            peerKey = peer
        }
        if let direction = answered.direction { attributes.append(SDPAttribute(direction.rawValue)) }

        var media = offer.media.map(SDPOfferAnswer.rejectedMedia(for:))
        media[index] = SDPMedia(mediaType: offered.mediaType, port: answered.port, proto: offered.proto, formats: formats,
                                connections: answered.connections, attributes: attributes)
        let session = AnchoredStream.finish(media: media, anchoredIndex: index, sessionConnection: answer.connection,
                                            timings: offer.timings, sessionDirection: answer.direction,
                                            leg: leg, previous: previous)
        self.init(session: session, anchoredIndex: index, localKey: localKey, peerKey: peerKey,
                  forwardedOfferKey: forwardedKey)
    }

    /// Checks, before anything is forwarded, that the box can answer `offer` on `leg`: it has an
    /// anchorable audio stream, and its security suits the leg (an RTP/SAVP offer needs an inline
    /// crypto line with a suite in `leg.cryptoSuites` and a policy other than `.off`; an RTP/AVP
    /// offer needs a policy other than `.required`). Returns the anchored stream's index.
    @discardableResult
    public static func checkOffer(_ offer: SDPSession, on leg: B2BLeg) throws(CallMediaError) -> Int {
        guard let index = AnchoredStream.index(in: offer) else { throw .noAudioStream }
        let offered = offer.media[index]
        if offered.isSecure {
            guard leg.srtp.acceptsSRTP, chosenCrypto(in: offered, on: leg) != nil else { throw .noSupportedCryptoSuite }
        } else if !leg.srtp.acceptsPlainRTP {
            throw .srtpRequired
        }
        return index
    }

    // The first offered crypto line with an inline key of a suite the leg supports.
    static func chosenCrypto(in offered: SDPMedia, on leg: B2BLeg) -> SDPCrypto? {
        offered.cryptos.first { c in
            c.suite.keySaltLength != nil && leg.cryptoSuites.contains(c.suite) && c.keySalt != nil
        }
    }
}
