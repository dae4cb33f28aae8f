// SRTPContextTests: the libsrtp2 wrapper against RFC 3711 Appendix B and an independent model; suites, tamper, replay, keys.
import Testing
@testable import Media

@Suite struct SRTPContextTests {
    // A 12-octet RTP header (PT 0, seq 0x1234, ts 0xDECAFBAD, SSRC 0xCAFEBABE) and 160 octets of payload.
    static func rtpPacket(sequence: UInt16 = 0x1234, payloadLength: Int = 160, fill: UInt8 = 0xAB) -> [UInt8] {
        [0x80, 0x00, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0xDE, 0xCA, 0xFB, 0xAD, 0xCA, 0xFE, 0xBA, 0xBE]
            + (0..<payloadLength).map { UInt8(truncatingIfNeeded: Int(fill) + $0) }
    }

    // An RTCP receiver report with one report block (32 octets).
    static let rtcpPacket: [UInt8] = [0x81, 201, 0x00, 0x07, 0xCA, 0xFE, 0xBA, 0xBE] + (0..<24).map { UInt8($0) }

    static func protect(_ ctx: SRTPContext, _ packet: [UInt8], rtcp: Bool = false) -> ([UInt8], SRTPStatus) {
        var buffer = packet + [UInt8](repeating: 0, count: SRTPContext.maximumTrailer)
        var length = packet.count
        let capacity = buffer.count
        let status = buffer.withUnsafeMutableBytes { p in
            rtcp ? ctx.protectRTCP(p.baseAddress!, length: &length, capacity: capacity)
                 : ctx.protectRTP(p.baseAddress!, length: &length, capacity: capacity)
        }
        return (Array(buffer[0..<length]), status)
    }

    static func unprotect(_ ctx: SRTPContext, _ packet: [UInt8], rtcp: Bool = false) -> ([UInt8], SRTPStatus) {
        var buffer = packet
        var length = packet.count
        let status = buffer.withUnsafeMutableBytes { p in
            rtcp ? ctx.unprotectRTCP(p.baseAddress!, length: &length) : ctx.unprotectRTP(p.baseAddress!, length: &length)
        }
        return (Array(buffer[0..<length]), status)
    }

    @Test func appendixB2KeystreamOfTheReferenceModel() {
        // RFC 3711 B.2: the reference AES-CM used below must reproduce the published keystream.
        let key = SRTPReference.hex("2B7E151628AED2A6ABF7158809CF4F3C")
        let iv = SRTPReference.hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000")
        let stream = SRTPReference.keystream(key: key, iv: iv, count: 48)
        #expect(stream == SRTPReference.hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB 41E95B3BB0A2E8DD477901E4FCA894C0"))
    }

