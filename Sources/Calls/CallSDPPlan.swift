// CallSDPPlan: the SDP each leg hears (CallMedia's B2B offers and answers at the box's media address) and the media settings the answers imply (far ends, SRTP keys, payload-type pairs).
import CallMedia
import Config
import Media
import SIPCore

/// An offer the box forwarded and is waiting to see answered.
struct PendingOffer {
    /// The leg the offer came from, and the offer as received.
    var from: Int
    var received: SDPSession
    /// What the box sent on the other leg.
    var forwarded: B2BOffer
    /// Set when the legs share no codec: the offering leg's codec (and its payload type) the box
    /// transcodes from; the box offered the other leg's own codecs instead.
    var transcodeFrom: (codec: MediaCodec, payloadType: UInt8)?
}

/// A call whose legs share no codec: what each leg sends, transcoded by the relay.
struct CallTranscoding {
    /// Leg index → its codec and payload type.
    var legs: [(codec: MediaCodec, payloadType: UInt8)]
}

enum CallSDPPlan {
    /// Key and salt for the box's own SRTP keys: SystemRandomNumberGenerator reads getrandom(2), the kernel CSPRNG.
    static func freshKey(_ suite: SDPCryptoSuite) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<(suite.keySaltLength ?? 0)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The box's SDP side of a leg: its media address and port, SRTP policy and codecs.
    static func b2bLeg(call: Call, leg: Int, config: GatewayConfig, profile: ProfileConfig?) -> B2BLeg? {
        guard let address = call.legs[leg].mediaAddress else { return nil }
        let host = address.host
        let connection: SDPConnection = host.contains(":") ? .ip6(host) : .ip4(host)
        let session = String(UInt32.random(in: 1...UInt32.max))
        if leg == call.trunkLeg, let profile {
            var codecs: [SDPCodec] = config.media.codecs.map {
                switch $0 {
                case .pcmu: .pcmu
                case .pcma: .pcma
                case .g729: .g729
                }
            }
            codecs += [.telephoneEvent, SDPCodec(encodingName: "CN", clockRate: 8000)]
            return B2BLeg(connection: connection, rtpPort: address.port, sessionID: session,
                          srtp: trunkPolicy(profile), codecs: codecs, g729AnnexBOff: true)
        }
        // The PBX leg: plain RTP, unless the PBX itself offered SRTP (then its offers and the box's
        // re-offers toward it stay SRTP).
        let pbxOfferedSRTP = call.legs[leg].remoteSDP?.media.first(where: { $0.port != 0 })?.isSecure == true
        return B2BLeg(connection: connection, rtpPort: address.port, sessionID: session,
                      srtp: call.direction == .outgoing && pbxOfferedSRTP ? .optional : .off)
    }

    /// The profile's SRTP policy as it may be used: SDES keys only travel over TLS unless the profile
    /// allows plain signalling; otherwise an `optional` profile falls back to RTP and a `required` one
    /// keeps `required` (and `usable(_:)` refuses the call).
    static func trunkPolicy(_ profile: ProfileConfig) -> LegSRTPPolicy {
        switch profile.srtp {
        case .off: return .off
        case .optional: return keysMayTravel(profile) ? .optional : .off
        case .required: return .required
        }
    }

    static func keysMayTravel(_ profile: ProfileConfig) -> Bool {
        profile.transport == .tls || profile.srtpPlainSignalling == .allow
    }

    /// Why a profile cannot carry calls with its SRTP settings, nil when it can.
    static func unusable(_ profile: ProfileConfig) -> String? {
        if profile.srtp == .required && !keysMayTravel(profile) {
            return "profile \(profile.name) requires SRTP but its signalling is \(profile.transport), and SRTP keys may not travel in clear (set transport tls, or srtp-plain-signalling allow)"
        }
        return nil
    }

