// MediaEndpointTests: reading the peer's address, ports, hold state, codec, DTMF, ptime and SRTP key from its SDP.

import Testing
import SIPCore
@testable import CallMedia

@Suite("Media endpoint extraction")
struct MediaEndpointTests {
    typealias F = CallMediaFixtures

    @Test func pbxOfferEndpoint() throws {
        let e = try MediaEndpoint(F.parse(F.pbxOffer))
        #expect(e.mediaIndex == 0)
        #expect(e.address == "192.168.1.20")
        #expect(e.rtpPort == 10000)
        #expect(e.rtcpAddress == "192.168.1.20")
        #expect(e.rtcpPort == 10001)
        #expect(e.direction == .sendrecv)
        #expect(!e.isOnHold)
        #expect(e.codec == SDPRtpMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000))
        #expect(e.telephoneEvent?.payloadType == 101)
        #expect(e.ptime == 20)
        #expect(e.crypto == nil)
        #expect(!e.isSecure)
        #expect(e.key == nil)
    }

    @Test func rtcpAttributeWinsOverPortPlusOne() throws {
        let s = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                    "m=audio 5000 RTP/AVP 8", "a=rtcp:5009 IN IP4 10.0.0.2"))
        let e = try MediaEndpoint(s)
        #expect(e.rtcpPort == 5009)
        #expect(e.rtcpAddress == "10.0.0.2")
        #expect(e.address == "10.0.0.1")
        #expect(e.codec.encodingName == "PCMA")
        #expect(e.telephoneEvent == nil)
        #expect(e.ptime == nil)
        let portOnly = try MediaEndpoint(F.parse(F.pbxOfferWithExtras))
        #expect(portOnly.rtcpPort == 11801)
        #expect(portOnly.rtcpAddress == "192.168.1.30")
        #expect(portOnly.codec.encodingName == "G722")
    }

    @Test func trunkAnswerKeyDecodes() throws {
        let e = try MediaEndpoint(F.parse(F.trunkAnswer))
        #expect(e.address == "203.0.113.50")
        #expect(e.rtpPort == 30000)
        #expect(e.rtcpPort == 30001)
        #expect(e.codec == SDPRtpMap(payloadType: 18, encodingName: "G729", clockRate: 8000))
        #expect(e.telephoneEvent?.payloadType == 96)
        #expect(e.isSecure)
        #expect(e.crypto?.tag == 1)
        let key = try #require(e.key)
        #expect(key.suite == .aesCM128HmacSHA1_80)
        #expect(key.keySalt == Array(0..<30))
        #expect(key.masterKey == Array(0..<16))
        #expect(key.masterSalt == Array(16..<30))
        // Logging a key shows no key bytes.
        #expect(String(describing: key) == "SRTPKey(tag 1, AES_CM_128_HMAC_SHA1_80, key hidden)")
    }

    @Test func offerCryptoTagSelectsTheLine() throws {
        let offer = try F.parse(F.trunkOffer)
        #expect(try MediaEndpoint(offer).crypto?.tag == 1)
        let chosen = try MediaEndpoint(offer, cryptoTag: 2)
        #expect(chosen.key == SRTPKey(tag: 2, suite: .aesCM128HmacSHA1_32, keySalt: Array(100..<130)))
        #expect(throws: CallMediaError.noSupportedCryptoSuite) { try MediaEndpoint(offer, cryptoTag: 9) }
        // The lifetime of tag 1 does not get in the way of its key.
        #expect(try MediaEndpoint(offer).crypto?.keyParameters.first?.lifetime == "2^31")
    }

    @Test func holdStates() throws {
        var s = try F.parse(F.pbxOffer)
        s.media[0].direction = .sendonly
        var e = try MediaEndpoint(s)
        #expect(e.isOnHold)
        #expect(e.direction == .sendonly)

        s.media[0].direction = .inactive
        e = try MediaEndpoint(s)
        #expect(e.isOnHold)
        #expect(e.direction == .inactive)

        s.media[0].direction = nil
        s.connection = .ip4("0.0.0.0")
        e = try MediaEndpoint(s)
        #expect(e.isOnHold)
        #expect(e.address == "0.0.0.0")
        #expect(e.direction == .sendrecv)
    }

    @Test func failures() throws {
        let noConnection = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "t=0 0", "m=audio 5000 RTP/AVP 0"))
        #expect(throws: CallMediaError.noConnectionAddress) { try MediaEndpoint(noConnection) }
        #expect(CallMediaError.noConnectionAddress.responseCode == 400)
        let rejected = try F.parse(sdpText("v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                                           "m=audio 0 RTP/AVP 0"))
        #expect(throws: CallMediaError.noAudioStream) { try MediaEndpoint(rejected) }
        #expect(throws: CallMediaError.noAudioStream) { try MediaEndpoint(F.parse(F.pbxOffer), mediaIndex: 3) }
        var noKey = try F.parse(F.trunkAnswer)
        noKey.media[0].attributes.removeAll { $0.name == "crypto" }
        #expect(throws: CallMediaError.noSupportedCryptoSuite) { try MediaEndpoint(noKey) }
    }

    @Test func errorsReadAsSIPStatusAndPlainWords() {
        #expect(CallMediaError.noCommonCodec.description
                == "488 Not Acceptable Here: none of the offered codecs is allowed on the other side of the call")
        #expect(CallMediaError.srtpRequired.responseCode == 488)
        #expect(CallMediaError.audioRejectedByFarEnd.reasonPhrase == "Not Acceptable Here")
        #expect(CallMediaError.invalidKeyMaterial(suite: .aesCM128HmacSHA1_80, count: 3).reason.contains("needs 30 bytes"))
    }
}