    @Test func appendixB3KeyDerivation() {
        let masterKey = SRTPReference.hex("E1F97A0D3E018BE0D64FA32C06DE4139")
        let masterSalt = SRTPReference.hex("0EC675AD498AFEEBB6960B3AABE6")
        #expect(SRTPReference.derive(masterKey: masterKey, masterSalt: masterSalt, label: 0, count: 16)
                == SRTPReference.hex("C61E7A93744F39EE10734AFE3FF7A087"))
        #expect(SRTPReference.derive(masterKey: masterKey, masterSalt: masterSalt, label: 2, count: 14)
                == SRTPReference.hex("30CBBC08863D8C85D49DB34A9AE1"))
        #expect(SRTPReference.derive(masterKey: masterKey, masterSalt: masterSalt, label: 1, count: 20)
                == SRTPReference.hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"))
    }

    @Test(arguments: [SRTPSuite.aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32])
    func libsrtpOutputMatchesTheModelForTheB3MasterKey(suite: SRTPSuite) throws {
        // Our wrapper hands key||salt to libsrtp2; the packet it produces must equal the one computed
        // independently from the RFC 3711 B.3 session keys: this checks key/salt order and tag length.
        let masterKey = SRTPReference.hex("E1F97A0D3E018BE0D64FA32C06DE4139")
        let masterSalt = SRTPReference.hex("0EC675AD498AFEEBB6960B3AABE6")
        let key = try SRTPKeyMaterial(suite: suite, keySalt: masterKey + masterSalt)
        let ctx = try SRTPContext(key: key, direction: .outbound)
        let packet = Self.rtpPacket()
        let (protected, status) = Self.protect(ctx, packet)
        #expect(status == .ok)
        let expected = SRTPReference.protect(
            packet: packet,
            sessionKey: SRTPReference.hex("C61E7A93744F39EE10734AFE3FF7A087"),
            sessionSalt: SRTPReference.hex("30CBBC08863D8C85D49DB34A9AE1"),
            authKey: SRTPReference.derive(masterKey: masterKey, masterSalt: masterSalt, label: 1, count: 20),
            tagLength: suite.rtpOverhead)
        #expect(protected.count == packet.count + suite.rtpOverhead)
        #expect(protected == expected)
    }

    @Test func gcmOutputOpensWithAnIndependentModel() throws {
        // The GCM mapping (key||salt split, IV, AAD, tag) checked against OpenSSL directly.
        let key = try SRTPKeyMaterial.random(suite: .aeadAES128GCM)
        let ctx = try SRTPContext(key: key, direction: .outbound)
        let packet = Self.rtpPacket()
        let (srtp, status) = Self.protect(ctx, packet)
        #expect(status == .ok)
        #expect(SRTPReference.openGCM128(packet: srtp, masterKey: Array(key.masterKey), masterSalt: Array(key.masterSalt)) == packet)
        var tampered = srtp
        tampered[20] ^= 4
        #expect(SRTPReference.openGCM128(packet: tampered, masterKey: Array(key.masterKey), masterSalt: Array(key.masterSalt)) == nil)
    }

    @Test(arguments: SRTPSuite.allCases)
    func roundTripWithAnIndependentContext(suite: SRTPSuite) throws {
        let key = try SRTPKeyMaterial.random(suite: suite)
        let sender = try SRTPContext(key: key, direction: .outbound)
        let receiver = try SRTPContext(key: try SRTPKeyMaterial(suite: suite, inlineKey: key.inlineKey), direction: .inbound)
        for seq in UInt16(100)..<UInt16(110) {
            let packet = Self.rtpPacket(sequence: seq)
            let (srtp, s1) = Self.protect(sender, packet)
            #expect(s1 == .ok)
            #expect(srtp.count == packet.count + suite.rtpOverhead)
            #expect(Array(srtp[12..<packet.count]) != Array(packet[12...]), "payload must be encrypted")
            let (plain, s2) = Self.unprotect(receiver, srtp)
            #expect(s2 == .ok)
            #expect(plain == packet)
        }
        let (srtcp, s3) = Self.protect(sender, Self.rtcpPacket, rtcp: true)
        #expect(s3 == .ok)
        #expect(srtcp.count == Self.rtcpPacket.count + suite.rtcpOverhead)
        let (rtcp, s4) = Self.unprotect(receiver, srtcp, rtcp: true)
        #expect(s4 == .ok)
        #expect(rtcp == Self.rtcpPacket)
    }

    @Test(arguments: SRTPSuite.allCases)
    func tamperedPacketFailsAuthentication(suite: SRTPSuite) throws {
        let key = try SRTPKeyMaterial.random(suite: suite)
        let sender = try SRTPContext(key: key, direction: .outbound)
        let receiver = try SRTPContext(key: key, direction: .inbound)
        var (srtp, _) = Self.protect(sender, Self.rtpPacket())
        srtp[40] ^= 0x01
        #expect(Self.unprotect(receiver, srtp).1 == .authenticationFailed)
        var (srtcp, _) = Self.protect(sender, Self.rtcpPacket, rtcp: true)
        srtcp[10] ^= 0x80
        #expect(Self.unprotect(receiver, srtcp, rtcp: true).1 == .authenticationFailed)
    }

    @Test(arguments: SRTPSuite.allCases)
    func wrongKeyFails(suite: SRTPSuite) throws {
        let sender = try SRTPContext(key: try .random(suite: suite), direction: .outbound)
        let receiver = try SRTPContext(key: try .random(suite: suite), direction: .inbound)
        let (srtp, _) = Self.protect(sender, Self.rtpPacket())
        #expect(Self.unprotect(receiver, srtp).1 == .authenticationFailed)
    }

    @Test func replayedPacketIsRefused() throws {
        let key = try SRTPKeyMaterial.random(suite: .aesCM128HmacSHA1_80)
        let sender = try SRTPContext(key: key, direction: .outbound)
        let receiver = try SRTPContext(key: key, direction: .inbound)
        let (first, _) = Self.protect(sender, Self.rtpPacket(sequence: 1000))
        let (second, _) = Self.protect(sender, Self.rtpPacket(sequence: 1001))
        #expect(Self.unprotect(receiver, first).1 == .ok)
        #expect(Self.unprotect(receiver, second).1 == .ok)
        #expect(Self.unprotect(receiver, first).1 == .replayed)
        let (srtcp, _) = Self.protect(sender, Self.rtcpPacket, rtcp: true)
        #expect(Self.unprotect(receiver, srtcp, rtcp: true).1 == .ok)
        #expect(Self.unprotect(receiver, srtcp, rtcp: true).1 == .replayed)
    }

    @Test func protectNeedsTailRoom() throws {
        let ctx = try SRTPContext(key: try .random(suite: .aesCM128HmacSHA1_80), direction: .outbound)
        var buffer = Self.rtpPacket()
        var length = buffer.count
        let capacity = buffer.count
        let status = buffer.withUnsafeMutableBytes { ctx.protectRTP($0.baseAddress!, length: &length, capacity: capacity) }
        #expect(status == .badLength)
        #expect(length == capacity)
    }

    @Test func keyMaterialLengthsAndInlineEncoding() throws {
        #expect(SRTPSuite.aesCM128HmacSHA1_80.keySaltLength == 30)
        #expect(SRTPSuite.aesCM128HmacSHA1_32.keySaltLength == 30)
        #expect(SRTPSuite.aeadAES128GCM.keySaltLength == 28)
        #expect(SRTPSuite.aeadAES256GCM.keySaltLength == 44)
        for suite in SRTPSuite.allCases {
            #expect(SRTPSuite(sdpName: suite.sdpName) == suite)
            let a = try SRTPKeyMaterial.random(suite: suite)
            let b = try SRTPKeyMaterial.random(suite: suite)
            #expect(a.keySalt.count == suite.keySaltLength)
            #expect(a != b, "two CSPRNG keys must differ")
            #expect(try SRTPKeyMaterial(suite: suite, inlineKey: a.inlineKey + "|2^20|1:4") == a)
            #expect(!a.description.contains(a.inlineKey))
        }
        // RFC 4568 §9.1's example key.
        let k = try SRTPKeyMaterial(suite: .aesCM128HmacSHA1_80, inlineKey: "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32")
        #expect(k.inlineKey == "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz")
        #expect(Array(k.masterKey) == Array("YS___semctl () {".utf8))
        #expect(throws: SRTPError.self) { try SRTPKeyMaterial(suite: .aeadAES128GCM, inlineKey: k.inlineKey) }
        #expect(throws: SRTPError.self) { try SRTPKeyMaterial(suite: .aesCM128HmacSHA1_80, inlineKey: "not*base64") }
        #expect(SRTPSuite(sdpName: "F8_128_HMAC_SHA1_80") == nil)
    }
}
