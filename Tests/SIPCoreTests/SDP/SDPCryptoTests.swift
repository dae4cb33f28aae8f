// SDPCryptoTests: SDES a=crypto (RFC 4568 §4, §6.1, §9.1) parse, key||salt length per suite (RFC 6188, RFC 7714), base64 codec.

import Testing
@testable import SIPCore

@Suite("SDP crypto")
struct SDPCryptoTests {
    // RFC 4568 §4 example.
    @Test func rfc4568SectionFourExample() throws {
        let c = try SDPCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32")
        #expect(c.tag == 1)
        #expect(c.suite == .aesCM128HmacSHA1_80)
        #expect(c.keyParameters.count == 1)
        let k = c.keyParameters[0]
        #expect(k.isInline)
        #expect(k.keySalt.count == 30)
        #expect(k.keySalt == Array("=-n@%^x!Bjufr9)?,#5h\\`=&]{qiPQ".utf8))
        #expect(k.lifetime == "2^20")
        #expect(k.lifetimePackets == 1_048_576)
        #expect(k.mkiValue == 1 && k.mkiLength == 32)
        #expect(k.masterKey(for: c.suite)?.count == 16)
        #expect(k.masterSalt(for: c.suite)?.count == 14)
        #expect(k.masterKey(for: .aeadAES128GCM) == nil)
        #expect(c.sessionParameters.isEmpty)
        #expect(c.attributeValue == "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32")
    }

    // RFC 4568 example offer lines: session parameters, and two MKI keys on one line.
    @Test func rfc4568OfferExampleWithSessionParametersAndTwoKeys() throws {
        let text = sdp(
            "v=0",
            "o=sam 2890844526 2890842807 IN IP4 10.47.16.5",
            "s=SRTP Discussion",
            "i=A discussion of Secure RTP",
            "u=http://www.example.com/seminars/srtp.pdf",
            "e=marge@example.com (Marge Simpson)",
            "c=IN IP4 168.2.17.12",
            "t=2873397496 2873404696",
            "m=audio 49170 RTP/SAVP 0",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 FEC_ORDER=FEC_SRTP",
            "a=crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP"
        )
        let s = try SDPSession(parsing: text)
        #expect(s.serialized == text)
        let c = s.media[0].cryptos
        #expect(c.count == 2)
        #expect(c[0].sessionParameters == ["FEC_ORDER=FEC_SRTP"])
        #expect(c[1].suite == .f8_128HmacSHA1_80)
        #expect(c[1].keyParameters.count == 2)
        #expect(c[1].keyParameters[0].keySalt == Array("123456789ABCDE0123456789ABcdef".utf8))
        #expect(c[1].keyParameters[1].keySalt == Array("ABcdef123456789ABCDE0123456789".utf8))
        #expect(c[1].keyParameters.map(\.mkiValue) == [1, 2])
        #expect(c[1].keyParameters.map(\.mkiLength) == [4, 4])
        // Re-encoding gives the same text.
        for (crypto, line) in zip(c, s.media[0].attributes) {
            #expect(crypto.attributeValue == line.value)
        }
    }

    @Test(arguments: [
        (SDPCryptoSuite.aesCM128HmacSHA1_80, 30), (.aesCM128HmacSHA1_32, 30), (.f8_128HmacSHA1_80, 30),
        (.aeadAES128GCM, 28), (.aeadAES256GCM, 44), (.aes256CMHmacSHA1_80, 46), (.aes192CMHmacSHA1_32, 38),
    ])
    func keySaltLengthPerSuite(suite: SDPCryptoSuite, length: Int) throws {
        #expect(suite.keySaltLength == length)
        let key = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let encoded = try SDPCrypto(tag: 7, suite: suite, keySalt: key)
        let decoded = try SDPCrypto(attributeValue: encoded.attributeValue)
        #expect(decoded.keySalt == key)
        #expect(decoded.tag == 7 && decoded.suite == suite)
        // One byte short or long is refused.
        #expect(throws: SIPParseError.self) { try SDPCrypto(tag: 1, suite: suite, keySalt: Array(key.dropLast())) }
        #expect(throws: SIPParseError.self) { try SDPCrypto(tag: 1, suite: suite, keySalt: key + [0]) }
        let short = SDPCrypto(tag: 1, suite: suite, keyParameters: [SDPCryptoKeyParameter(keySalt: Array(key.dropLast()))])
        #expect(throws: SIPParseError.self) { try SDPCrypto(attributeValue: short.attributeValue) }
    }

    @Test func gcmKeysWithPadding() throws {
        let c128 = try SDPCrypto(attributeValue: "1 AEAD_AES_128_GCM inline:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHA==")
        #expect(c128.keySalt == Array(1...28))
        #expect(c128.keyParameters[0].masterKey(for: .aeadAES128GCM) == Array(1...16))
        #expect(c128.keyParameters[0].masterSalt(for: .aeadAES128GCM) == Array(17...28))
        let c256 = try SDPCrypto(attributeValue: "2 AEAD_AES_256_GCM inline:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKyw=")
        #expect(c256.keySalt == Array(1...44))
        // Unpadded base64 is accepted as well.
        let unpadded = try SDPCrypto(attributeValue: "1 AEAD_AES_128_GCM inline:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHA")
        #expect(unpadded.keySalt == c128.keySalt)
        #expect(c128.attributeValue.hasSuffix("HA=="))
    }

