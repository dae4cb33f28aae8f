// B2BOffer: the offer the box sends on one leg, built from the offer it received on the other (media anchored in the relay).

import SIPCore

/// The SDP offer the box forwards, plus the SRTP keys it put in it.
///
/// From the received offer the box keeps one `m=` line per received `m=` line, in the same order.
/// The first active audio RTP stream (`AnchoredStream`) is anchored: its port becomes the relay's
/// port on the outgoing leg and `c=` the box's address there; every other stream goes out with
/// port 0. In the anchored stream:
/// - formats are the received ones allowed on the leg (`B2BLeg.codecs`, matched by encoding name,
///   clock rate and channels), in the received order, with their `a=rtpmap` (static types 0/8/18
///   need none) and `a=fmtp` (G.729 gets `annexb=no` when the leg says so);
/// - `a=ptime`/`a=maxptime` and the direction attribute are carried, so hold (sendonly, inactive,
///   `c=0.0.0.0`) reaches the other leg;
/// - the protocol is the leg's (`RTP/AVP` or `RTP/SAVP`) with the box's own `a=crypto` lines; the
///   received keys, ICE, `a=rtcp`, `a=rtcp-mux` and every other attribute stay behind (the relay
///   uses RTCP on port + 1);
/// - `o=` is the leg's own (`trunkbox`), its version bumped only when the content changed since
///   `previous`; `s=trunkbox`; `t=` is copied.
public struct B2BOffer: Sendable, Hashable {
    /// The description to send.
    public var session: SDPSession
    /// Index of the anchored `m=` line (the same in the received and the sent offer).
    public var anchoredIndex: Int
    /// The leg's security the offer was built with.
    public var security: LegSecurity
    /// The leg's SRTP policy, which decides whether a plain answer to an SRTP offer is accepted.
    public var srtp: LegSRTPPolicy
    /// The box's send keys, one per offered `a=crypto` line; the answer's tag picks one (`acceptedKey(in:)`).
    public var localKeys: [SRTPKey]

    /// Creates an offer value from its parts.
    public init(session: SDPSession, anchoredIndex: Int, security: LegSecurity, srtp: LegSRTPPolicy, localKeys: [SRTPKey]) {
        self.session = session
        self.anchoredIndex = anchoredIndex
        self.security = security
        self.srtp = srtp
        self.localKeys = localKeys
    }

    /// Builds the offer to send on `leg` from the offer `received` on the other leg.
    ///
    /// - Parameters:
    ///   - received: the offer as the other leg's peer sent it.
    ///   - leg: the box's side of the leg the offer goes to.
    ///   - previous: the last description the box sent on `leg` in this dialog (nil for the first);
    ///     its origin is kept and its SRTP keys are reused for the same tag and suite.
    ///   - keys: fresh random key||salt of `suite.keySaltLength` bytes for a suite (from the CSPRNG);
    ///     any other length, such as an empty array when no random bytes could be had, fails the build
    ///     with `.invalidKeyMaterial` (500).
    /// - Throws: `.noAudioStream`, `.noCommonCodec`, `.noSupportedCryptoSuite` (SRTP required on
    ///   a leg without suites), `.invalidKeyMaterial`.
    public init(forwarding received: SDPSession, to leg: B2BLeg, previous: SDPSession? = nil,
                keys: (SDPCryptoSuite) -> [UInt8]) throws(CallMediaError) {
        guard let index = AnchoredStream.index(in: received) else { throw .noAudioStream }
        let security = leg.security
        if leg.srtp == .required && !security.isSecure { throw .noSupportedCryptoSuite }
        let offered = received.media[index]

        // Codecs: the received ones the leg allows, in received order.
        var formats: [String] = []
        var attributes: [SDPAttribute] = []
        var hasVoice = false
        for pt in offered.payloadTypes where !formats.contains(String(pt)) {
            guard let map = offered.rtpMap(forPayloadType: pt), leg.allows(map) else { continue }
            hasVoice = hasVoice || AnchoredStream.isVoiceCodec(map)
            formats.append(String(pt))
            if let explicit = AnchoredStream.explicitRtpMap(pt, in: offered) { attributes.append(explicit.attribute) }
            if leg.g729AnnexBOff && AnchoredStream.isG729(map) {
                attributes.append(SDPFmtp(payloadType: pt, parameters: "annexb=no").attribute)
            } else if let fmtp = offered.fmtp(forPayloadType: pt) {
                attributes.append(fmtp.attribute)
            }
        }
        guard hasVoice else { throw .noCommonCodec }
        attributes += AnchoredStream.packetTimeAttributes(of: offered)

        // SRTP: the box's own lines, tags 1... in preference order.
        var localKeys: [SRTPKey] = []
        let before = AnchoredStream.media(at: index, of: previous)
        for (n, suite) in security.suites.enumerated() {
            let key = try SRTPKey.reuseOrMake(tag: UInt32(n + 1), suite: suite, previous: before, provider: keys)
            localKeys.append(key)
            attributes.append(key.crypto.attribute)
        }
        if let direction = offered.direction { attributes.append(SDPAttribute(direction.rawValue)) }

        var media = received.media.map(SDPOfferAnswer.rejectedMedia(for:))
        media[index] = SDPMedia(mediaType: offered.mediaType, port: offered.port, proto: security.transportProtocol,
                                formats: formats, connections: offered.connections, attributes: attributes)
        let session = AnchoredStream.finish(media: media, anchoredIndex: index, sessionConnection: received.connection,
                                            timings: received.timings, sessionDirection: received.direction,
                                            leg: leg, previous: previous)
        self.init(session: session, anchoredIndex: index, security: security, srtp: leg.srtp, localKeys: localKeys)
    }

    /// The box's key with `tag`, if it offered one.
    public func localKey(tag: UInt32) -> SRTPKey? {
        localKeys.first { $0.tag == tag }
    }

    /// Checks the security of `answer` (received on this offer's leg) and returns the box's send key
    /// it accepted: the key whose tag and suite the answer's first `a=crypto` line names, or nil
    /// when the answer is plain RTP and the policy allows that.
    ///
    /// - Throws: `.answerMismatch` when the answer has a different number of `m=` lines, answers SRTP
    ///   to a plain offer, or names a tag or suite the box did not offer; `.audioRejectedByFarEnd`
    ///   when the anchored stream has port 0; `.srtpRequired` for a plain answer under `.required`;
    ///   `.noSupportedCryptoSuite` for an RTP/SAVP answer without a usable crypto line.
    public func acceptedKey(in answer: SDPSession) throws(CallMediaError) -> SRTPKey? {
        guard answer.media.count == session.media.count else {
            throw .answerMismatch("it has \(answer.media.count) media lines for the \(session.media.count) offered")
        }
        let answered = answer.media[anchoredIndex]
        guard answered.port != 0 else { throw .audioRejectedByFarEnd }
        guard answered.isSecure else {
            if security.isSecure && !srtp.acceptsPlainRTP { throw .srtpRequired }
            return nil
        }
        guard security.isSecure else { throw .answerMismatch("it answers secure RTP to a plain RTP offer") }
        guard let crypto = answered.cryptos.first(where: { $0.keySalt != nil }) else { throw .noSupportedCryptoSuite }
        guard let key = localKey(tag: crypto.tag) else {
            throw .answerMismatch("its crypto tag \(crypto.tag) was not offered")
        }
        guard key.suite == crypto.suite else {
            throw .answerMismatch("its crypto tag \(crypto.tag) names \(crypto.suite.rawValue), offered as \(key.suite.rawValue)")
        }
        return key
    }
}
