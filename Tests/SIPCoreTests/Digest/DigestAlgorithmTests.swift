// DigestAlgorithmTests: the algorithm and qop tokens of RFC 7616 §3.3 and §6.1 (case-insensitive, registry spellings, support and ranking).
import Testing
@testable import SIPCore

struct DigestAlgorithmTests {
    @Test(arguments: [
        ("MD5", DigestAlgorithm.md5, false, true, 1),
        ("md5-SESS", .md5Sess, true, true, 1),
        ("sha-256", .sha256, false, true, 2),
        ("SHA-256-sess", .sha256Sess, true, true, 2),
        ("SHA-512-256", .sha512_256, false, false, 0),
        ("sha-512-256-Sess", .sha512_256Sess, true, false, 0),
    ])
    func registeredAlgorithms(token: String, expected: DigestAlgorithm, session: Bool, supported: Bool, strength: Int) {
        let algorithm = DigestAlgorithm(token: token)
        #expect(algorithm == expected)
        #expect(algorithm.isSession == session)
        #expect(algorithm.isSupported == supported)
        #expect(algorithm.strength == strength)
        #expect(DigestAlgorithm(token: algorithm.token) == algorithm)
        #expect("\(algorithm)" == algorithm.token)
        #expect((algorithm.hexDigest("abc") != nil) == supported)
    }

    @Test func canonicalSpellings() {
        #expect(DigestAlgorithm.md5Sess.token == "MD5-sess")
        #expect(DigestAlgorithm.sha256.token == "SHA-256")
        #expect(DigestAlgorithm.sha512_256Sess.token == "SHA-512-256-sess")
        #expect(DigestAlgorithm(token: "AKAv1-MD5") == .other("AKAv1-MD5"))
        #expect(DigestAlgorithm(token: "AKAv1-MD5").token == "AKAv1-MD5")
        #expect(!DigestAlgorithm.other("X").isSupported)
    }

    @Test func hashHelpersUseTheRightFunction() {
        #expect(DigestAlgorithm.md5.hexDigest("abc") == "900150983cd24fb0d6963f7d28e17f72")
        #expect(DigestAlgorithm.sha256Sess.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(DigestAlgorithm.md5.userhash(username: "a", realm: "b") == MD5.hexDigest("a:b"))
    }

    @Test func qopTokens() {
        #expect(DigestQop(token: "AUTH") == .auth)
        #expect(DigestQop(token: "Auth-Int") == .authInt)
        #expect(DigestQop(token: "auth-conf") == .other("auth-conf"))
        #expect(DigestQop.authInt.token == "auth-int")
        #expect("\(DigestQop.auth)" == "auth")
        #expect(DigestQop.auth.isSupported && DigestQop.authInt.isSupported)
        #expect(!DigestQop.other("auth-conf").isSupported)
    }
}
