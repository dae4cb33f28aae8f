// SDPOfferAnswer: building an answer from an offer and local capabilities per RFC 3264 §6 (§6.1 unicast streams).

/// The offer/answer model for the box's audio streams.
public enum SDPOfferAnswer {
    /// Answers `offer` with one `m=` line per offered `m=` line, in the same order (RFC 3264 §6).
    ///
    /// - Audio streams are accepted when a codec matches; formats keep the offer's payload type
    ///   numbers and are listed in `capabilities.codecs` order, then telephone-event (matched by name
    ///   and clock rate), then CN when both sides support it at a chosen codec's clock rate.
    /// - Rejected streams get port 0 and the offered protocol and formats.
    /// - The direction is the offered one reversed and intersected with `capabilities.direction`;
    ///   a `c=0.0.0.0` offer is treated as not wanting to receive (RFC 3264 §8.4).
    /// - `a=rtcp-mux` is answered when offered and supported.
    /// - Secure streams answer the first offered crypto line whose suite is supported, with the same
    ///   tag and a key taken from `transport.keyMaterial`.
    /// - `t=` is copied from the offer.
    public static func answer(to offer: SDPSession, capabilities: SDPLocalCapabilities,
                              transport: SDPAnswerTransport) -> SDPAnswer {
        var negotiations: [SDPMediaNegotiation] = []
        var media: [SDPMedia] = []
        negotiations.reserveCapacity(offer.media.count)
        media.reserveCapacity(offer.media.count)
        for index in offer.media.indices {
            let (n, m) = answerMedia(at: index, of: offer, capabilities: capabilities, transport: transport)
            negotiations.append(n)
            media.append(m)
        }
        let session = SDPSession(origin: transport.origin, sessionName: transport.sessionName,
                                 connection: transport.connection,
                                 timings: offer.timings.isEmpty ? [SDPTiming()] : offer.timings,
                                 media: media)
        return SDPAnswer(session: session, media: negotiations)
    }

    /// The `m=` line that rejects `offered`: port 0, same media type, protocol and formats.
    public static func rejectedMedia(for offered: SDPMedia) -> SDPMedia {
        SDPMedia(mediaType: offered.mediaType, port: 0, proto: offered.proto, formats: offered.formats)
    }

    private static func answerMedia(at index: Int, of offer: SDPSession, capabilities caps: SDPLocalCapabilities,
                                    transport: SDPAnswerTransport) -> (SDPMediaNegotiation, SDPMedia) {
        let offered = offer.media[index]
        var result = SDPMediaNegotiation(index: index, remoteConnection: offer.effectiveConnection(of: offered),
                                         remotePort: offered.port)
        func reject(_ reason: SDPRejectionReason) -> (SDPMediaNegotiation, SDPMedia) {
            var r = SDPMediaNegotiation(index: index, rejection: reason, remoteConnection: result.remoteConnection,
                                        remotePort: offered.port)
            r.direction = .inactive
            return (r, rejectedMedia(for: offered))
        }

        guard offered.port != 0 else { return reject(.disabledInOffer) }
        guard SDPBytes.equalsIgnoringCase(offered.mediaType, "audio") else { return reject(.unsupportedMediaType) }
        guard caps.protocols.contains(where: { SDPBytes.equalsIgnoringCase($0, offered.proto) }), offered.isRTP else {
            return reject(.unsupportedProtocol)
        }
        let secure = offered.isSecure
        if secure && caps.cryptoSuites.isEmpty { return reject(.unsupportedProtocol) }
        if !secure && caps.requireSecureMedia { return reject(.insecureMedia) }

        // Codecs: local preference order, offered payload type numbers.
        let offeredMaps = offered.codecs
        var chosen: [(map: SDPRtpMap, local: SDPCodec)] = []
        for local in caps.codecs {
            let match = offeredMaps.first { map in
                !map.isTelephoneEvent && !map.isComfortNoise && map.matches(local)
                    && !chosen.contains { $0.map.payloadType == map.payloadType }
            }
            if let match { chosen.append((match, local)) }
            if caps.singleCodec && !chosen.isEmpty { break }
        }
        guard !chosen.isEmpty else { return reject(.noCommonCodec) }
        result.codecs = chosen.map(\.map)
        if let te = caps.telephoneEvent {
            result.telephoneEvent = offeredMaps.first { $0.isTelephoneEvent && $0.clockRate == te.clockRate }
        }
        if caps.comfortNoise {
            var cn: [SDPRtpMap] = []
            for map in offeredMaps where map.isComfortNoise && chosen.contains(where: { $0.map.clockRate == map.clockRate })
                && !cn.contains(where: { $0.clockRate == map.clockRate }) {
                cn.append(map)
            }
            result.comfortNoise = cn
        }

        // SRTP (RFC 4568 §7.1.2): first offered suite the box supports, same tag, fresh key.
        if secure {
            let candidates = offered.cryptos.filter { c in
                c.suite.keySaltLength != nil && caps.cryptoSuites.contains(c.suite) && c.keyParameters.contains(where: \.isInline)
            }
            guard let remote = candidates.first, let need = remote.suite.keySaltLength else {
                return reject(.noCommonCryptoSuite)
            }
            guard index < transport.keyMaterial.count, transport.keyMaterial[index].count >= need else {
                return reject(.missingKeyMaterial)
            }
            result.remoteCrypto = remote
            result.localCrypto = SDPCrypto(tag: remote.tag, suite: remote.suite,
                                           keyParameters: [SDPCryptoKeyParameter(keySalt: Array(transport.keyMaterial[index].prefix(need)))])
        }

        guard index < transport.ports.count, transport.ports[index] != 0 else { return reject(.noLocalPort) }
        result.localPort = transport.ports[index]

        var offeredDirection = offer.effectiveDirection(of: offered)
        if let c = result.remoteConnection, c.isUnspecified {
            offeredDirection = SDPDirection(sends: offeredDirection.sends, receives: false)
        }
        result.direction = SDPDirection.answer(toOffered: offeredDirection, preferred: caps.direction)
        result.rtcpMux = offered.rtcpMux && caps.rtcpMux

        var formats: [String] = []
        var attributes: [SDPAttribute] = []
        for (map, local) in chosen {
            formats.append(String(map.payloadType))
            attributes.append(map.attribute)
            if let fmtp = local.fmtp { attributes.append(SDPFmtp(payloadType: map.payloadType, parameters: fmtp).attribute) }
        }
        if let te = result.telephoneEvent {
            formats.append(String(te.payloadType))
            attributes.append(te.attribute)
            if let fmtp = caps.telephoneEvent?.fmtp {
                attributes.append(SDPFmtp(payloadType: te.payloadType, parameters: fmtp).attribute)
            }
        }
        for cn in result.comfortNoise {
            formats.append(String(cn.payloadType))
            attributes.append(cn.attribute)
        }
        if let ptime = caps.ptime { attributes.append(SDPAttribute("ptime", String(ptime))) }
        if result.rtcpMux { attributes.append(SDPAttribute("rtcp-mux")) }
        if let crypto = result.localCrypto { attributes.append(crypto.attribute) }
        attributes.append(SDPAttribute(result.direction.rawValue))

        let media = SDPMedia(mediaType: offered.mediaType, port: result.localPort, proto: offered.proto,
                             formats: formats, attributes: attributes)
        return (result, media)
    }
}