    @Test func unknownSuiteKeepsAnyKeyLength() throws {
        let c = try SDPCrypto(attributeValue: "3 SEED_CTR_128_HMAC_SHA1_80 inline:AAAA")
        #expect(c.suite.rawValue == "SEED_CTR_128_HMAC_SHA1_80")
        #expect(c.suite.keySaltLength == nil)
        #expect(c.keySalt == [0, 0, 0])
    }

    @Test func otherKeyMethodIsKeptVerbatim() throws {
        let c = try SDPCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 uri:https://kms.example/k1")
        #expect(!c.keyParameters[0].isInline)
        #expect(c.keyParameters[0].method == "uri")
        #expect(c.keyParameters[0].rawInfo == "https://kms.example/k1")
        #expect(c.keySalt == nil)
        #expect(c.attributeValue == "1 AES_CM_128_HMAC_SHA1_80 uri:https://kms.example/k1")
    }

    @Test func lifetimeAndMKIForms() throws {
        let key = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
        let decimal = try SDPCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_32 inline:\(key)|1048576")
        #expect(decimal.keyParameters[0].lifetimePackets == 1_048_576)
        #expect(decimal.keyParameters[0].mkiValue == nil)
        let mkiOnly = try SDPCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_32 inline:\(key)|2:4")
        #expect(mkiOnly.keyParameters[0].lifetime == nil)
        #expect(mkiOnly.keyParameters[0].mkiValue == 2 && mkiOnly.keyParameters[0].mkiLength == 4)
        #expect(SDPCryptoKeyParameter(keySalt: [], lifetime: "2^64").lifetimePackets == nil)
        #expect(SDPCryptoKeyParameter(keySalt: [], lifetime: "2^63").lifetimePackets == UInt64(1) << 63)
        for bad in ["|2^x", "|1:129", "|1:0", "|1:4|2^20", "|2^20|1:4|x", "|1:", "|:4", "|2^20|1:1000"] {
            #expect(throws: SIPParseError.self, "\(bad)") {
                try SDPCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_32 inline:\(key)\(bad)")
            }
        }
    }

    @Test func malformedCryptoLines() {
        let key = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
        for bad in ["1 AES_CM_128_HMAC_SHA1_80", "x AES_CM_128_HMAC_SHA1_80 inline:\(key)",
                    "1234567890 AES_CM_128_HMAC_SHA1_80 inline:\(key)", "1 AES-CM inline:\(key)",
                    "1 AES_CM_128_HMAC_SHA1_80 inline", "1 AES_CM_128_HMAC_SHA1_80 inline:",
                    "1 AES_CM_128_HMAC_SHA1_80 inline:\(key);", "1 AES_CM_128_HMAC_SHA1_80 :\(key)",
                    "1 AES_CM_128_HMAC_SHA1_80 inline:\(key)=== KDR=1"] {
            #expect(throws: SIPParseError.self, "\(bad)") { try SDPCrypto(attributeValue: bad) }
        }
        #expect(throws: SIPParseError.self) { try SDPCrypto(tag: 1_000_000_000, suite: .aesCM128HmacSHA1_80, keySalt: Array(repeating: 0, count: 30)) }
    }

    @Test func tooManyKeyParametersAreRefused() throws {
        let key = "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"
        let many = Array(repeating: key, count: SDPLimits.maxCryptoKeyParameters + 1).joined(separator: ";")
        #expect(throws: SIPParseError.self) { try SDPCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 " + many) }
        let ok = Array(repeating: key, count: SDPLimits.maxCryptoKeyParameters).joined(separator: ";")
        #expect(try SDPCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 " + ok).keyParameters.count == SDPLimits.maxCryptoKeyParameters)
    }

    @Test func base64Codec() {
        #expect(SDPBase64.encode([]) == "")
        #expect(SDPBase64.encode(Array("f".utf8)) == "Zg==")
        #expect(SDPBase64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(SDPBase64.encode(Array("foo".utf8)) == "Zm9v")
        #expect(SDPBase64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(SDPBase64.encode([0xFB, 0xFF]) == "+/8=")
        #expect(SDPBase64.decode(Array("Zm9vYmE=".utf8)[...]) == Array("fooba".utf8))
        #expect(SDPBase64.decode(Array("Zm9vYg".utf8)[...]) == Array("foob".utf8))
        #expect(SDPBase64.decode(Array("+/8=".utf8)[...]) == [0xFB, 0xFF])
        #expect(SDPBase64.decode(Array("Zm9vY".utf8)[...]) == nil)
        #expect(SDPBase64.decode(Array("Zm9v=".utf8)[...]) == nil)
        #expect(SDPBase64.decode(Array("Zm-v".utf8)[...]) == nil)
        #expect(SDPBase64.decode(Array("Z=9v".utf8)[...]) == nil)
        var rng = XorShift(seed: 42)
        for length in 0..<50 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next(256)) }
            #expect(SDPBase64.decode(Array(SDPBase64.encode(bytes).utf8)[...]) == bytes)
        }
    }
}