    /// What a caller without an SDP offer is taken to support: the configured codecs and telephone-event,
    /// sendrecv. The box forwards it as its own offer; the address is a placeholder never used for media.
    static func delayedOffer(_ config: GatewayConfig) -> SDPSession? {
        var formats: [String] = []
        var lines: [String] = []
        for codec in config.media.codecs {
            switch codec {
            case .pcmu: formats.append("0"); lines.append("a=rtpmap:0 PCMU/8000")
            case .pcma: formats.append("8"); lines.append("a=rtpmap:8 PCMA/8000")
            case .g729: formats.append("18"); lines.append("a=rtpmap:18 G729/8000"); lines.append("a=fmtp:18 annexb=no")
            }
        }
        formats.append("101")
        lines += ["a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:\(config.media.ptime)", "a=sendrecv"]
        let text = (["v=0", "o=- 0 0 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                     "m=audio 9 RTP/AVP " + formats.joined(separator: " ")] + lines).joined(separator: "\r\n") + "\r\n"
        return try? SDPSession(parsing: text)
    }

    /// The relay's codec for an SDP codec, nil for one it cannot transcode.
    static func mediaCodec(_ m: SDPRtpMap) -> MediaCodec? {
        guard m.clockRate == 8000 else { return nil }
        switch m.encodingName.uppercased() {
        case "PCMU": return .pcmu
        case "PCMA": return .pcma
        case "G729": return .g729
        default: return nil
        }
    }

    static func staticPayloadType(_ codec: MediaCodec) -> UInt8 {
        switch codec {
        case .pcmu: 0
        case .pcma: 8
        case .g729: 18
        }
    }

    /// `media` with its audio formats replaced by `codecs` (static payload types, G.729 without Annex B),
    /// keeping the telephone-event of `keepEventsFrom`.
    static func withFormats(_ media: SDPMedia, codecs: [SDPCodec], keepEventsFrom source: SDPMedia) -> SDPMedia {
        var m = media
        var formats: [String] = []
        var attributes = m.attributes.filter { !$0.hasName("rtpmap") && !$0.hasName("fmtp") }
        for codec in codecs {
            guard let c = mediaCodec(SDPRtpMap(payloadType: 0, encodingName: codec.encodingName, clockRate: codec.clockRate)) else { continue }
            let pt = staticPayloadType(c)
            formats.append(String(pt))
            attributes.append(SDPAttribute("rtpmap", "\(pt) \(codec.encodingName)/8000"))
            if c == .g729 { attributes.append(SDPAttribute("fmtp", "18 annexb=no")) }
        }
        for event in source.telephoneEvents {
            formats.append(String(event.payloadType))
            attributes.append(SDPAttribute("rtpmap", "\(event.payloadType) telephone-event/\(event.clockRate)"))
            if let f = source.fmtp(forPayloadType: event.payloadType) { attributes.append(f.attribute) }
        }
        m.formats = formats
        m.attributes = attributes
        return m
    }

    /// The answer for the offering leg when the relay transcodes: the other leg's answer as CallMedia
    /// builds it for the substituted offer, with its audio format replaced by the offering leg's own
    /// codec (telephone-event kept where both legs have it).
    static func transcodedAnswer(_ answer: SDPSession, call: Call, pending: PendingOffer,
                                 source: (codec: MediaCodec, payloadType: UInt8)) throws(CallMediaError) -> SDPSession {
        let from = pending.from, to = 1 - from
        guard let fromLeg = call.legs[from].b2b, let index = AnchoredStream.index(in: pending.received) else { throw .noCommonCodec }
        var substitute = pending.received
        substitute.media[index] = pending.forwarded.session.media[index]
        substitute.media[index].port = pending.received.media[index].port
        substitute.media[index].connections = pending.received.media[index].connections
        substitute.media[index].proto = pending.received.media[index].proto
        substitute.media[index].attributes.removeAll { $0.hasName("crypto") }
        substitute.media[index].attributes += pending.received.media[index].attributes.filter { $0.hasName("crypto") }
        var built = try B2BAnswer(answering: substitute, with: answer, forwarded: pending.forwarded, on: fromLeg,
                                  previous: nil, keys: freshKey)
        // The other leg's chosen codec, and the offering leg's codec in the answer it hears.
        guard let chosen = (try? MediaEndpoint(answer, mediaIndex: pending.forwarded.anchoredIndex))?.codec,
              let target = mediaCodec(chosen) else { throw .noCommonCodec }
        var m = built.session.media[built.anchoredIndex]
        let events = m.telephoneEvents.map(\.payloadType)
        m.attributes.removeAll { a in
            (a.hasName("rtpmap") || a.hasName("fmtp")) && !events.contains { (a.value ?? "").hasPrefix("\($0) ") }
        }
        let name: String
        switch source.codec {
        case .pcmu: name = "PCMU"
        case .pcma: name = "PCMA"
        case .g729: name = "G729"
        }
        m.attributes.insert(SDPAttribute("rtpmap", "\(source.payloadType) \(name)/8000"), at: 0)
        m.formats = [String(source.payloadType)] + events.map(String.init)
        built.session.media[built.anchoredIndex] = m
        if let previous = call.legs[from].localSDP { built.session.updateVersion(after: previous) }
        call.legs[from].localSDP = built.session
        call.legs[to].remoteSDP = answer
        call.negotiated = true
        call.legs[from].sendKey = built.localKey
        call.legs[from].receiveKey = built.peerKey
        call.legs[to].sendKey = built.forwardedOfferKey
        call.legs[to].receiveKey = (try? MediaEndpoint(answer, mediaIndex: pending.forwarded.anchoredIndex))?.key
        call.payloadTypes = (try? PayloadTypePairs(legA: built.session, legB: answer, mediaIndex: built.anchoredIndex)).map { (legA: from, pairs: $0) }
        var legs = [(codec: MediaCodec, payloadType: UInt8)](repeating: (.pcmu, 0), count: 2)
        legs[from] = source
        legs[to] = (target, chosen.payloadType)
        call.transcoding = CallTranscoding(legs: legs)
        call.srtp = call.legs[call.trunkLeg].sendKey != nil
        call.codec = "\(name)/\(chosen.encodingName)"
        call.onHold = pending.received.isOnHold || answer.isOnHold
        return built.session
    }

    /// Forwards `offer` (received on leg `from`) to the other leg: checks it is acceptable on `from`,
    /// builds the other leg's offer and remembers both for the answer.
    static func forward(_ offer: SDPSession, from: Int, call: Call) throws(CallMediaError) -> SDPSession {
        let to = 1 - from
        guard let fromLeg = call.legs[from].b2b, let toLeg = call.legs[to].b2b else { throw .noConnectionAddress }
        try B2BAnswer.checkOffer(offer, on: fromLeg)
        var transcodeFrom: (codec: MediaCodec, payloadType: UInt8)?
        let forwarded: B2BOffer
        do {
            forwarded = try B2BOffer(forwarding: offer, to: toLeg, previous: call.legs[to].localSDP, keys: freshKey)
        } catch .noCommonCodec {
            // No codec in common: the box offers the other leg's own codecs and transcodes (G.711/G.729).
            guard let index = AnchoredStream.index(in: offer), !offer.media[index].isSecure || fromLeg.srtp != .off,
                  let source = offer.media[index].codecs.lazy.compactMap({ m in mediaCodec(m).map { ($0, m.payloadType) } }).first
            else { throw .noCommonCodec }
            var substitute = offer
            substitute.media[index] = withFormats(offer.media[index], codecs: toLeg.codecs, keepEventsFrom: offer.media[index])
            forwarded = try B2BOffer(forwarding: substitute, to: toLeg, previous: call.legs[to].localSDP, keys: freshKey)
            transcodeFrom = source
        }
        call.pendingOffer = PendingOffer(from: from, received: offer, forwarded: forwarded, transcodeFrom: transcodeFrom)
        call.legs[from].remoteSDP = offer
        call.legs[to].localSDP = forwarded.session
        return forwarded.session
    }

    /// The answer for the offering leg, from `answer` received on the other leg. Records each leg's far
    /// end, keys and the payload-type pairs for the media engine.
    static func answer(_ answer: SDPSession, call: Call) throws(CallMediaError) -> SDPSession {
        guard let pending = call.pendingOffer, let fromLeg = call.legs[pending.from].b2b else { throw .answerMismatch("no offer is pending") }
        let from = pending.from, to = 1 - from
        if let source = pending.transcodeFrom {
            return try transcodedAnswer(answer, call: call, pending: pending, source: source)
        }
        call.transcoding = nil
        let built = try B2BAnswer(answering: pending.received, with: answer, forwarded: pending.forwarded, on: fromLeg,
                                  previous: call.legs[from].localSDP, keys: freshKey)
        call.legs[from].localSDP = built.session
        call.legs[to].remoteSDP = answer
        call.negotiated = true
        call.legs[from].sendKey = built.localKey
        call.legs[from].receiveKey = built.peerKey
        call.legs[to].sendKey = built.forwardedOfferKey
        call.legs[to].receiveKey = (try? MediaEndpoint(answer, mediaIndex: pending.forwarded.anchoredIndex))?.key
        if let pairs = try? PayloadTypePairs(legA: built.session, legB: answer, mediaIndex: built.anchoredIndex) {
            call.payloadTypes = (legA: from, pairs: pairs)
        }
        call.srtp = call.legs[call.trunkLeg].sendKey != nil
        if let endpoint = try? MediaEndpoint(answer, mediaIndex: pending.forwarded.anchoredIndex) {
            call.codec = endpoint.codec.encodingName
        }
        call.onHold = pending.received.isOnHold || answer.isOnHold
        return built.session
    }
}
