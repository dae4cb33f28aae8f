// DigestHashTests: MD5 against the RFC 1321 §A.5 test suite and SHA-256 against the FIPS 180-4 / NIST example vectors.
import Testing
@testable import SIPCore

struct DigestHashTests {
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5RFC1321Suite(input: String, expected: String) {
        #expect(MD5.hexDigest(input) == expected)
        #expect(MD5.hexDigest(Array(input.utf8)) == expected)
        #expect(MD5.hash(input).count == MD5.byteCount)
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func sha256FIPSVectors(input: String, expected: String) {
        #expect(SHA256.hexDigest(input) == expected)
        #expect(SHA256.hexDigest(Array(input.utf8)) == expected)
        #expect(SHA256.hash(input).count == SHA256.byteCount)
    }

    @Test func oneMillionAsStreamedInUnevenChunks() {
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 997)
        var md5 = MD5()
        var sha = SHA256()
        var fed = 0
        while fed < 1_000_000 {
            let take = min(chunk.count, 1_000_000 - fed)
            md5.update(chunk[0..<take])
            sha.update(chunk[0..<take])
            fed += take
        }
        #expect(md5.finalizeHex() == "7707d6ae4e027c70eea2a935c2296f21")
        #expect(sha.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func oneMillionAsOneShot() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(MD5.hexDigest(million) == "7707d6ae4e027c70eea2a935c2296f21")
        #expect(SHA256.hexDigest(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    // Every split point of a 1000-byte message gives the same digest as Python's hashlib on the whole.
    @Test func everySplitPointAgrees() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for split in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 500, 999, 1000] {
            var md5 = MD5()
            var sha = SHA256()
            md5.update(data[0..<split])
            md5.update(data[split...])
            sha.update(data[0..<split])
            sha.update(data[split...])
            #expect(md5.finalizeHex() == "2b1e78d5765de9e10495a01412a1cf22", "split \(split)")
            #expect(sha.finalizeHex() == "5097e7d587352f5097062ae679f37bda5802d9f875aba14c8cb4d1a188ada179", "split \(split)")
        }
    }

    @Test func finalizeLeavesHasherUsable() {
        var sha = SHA256()
        sha.update("ab")
        #expect(sha.finalizeHex() == SHA256.hexDigest("ab"))
        sha.update("c")
        #expect(sha.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var md5 = MD5()
        md5.update("a")
        _ = md5.finalize()
        md5.update("bc")
        #expect(md5.finalizeHex() == "900150983cd24fb0d6963f7d28e17f72")
    }

    @Test func rawBufferAndEmptyUpdates() {
        var md5 = MD5()
        md5.update(UnsafeRawBufferPointer(start: nil, count: 0))
        let bytes: [UInt8] = Array("message digest".utf8)
        bytes.withUnsafeBytes { md5.update($0) }
        md5.update([UInt8]())
        #expect(md5.finalizeHex() == "f96b697d7cb7938d525a2f31aaf161d0")
    }

    @Test func hexHelpers() {
        #expect(DigestHex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(DigestHex.nonceCount(1) == "00000001")
        #expect(DigestHex.nonceCount(0xDEADBEEF) == "deadbeef")
        #expect(DigestHex.parseNonceCount("0000000A") == 10)
        #expect(DigestHex.parseNonceCount("ffffffff") == UInt32.max)
        #expect(DigestHex.parseNonceCount("0000001") == nil)
        #expect(DigestHex.parseNonceCount("000000001") == nil)
        #expect(DigestHex.parseNonceCount("0000000g") == nil)
        #expect(DigestHex.parseNonceCount("") == nil)
    }

    @Test func constantTimeComparison() {
        #expect(DigestConstantTime.equalIgnoringASCIICase("6629fae4", "6629FAE4"))
        #expect(!DigestConstantTime.equalIgnoringASCIICase("6629fae4", "6629fae5"))
        #expect(!DigestConstantTime.equalIgnoringASCIICase("6629fae4", "6629fae"))
        #expect(DigestConstantTime.equalIgnoringASCIICase("", ""))
        // Only letters fold: "@" (0x40) and "`" (0x60) must not be confused, nor "[" and "{".
        #expect(!DigestConstantTime.equalIgnoringASCIICase("@", "`"))
        #expect(!DigestConstantTime.equalIgnoringASCIICase("[", "{"))
    }
}
