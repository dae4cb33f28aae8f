// SDPOfferAnswerTests: answering offers per RFC 3264 §6 and §6.1 (codecs, DTMF, CN, rejection, direction, rtcp-mux, SDES crypto).

import Testing
@testable import SIPCore

@Suite("SDP offer/answer")
struct SDPOfferAnswerTests {
    let origin = SDPOrigin(username: "trunkbox", sessionID: "555", sessionVersion: 1, address: "192.0.2.10")

    func transport(ports: [UInt16] = [30000, 30002, 30004], keys: [[UInt8]] = []) -> SDPAnswerTransport {
        SDPAnswerTransport(origin: origin, connection: .ip4("192.0.2.10"), ports: ports, keyMaterial: keys)
    }

    func answer(_ offerText: String, _ caps: SDPLocalCapabilities = SDPLocalCapabilities(),
                ports: [UInt16] = [30000, 30002, 30004], keys: [[UInt8]] = []) throws -> SDPAnswer {
        let offer = try SDPSession(parsing: offerText)
        let a = SDPOfferAnswer.answer(to: offer, capabilities: caps, transport: transport(ports: ports, keys: keys))
        // Every answer must itself be valid SDP that parses back unchanged.
        #expect(try SDPSession(parsing: a.session.serialized) == a.session)
        return a
    }

