// PasswordHashTests: PBKDF2-HMAC-SHA256 known answers (RFC 7914 §11), the stored format, the policy.
import Testing
@testable import Console

@Suite struct PasswordHashTests {
    func hex(_ b: [UInt8]) -> String { b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }

    @Test func rfc7914KnownAnswers() throws {
        let one = try PasswordHash.pbkdf2(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        #expect(hex(one) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        let many = try PasswordHash.pbkdf2(password: Array("Password".utf8), salt: Array("NaCl".utf8), iterations: 80000, length: 64)
        #expect(hex(many) == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")
    }

    @Test func newHashesAreSaltedStoredAndVerified() throws {
        let pw = Array("Correct horse 9".utf8)
        let h = try PasswordHash(password: pw, iterations: 100_000)
        #expect(h.salt.count == 16 && h.hash.count == 32 && h.iterations == 100_000)
        let text = h.encoded
        #expect(text.hasPrefix("pbkdf2-sha256$100000$"))
        #expect(text.split(separator: "$").count == 4)
        let back = try PasswordHash(parsing: text)
        #expect(back == h)
        #expect(back.verify(pw))
        #expect(!back.verify(Array("Correct horse 8".utf8)))
        #expect(!back.verify([]))
        let again = try PasswordHash(password: pw, iterations: 100_000)
        #expect(again.salt != h.salt, "a fresh random salt each time")
        #expect(!h.description.contains(Base64.encode(h.hash)), "description hides the hash")
    }

    @Test func tooFewIterationsAreRefusedForNewHashes() {
        #expect(throws: PasswordHash.Failure.self) { try PasswordHash(password: [1, 2, 3], iterations: 99_999) }
    }

    @Test func storedValuesAreCheckedField() {
        for bad in ["", "pbkdf2-sha256$1000", "md5$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==",
                    "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                    "pbkdf2-sha256$99999999999$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                    "pbkdf2-sha256$100000$!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                    "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AA=="] {
            #expect(throws: PasswordHash.Failure.self, "\(bad)") { try PasswordHash(parsing: bad) }
        }
    }

    @Test func base64RoundTripsAndRefusesJunk() {
        for n in 0..<20 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + 11) & 0xFF) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm9") == nil)
        #expect(Base64.decode("Zm9v!mFy") == nil)
    }

    @Test func policyWantsLengthAndVariety() {
        #expect(PasswordPolicy.problem(with: Array("short1".utf8)) != nil)
        #expect(PasswordPolicy.problem(with: Array("alllowercase".utf8)) != nil)
        #expect(PasswordPolicy.problem(with: Array("12121212".utf8)) != nil)
        #expect(PasswordPolicy.problem(with: Array("Cupboard42".utf8)) == nil)
        #expect(PasswordHash.constantTimeEqual([1, 2], [1, 2]))
        #expect(!PasswordHash.constantTimeEqual([1, 2], [1, 3]))
        #expect(!PasswordHash.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}
