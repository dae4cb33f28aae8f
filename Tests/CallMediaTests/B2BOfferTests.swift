// B2BOfferTests: the offer the box forwards: anchoring, codec filtering, SDES keys, hold, origin versions.

import Testing
import SIPCore
@testable import CallMedia

@Suite("B2BUA offer forwarding")
struct B2BOfferTests {
    typealias F = CallMediaFixtures

    @Test func offerTowardSDESTrunkIsSecureAndAnchored() throws {
        let offer = try B2BOffer(forwarding: F.parse(F.pbxOffer), to: F.trunkLeg, keys: F.keys)
        #expect(offer.session.serialized == sdpText(
            "v=0",
            "o=trunkbox 9001 1 IN IP4 198.51.100.2",
            "s=trunkbox",
            "c=IN IP4 198.51.100.2",
            "t=0 0",
            "m=audio 40000 RTP/SAVP 0 8 18 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:18 G729/8000",
            "a=fmtp:18 annexb=no",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=maxptime:150",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:\(F.key11)",
            "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:\(F.key22)",
            "a=sendrecv"
        ))
        #expect(offer.anchoredIndex == 0)
        #expect(offer.security == .sdes(suites: [.aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32]))
        #expect(offer.localKeys == [
            SRTPKey(tag: 1, suite: .aesCM128HmacSHA1_80, keySalt: Array(repeating: 0x11, count: 30)),
            SRTPKey(tag: 2, suite: .aesCM128HmacSHA1_32, keySalt: Array(repeating: 0x22, count: 30)),
        ])
        #expect(offer.localKey(tag: 2)?.suite == .aesCM128HmacSHA1_32)
        #expect(offer.localKey(tag: 3) == nil)
    }

    @Test func pbxKeysICEAndRtcpNeverReachTheTrunk() throws {
        let received = try F.parse(F.pbxOfferWithExtras)
        let offer = try B2BOffer(forwarding: received, to: F.trunkLeg, keys: F.keys)
        let audio = offer.session.media[0]
        #expect(audio.isSecure)
        #expect(audio.cryptos.map(\.tag) == [1, 2])
        #expect(audio.cryptos.compactMap(\.keySalt) == [Array(repeating: 0x11, count: 30), Array(repeating: 0x22, count: 30)])
        let text = offer.session.serialized
        #expect(!text.contains("PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"))
        #expect(!text.contains("WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"))
        #expect(!text.contains("ice-"))
        #expect(!text.contains("candidate"))
        #expect(!text.contains("rtcp"))
        #expect(!text.contains("ssrc"))
        #expect(!audio.rtcpMux)
        #expect(audio.rtcp == nil)
        #expect(offer.session.attributes.isEmpty)
        // G.722 is not allowed on the trunk; G.729 goes out with Annex B off instead of the PBX's annexb=yes.
        #expect(audio.formats == ["0", "8", "18", "101"])
        #expect(audio.fmtp(forPayloadType: 18)?.parameters == "annexb=no")
        #expect(audio.fmtp(forPayloadType: 101)?.parameters == "0-15")
    }

    @Test func srtpOfferTowardPlainLegIsStripped() throws {
        let received = try F.parse(F.trunkOffer)
        let offer = try B2BOffer(forwarding: received, to: F.pbxLeg, keys: F.keys)
        let audio = offer.session.media[0]
        #expect(audio.proto == "RTP/AVP")
        #expect(!audio.isSecure)
        #expect(audio.cryptos.isEmpty)
        #expect(audio.attribute(named: "crypto") == nil)
        #expect(offer.localKeys.isEmpty)
        #expect(offer.security == .plain)
        #expect(!offer.session.serialized.contains("inline:"))
        #expect(audio.port == 20000)
        #expect(offer.session.connection == .ip4("192.168.1.2"))
        #expect(offer.session.origin == SDPOrigin(username: "trunkbox", sessionID: "5001", sessionVersion: 1, address: "192.168.1.2"))
        // The PBX leg keeps the trunk's payload type numbers; no annexb rewrite was asked for.
        #expect(audio.formats == ["18", "0", "96"])
        #expect(audio.fmtp(forPayloadType: 18)?.parameters == "annexb=no")
    }

    @Test func videoAndOtherStreamsAreRejected() throws {
        let received = try F.parse(F.pbxOfferWithExtras)
        let offer = try B2BOffer(forwarding: received, to: F.pbxLeg, keys: F.keys)
        #expect(offer.session.media.count == 2)
        let video = offer.session.media[1]
        #expect(video.mediaType == "video")
        #expect(video.port == 0)
        #expect(video.formats == ["99"])
        #expect(video.attributes.isEmpty)
        #expect(offer.session.media[0].port == 20000)

        // A second audio stream is refused too; only the first active one is anchored.
        let two = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                      "m=audio 0 RTP/AVP 0", "m=image 5002 udptl t38",
                                      "m=audio 5000 RTP/AVP 8", "m=audio 5004 RTP/AVP 0"))
        let forwarded = try B2BOffer(forwarding: two, to: F.pbxLeg, keys: F.keys)
        #expect(forwarded.anchoredIndex == 2)
        #expect(forwarded.session.media.map(\.port) == [0, 0, 20000, 0])
        #expect(forwarded.session.media.map(\.mediaType) == ["audio", "image", "audio", "audio"])
        #expect(forwarded.session.media[1].proto == "udptl")
    }

    @Test func disallowedCodecsAreFiltered() throws {
        var leg = F.pbxLeg
        leg.codecs = [.pcma, .telephoneEvent]
        let offer = try B2BOffer(forwarding: F.parse(F.pbxOffer), to: leg, keys: F.keys)
        let audio = offer.session.media[0]
        #expect(audio.formats == ["8", "101"])
        #expect(audio.rtpMaps.map(\.payloadType) == [8, 101])
        #expect(audio.fmtps.map(\.format) == ["101"])

        // Static payload types without a=rtpmap stay without one.
        let bare = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                       "m=audio 5000 RTP/AVP 0 8 18 3"))
        let bareOffer = try B2BOffer(forwarding: bare, to: F.pbxLeg, keys: F.keys)
        #expect(bareOffer.session.media[0].formats == ["0", "8", "18"])
        #expect(bareOffer.session.media[0].attributes.isEmpty)
    }

    @Test func noAllowedCodecIs488() throws {
        var leg = F.trunkLeg
        leg.codecs = [.g722, .telephoneEvent]
        #expect(throws: CallMediaError.noCommonCodec) {
            try B2BOffer(forwarding: F.parse(F.pbxOffer), to: leg, keys: F.keys)
        }
        #expect(CallMediaError.noCommonCodec.responseCode == 488)
        // telephone-event alone is no codec.
        let dtmfOnly = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                           "m=audio 5000 RTP/AVP 101", "a=rtpmap:101 telephone-event/8000"))
        #expect(throws: CallMediaError.noCommonCodec) {
            try B2BOffer(forwarding: dtmfOnly, to: F.pbxLeg, keys: F.keys)
        }
    }

    @Test func noAudioStreamIs488() throws {
        let videoOnly = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                            "m=video 5000 RTP/AVP 96", "a=rtpmap:96 H264/90000",
                                            "m=audio 5002 UDP/TLS/RTP/SAVP 0"))
        #expect(throws: CallMediaError.noAudioStream) {
            try B2BOffer(forwarding: videoOnly, to: F.pbxLeg, keys: F.keys)
        }
        #expect(CallMediaError.noAudioStream.responseCode == 488)
    }

    @Test func requiredSRTPWithoutSuitesAndBadKeysFail() throws {
        var leg = F.trunkLeg
        leg.srtp = .required
        leg.cryptoSuites = []
        #expect(throws: CallMediaError.noSupportedCryptoSuite) {
            try B2BOffer(forwarding: F.parse(F.pbxOffer), to: leg, keys: F.keys)
        }
        #expect(throws: CallMediaError.invalidKeyMaterial(suite: .aesCM128HmacSHA1_80, count: 16)) {
            try B2BOffer(forwarding: F.parse(F.pbxOffer), to: F.trunkLeg) { _ in Array(repeating: 1, count: 16) }
        }
        #expect(CallMediaError.invalidKeyMaterial(suite: .aesCM128HmacSHA1_80, count: 16).responseCode == 500)
    }

    @Test func sendonlyHoldIsCarried() throws {
        var held = try F.parse(F.pbxOffer)
        held.media[0].direction = .sendonly
        let offer = try B2BOffer(forwarding: held, to: F.trunkLeg, keys: F.keys)
        #expect(offer.session.media[0].direction == .sendonly)
        #expect(offer.session.isOnHold)
        #expect(offer.session.media[0].port == 40000)
    }

    @Test func inactiveAndSessionLevelDirectionAreCarried() throws {
        var inactive = try F.parse(F.pbxOffer)
        inactive.media[0].direction = nil
        inactive.direction = .inactive
        let offer = try B2BOffer(forwarding: inactive, to: F.trunkLeg, keys: F.keys)
        #expect(offer.session.direction == .inactive)
        #expect(offer.session.media[0].direction == nil)
        #expect(offer.session.effectiveDirection(of: offer.session.media[0]) == .inactive)
        #expect(offer.session.isOnHold)
    }

    @Test func nullAddressHoldIsCarried() throws {
        var held = try F.parse(F.pbxOffer)
        held.connection = .ip4("0.0.0.0")
        let offer = try B2BOffer(forwarding: held, to: F.trunkLeg, keys: F.keys)
        #expect(offer.session.connection == .ip4("0.0.0.0"))
        #expect(offer.session.origin.address == "198.51.100.2")
        #expect(offer.session.isOnHold)
        #expect(offer.session.media[0].port == 40000)
    }

    @Test func originVersionBumpsOnlyOnChange() throws {
        let first = try B2BOffer(forwarding: F.parse(F.pbxOffer), to: F.trunkLeg, keys: F.keys)
        #expect(first.session.origin.username == "trunkbox")
        #expect(first.session.origin.sessionVersion == 1)

        // A re-INVITE with the same media, and a PBX that bumped its own version: nothing changes,
        // and the SRTP keys are reused rather than asked for again.
        var same = try F.parse(F.pbxOffer)
        same.origin.sessionVersion += 5
        var calls = 0
        let again = try B2BOffer(forwarding: same, to: F.trunkLeg, previous: first.session) { suite in
            calls += 1
            return Array(repeating: 0x77, count: suite.keySaltLength ?? 30)
        }
        #expect(calls == 0)
        #expect(again.session == first.session)
        #expect(again.localKeys == first.localKeys)

        // Hold changes the content: version + 1, same session id.
        var held = try F.parse(F.pbxOffer)
        held.media[0].direction = .sendonly
        let hold = try B2BOffer(forwarding: held, to: F.trunkLeg, previous: again.session, keys: F.keys)
        #expect(hold.session.origin.sessionVersion == 2)
        #expect(hold.session.origin.sessionID == "9001")

        // Resume: version 3, not back to 1.
        let resume = try B2BOffer(forwarding: F.parse(F.pbxOffer), to: F.trunkLeg, previous: hold.session, keys: F.keys)
        #expect(resume.session.origin.sessionVersion == 3)
    }

    @Test func producedOffersRoundTrip() throws {
        for (text, leg) in [(F.pbxOffer, F.trunkLeg), (F.pbxOfferWithExtras, F.trunkLeg), (F.pbxOfferWithExtras, F.pbxLeg),
                            (F.trunkOffer, F.pbxLeg)] {
            let offer = try B2BOffer(forwarding: F.parse(text), to: leg, keys: F.keys)
            let reparsed = try SDPSession(parsing: offer.session.serialized)
            #expect(reparsed == offer.session)
            #expect(reparsed.serialized == offer.session.serialized)
        }
    }

    @Test func acceptedKeyFollowsTheAnswersTag() throws {
        let offer = try B2BOffer(forwarding: F.parse(F.pbxOffer), to: F.trunkLeg, keys: F.keys)
        #expect(try offer.acceptedKey(in: F.parse(F.trunkAnswer))?.tag == 1)

        var tag2 = try F.parse(F.trunkAnswer)
        tag2.media[0].attributes.removeAll { $0.name == "crypto" }
        tag2.media[0].attributes.append(SDPAttribute("crypto", "2 AES_CM_128_HMAC_SHA1_32 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"))
        #expect(try offer.acceptedKey(in: tag2) == SRTPKey(tag: 2, suite: .aesCM128HmacSHA1_32, keySalt: Array(repeating: 0x22, count: 30)))

        var wrongSuite = tag2
        wrongSuite.media[0].attributes[wrongSuite.media[0].attributes.count - 1] =
            SDPAttribute("crypto", "2 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd")
        #expect(throws: CallMediaError.self) { try offer.acceptedKey(in: wrongSuite) }

        var unknownTag = tag2
        unknownTag.media[0].attributes[unknownTag.media[0].attributes.count - 1] =
            SDPAttribute("crypto", "7 AES_CM_128_HMAC_SHA1_32 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd")
        #expect(throws: CallMediaError.answerMismatch("its crypto tag 7 was not offered")) { try offer.acceptedKey(in: unknownTag) }
    }

    @Test func plainAnswerToSRTPOfferDependsOnPolicy() throws {
        var plain = try F.parse(F.trunkAnswer)
        plain.media[0].proto = "RTP/AVP"
        plain.media[0].attributes.removeAll { $0.name == "crypto" }

        let optional = try B2BOffer(forwarding: F.parse(F.pbxOffer), to: F.trunkLeg, keys: F.keys)
        #expect(try optional.acceptedKey(in: plain) == nil)

        var leg = F.trunkLeg
        leg.srtp = .required
        let required = try B2BOffer(forwarding: F.parse(F.pbxOffer), to: leg, keys: F.keys)
        #expect(throws: CallMediaError.srtpRequired) { try required.acceptedKey(in: plain) }

        // An SRTP answer to a plain offer, and an answer with the wrong number of m= lines.
        let plainOffer = try B2BOffer(forwarding: F.parse(F.pbxOffer), to: F.pbxLeg, keys: F.keys)
        #expect(throws: CallMediaError.self) { try plainOffer.acceptedKey(in: F.parse(F.trunkAnswer)) }
        var extra = plain
        extra.media.append(SDPMedia(mediaType: "video", port: 0, proto: "RTP/AVP", formats: ["99"]))
        #expect(throws: CallMediaError.answerMismatch("it has 2 media lines for the 1 offered")) {
            try optional.acceptedKey(in: extra)
        }
    }

    @Test func srtpPolicyDecidesSecurity() {
        let suites: [SDPCryptoSuite] = [.aesCM128HmacSHA1_80]
        #expect(LegSRTPPolicy.off.offerSecurity(suites: suites) == .plain)
        #expect(LegSRTPPolicy.optional.offerSecurity(suites: suites) == .sdes(suites: suites))
        #expect(LegSRTPPolicy.required.offerSecurity(suites: []) == .plain)
        #expect(LegSRTPPolicy.optional.acceptsPlainRTP && LegSRTPPolicy.optional.acceptsSRTP)
        #expect(!LegSRTPPolicy.required.acceptsPlainRTP)
        #expect(!LegSRTPPolicy.off.acceptsSRTP)
        #expect(LegSRTPPolicy.allCases.map(\.rawValue) == ["off", "optional", "required"])
        #expect(LegSecurity.plain.transportProtocol == "RTP/AVP")
        #expect(LegSecurity.sdes(suites: suites).transportProtocol == "RTP/SAVP")
    }
}