    @Test func answersDeskPhoneOfferInLocalPreferenceOrder() throws {
        let caps = SDPLocalCapabilities(codecs: [.g729, .pcma, .pcmu], ptime: 20)
        let a = try answer(SDPFixtures.g711G729Offer, caps)
        #expect(a.session.serialized == sdp(
            "v=0",
            "o=trunkbox 555 1 IN IP4 192.0.2.10",
            "s=-",
            "c=IN IP4 192.0.2.10",
            "t=0 0",
            "m=audio 30000 RTP/AVP 18 8 0 101",
            "a=rtpmap:18 G729/8000",
            "a=fmtp:18 annexb=no",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=sendrecv"
        ))
        let n = a.media[0]
        #expect(n.isAccepted)
        #expect(n.primaryCodec?.encodingName == "G729")
        #expect(n.telephoneEvent?.payloadType == 101)
        #expect(n.remoteConnection == .ip4("192.168.1.50"))
        #expect(n.remotePort == 11780)
        #expect(n.localPort == 30000)
        #expect(n.direction == .sendrecv)
        #expect(a.hasAcceptedMedia)
    }

    @Test func singleCodecAnswer() throws {
        let caps = SDPLocalCapabilities(codecs: [.pcma, .pcmu], singleCodec: true)
        let a = try answer(SDPFixtures.g711G729Offer, caps)
        #expect(a.session.media[0].formats == ["8", "101"])
        #expect(a.media[0].codecs.map(\.payloadType) == [8])
    }

    @Test func dynamicPayloadTypesOfTheOfferAreKept() throws {
        let offer = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                        "m=audio 5000 RTP/AVP 111 96 0",
                        "a=rtpmap:111 opus/48000/2", "a=rtpmap:96 telephone-event/8000", "a=rtpmap:0 PCMU/8000")
        let caps = SDPLocalCapabilities(codecs: [SDPCodec(encodingName: "opus", clockRate: 48000, channels: 2), .pcmu])
        let a = try answer(offer, caps)
        #expect(a.session.media[0].formats == ["111", "0", "96"])
        #expect(a.session.media[0].rtpMap(forPayloadType: 96)?.isTelephoneEvent == true)
        #expect(a.session.media[0].rtpMap(forPayloadType: 111)?.encodingName == "opus")
        #expect(a.session.media[0].fmtp(forPayloadType: 96)?.parameters == "0-16")
    }

    @Test func telephoneEventMatchedByNameAndRate() throws {
        let offer = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                        "m=audio 5000 RTP/AVP 0 97 101",
                        "a=rtpmap:97 telephone-event/16000", "a=rtpmap:101 Telephone-Event/8000")
        let a = try answer(offer)
        #expect(a.media[0].telephoneEvent == SDPRtpMap(payloadType: 101, encodingName: "Telephone-Event", clockRate: 8000))
        #expect(a.session.media[0].formats == ["0", "101"])

        let wideband = SDPLocalCapabilities(codecs: [.pcmu], telephoneEvent: SDPCodec(encodingName: "telephone-event", clockRate: 16000))
        #expect(try answer(offer, wideband).media[0].telephoneEvent?.payloadType == 97)

        let noDTMF = SDPLocalCapabilities(codecs: [.pcmu], telephoneEvent: nil)
        let plain = try answer(offer, noDTMF)
        #expect(plain.media[0].telephoneEvent == nil)
        #expect(plain.session.media[0].formats == ["0"])
    }

    @Test func telephoneEventAloneIsNotACommonCodec() throws {
        let offer = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                        "m=audio 5000 RTP/AVP 3 101", "a=rtpmap:3 GSM/8000", "a=rtpmap:101 telephone-event/8000")
        let a = try answer(offer)
        #expect(a.media[0].rejection == .noCommonCodec)
        #expect(a.session.media[0].port == 0)
        #expect(a.session.media[0].formats == ["3", "101"])
        #expect(!a.hasAcceptedMedia)
    }

    @Test func comfortNoisePassedThroughOnlyWhenBothSupportIt() throws {
        let offer = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                        "m=audio 5000 RTP/AVP 8 13 101", "a=rtpmap:101 telephone-event/8000")
        let withCN = try answer(offer, SDPLocalCapabilities(codecs: [.pcma], comfortNoise: true))
        #expect(withCN.session.media[0].formats == ["8", "101", "13"])
        #expect(withCN.media[0].comfortNoise.map(\.payloadType) == [13])
        #expect(withCN.session.media[0].rtpMap(forPayloadType: 13)?.isComfortNoise == true)

        let withoutCN = try answer(offer, SDPLocalCapabilities(codecs: [.pcma], comfortNoise: false))
        #expect(withoutCN.session.media[0].formats == ["8", "101"])
        #expect(withoutCN.media[0].comfortNoise.isEmpty)

        let notOffered = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0", "m=audio 5000 RTP/AVP 8")
        #expect(try answer(notOffered, SDPLocalCapabilities(codecs: [.pcma], comfortNoise: true)).session.media[0].formats == ["8"])

        // CN at a clock rate no chosen codec uses is not passed through.
        let wideCN = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                         "m=audio 5000 RTP/AVP 8 105", "a=rtpmap:105 CN/16000")
        #expect(try answer(wideCN, SDPLocalCapabilities(codecs: [.pcma], comfortNoise: true)).media[0].comfortNoise.isEmpty)
    }

    @Test func rejectedStreamsKeepNumberAndOrderOfMediaLines() throws {
        let offer = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                        "m=video 5002 RTP/AVP 96", "a=rtpmap:96 H264/90000",
                        "m=audio 5000 RTP/AVP 0",
                        "m=image 5004 udptl t38")
        let a = try answer(offer)
        #expect(a.session.media.map(\.mediaType) == ["video", "audio", "image"])
        #expect(a.session.media.map(\.port) == [0, 30002, 0])
        #expect(a.session.media[0].proto == "RTP/AVP" && a.session.media[0].formats == ["96"])
        #expect(a.session.media[2].proto == "udptl" && a.session.media[2].formats == ["t38"])
        #expect(a.session.media[0].attributes.isEmpty)
        #expect(a.media.map(\.rejection) == [.unsupportedMediaType, nil, .unsupportedMediaType])
        #expect(a.media.map(\.index) == [0, 1, 2])
        #expect(a.media[0].localPort == 0)
    }

    @Test func audioVideoOfferGivesVideoRejectedAnswer() throws {
        let a = try answer(SDPFixtures.audioVideoOffer, SDPLocalCapabilities(codecs: [.pcma]))
        let expected = try SDPSession(parsing: SDPFixtures.videoRejectedAnswer)
        let answeredRejected: [Bool] = a.session.media.map { $0.port == 0 }
        let expectedRejected: [Bool] = expected.media.map { $0.port == 0 }
        #expect(answeredRejected == expectedRejected)
        #expect(a.session.media.map(\.formats) == expected.media.map(\.formats))
    }

    @Test func offeredPortZeroStaysRejected() throws {
        let offer = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                        "m=audio 5000 RTP/AVP 0", "m=audio 0 RTP/AVP 8")
        let a = try answer(offer)
        #expect(a.media[1].rejection == .disabledInOffer)
        #expect(a.session.media[1].port == 0)
        #expect(a.media[0].isAccepted)
    }

    @Test func missingLocalPortRejects() throws {
        let a = try answer(SDPFixtures.g711G729Offer, ports: [])
        #expect(a.media[0].rejection == .noLocalPort)
        let zero = try answer(SDPFixtures.g711G729Offer, ports: [0])
        #expect(zero.media[0].rejection == .noLocalPort)
    }

    @Test func unsupportedProtocolRejects() throws {
        let avpf = try answer(SDPFixtures.rtcpMuxOffer, SDPLocalCapabilities(codecs: [.pcmu]))
        #expect(avpf.media[0].rejection == .unsupportedProtocol)
        #expect(avpf.session.media[0].proto == "RTP/AVPF")
        let caps = SDPLocalCapabilities(codecs: [.pcmu], protocols: ["RTP/AVP", "RTP/AVPF"])
        #expect(try answer(SDPFixtures.rtcpMuxOffer, caps).media[0].isAccepted)
    }

    @Test(arguments: [
        (SDPDirection.sendonly, SDPDirection.recvonly),
        (.recvonly, .sendonly),
        (.inactive, .inactive),
        (.sendrecv, .sendrecv),
    ])
    func directionIsAnsweredPerRFC3264(offered: SDPDirection, expected: SDPDirection) throws {
        let offer = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                        "m=audio 5000 RTP/AVP 0", "a=\(offered.rawValue)")
        let a = try answer(offer)
        #expect(a.media[0].direction == expected)
        #expect(a.session.media[0].direction == expected)
        #expect(SDPDirection.answer(toOffered: offered) == expected)
    }

    @Test func sendrecvOfferAnsweredWithWhatTheAnswererWants() throws {
        for wanted in SDPDirection.allCases {
            let caps = SDPLocalCapabilities(codecs: [.pcmu], direction: wanted)
            let a = try answer(SDPFixtures.g711G729Offer, caps)
            #expect(a.session.media[0].direction == wanted)
        }
        // An answerer that only wants to receive answers a sendonly offer recvonly, a recvonly offer inactive.
        #expect(SDPDirection.answer(toOffered: .sendonly, preferred: .recvonly) == .recvonly)
        #expect(SDPDirection.answer(toOffered: .recvonly, preferred: .recvonly) == .inactive)
        #expect(SDPDirection.answer(toOffered: .sendonly, preferred: .inactive) == .inactive)
    }

    @Test func sessionLevelDirectionAndNullAddressInOffer() throws {
        let sessionLevel = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0", "a=sendonly",
                               "m=audio 5000 RTP/AVP 0")
        #expect(try answer(sessionLevel).media[0].direction == .recvonly)
        // c=0.0.0.0 means the offerer does not want media (RFC 3264 §8.4).
        #expect(try answer(SDPFixtures.nullAddressHold).media[0].direction == .recvonly)
    }

    @Test func holdReinviteIsAnsweredRecvonly() throws {
        let a = try answer(SDPFixtures.holdReinvite, SDPLocalCapabilities(codecs: [.pcma]))
        #expect(a.session.media[0].direction == .recvonly)
        #expect(a.session.media[0].formats == ["8", "101"])
    }

    @Test func rtcpMuxAcceptedOnlyWhenOfferedAndSupported() throws {
        let caps = SDPLocalCapabilities(codecs: [.pcmu], rtcpMux: true, protocols: ["RTP/AVPF"])
        let muxed = try answer(SDPFixtures.rtcpMuxOffer, caps)
        #expect(muxed.media[0].rtcpMux)
        #expect(muxed.session.media[0].rtcpMux)

        var noMux = caps
        noMux.rtcpMux = false
        let plain = try answer(SDPFixtures.rtcpMuxOffer, noMux)
        #expect(!plain.media[0].rtcpMux)
        #expect(!plain.session.media[0].rtcpMux)

        let notOffered = try answer(SDPFixtures.g711G729Offer, SDPLocalCapabilities(codecs: [.pcmu], rtcpMux: true))
        #expect(!notOffered.session.media[0].rtcpMux)
    }

    @Test func cryptoChoosesFirstSupportedOfferedSuiteWithSameTagAndFreshKey() throws {
        let key = (0..<SDPCryptoSuite.maximumKeySaltLength).map { UInt8($0 + 100) }
        let both = SDPLocalCapabilities(codecs: [.pcma], cryptoSuites: [.aesCM128HmacSHA1_32, .aesCM128HmacSHA1_80])
        let a = try answer(SDPFixtures.srtpOffer, both, keys: [key])
        let n = a.media[0]
        #expect(n.isAccepted)
        // Offer order decides: tag 1 (_80) is offered first.
        #expect(n.remoteCrypto?.tag == 1)
        #expect(n.localCrypto?.tag == 1)
        #expect(n.localCrypto?.suite == .aesCM128HmacSHA1_80)
        #expect(n.localCrypto?.keySalt == Array(key.prefix(30)))
        let lines = a.session.media[0].cryptos
        #expect(lines.count == 1)
        #expect(lines.first == n.localCrypto)
        #expect(a.session.media[0].attribute(named: "crypto")?.value == "1 AES_CM_128_HMAC_SHA1_80 inline:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CB")
        #expect(a.session.media[0].proto == "RTP/SAVP")

        let only32 = SDPLocalCapabilities(codecs: [.pcma], cryptoSuites: [.aesCM128HmacSHA1_32])
        let b = try answer(SDPFixtures.srtpOffer, only32, keys: [key])
        #expect(b.media[0].localCrypto?.tag == 2)
        #expect(b.media[0].localCrypto?.suite == .aesCM128HmacSHA1_32)
        #expect(b.media[0].remoteCrypto?.keySalt == Array("YS___semctl () {\t220;}\n}\nunles".utf8))
    }

    @Test func cryptoRejections() throws {
        let key = Array(repeating: UInt8(7), count: 30)
        let gcmOnly = SDPLocalCapabilities(codecs: [.pcma], cryptoSuites: [.aeadAES128GCM])
        #expect(try answer(SDPFixtures.srtpOffer, gcmOnly, keys: [key]).media[0].rejection == .noCommonCryptoSuite)

        let sha = SDPLocalCapabilities(codecs: [.pcma], cryptoSuites: [.aesCM128HmacSHA1_80])
        #expect(try answer(SDPFixtures.srtpOffer, sha).media[0].rejection == .missingKeyMaterial)
        #expect(try answer(SDPFixtures.srtpOffer, sha, keys: [Array(key.prefix(29))]).media[0].rejection == .missingKeyMaterial)
        #expect(try answer(SDPFixtures.srtpOffer, sha, keys: [key]).media[0].isAccepted)

        // No SRTP support at all: the secure profile is refused.
        #expect(try answer(SDPFixtures.srtpOffer, SDPLocalCapabilities(codecs: [.pcma])).media[0].rejection == .unsupportedProtocol)

        // SRTP required: plain RTP is refused, and a plain answer carries no crypto.
        let required = SDPLocalCapabilities(codecs: [.pcma], cryptoSuites: [.aesCM128HmacSHA1_80], requireSecureMedia: true)
        #expect(try answer(SDPFixtures.g711G729Offer, required).media[0].rejection == .insecureMedia)
        let plain = try answer(SDPFixtures.g711G729Offer, sha, keys: [key])
        #expect(plain.session.media[0].cryptos.isEmpty)
        #expect(plain.media[0].localCrypto == nil)
    }

    @Test func answerCopiesOfferTimingAndUsesLocalOriginAndConnection() throws {
        let offer = sdp("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=3724394400 3724398000",
                        "m=audio 5000 RTP/AVP 0")
        let a = try answer(offer)
        #expect(a.session.timings == [SDPTiming(start: 3724394400, stop: 3724398000)])
        #expect(a.session.origin == origin)
        #expect(a.session.connection == .ip4("192.0.2.10"))
        #expect(a.session.sessionName == "-")
    }

    @Test func rejectedMediaHelper() throws {
        let offer = try SDPSession(parsing: SDPFixtures.rtcpMuxOffer)
        let r = SDPOfferAnswer.rejectedMedia(for: offer.media[0])
        #expect(r.lineValue == "audio 0 RTP/AVPF 111 0 8 126")
        #expect(r.attributes.isEmpty && r.connections.isEmpty)
    }
}
