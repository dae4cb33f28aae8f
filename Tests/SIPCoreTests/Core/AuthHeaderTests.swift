// AuthHeaderTests: WWW-/Proxy-Authenticate and Authorization as typed views of a message (RFC 3261 §22).
import Testing
@testable import SIPCore

@Suite struct AuthHeaderTests {
    @Test func challengeInA401IsReadAndAnswered() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("sip/unauthorized.sip"))
        let challenges = try m.headers.wwwAuthenticate
        #expect(challenges.count == 1)
        let c = try #require(DigestChallenge.preferred(from: challenges))
        #expect(c.realm == "sip.skype.com" && c.nonce == "5f2b1a9c0d3e4f60" && c.algorithm == .md5)
        var client = DigestClient(username: "99051000012345", password: "not-the-real-one")
        let creds = try client.authorize(c, method: SIPMethod.register.rawValue, uri: "sip:sip.skype.com", cnonce: "0a4f113b")
        // The server side recomputes the same answer from the same secret, and refuses a wrong one.
        let verifier = DigestVerifier(issued: c)
        #expect(verifier.verify(creds, secret: .password("not-the-real-one"), method: "REGISTER").isAccepted)
        #expect(!verifier.verify(creds, secret: .password("wrong"), method: "REGISTER").isAccepted)
    }

    @Test func credentialsInARegisterAreTyped() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("sip/register.sip"))
        let creds = try #require(try m.headers.authorization.first)
        #expect(creds.username == "99051000012345" && creds.nonceCount == 1 && creds.qop == .auth)
    }

    @Test func unknownSchemesAreKeptAndMalformedDigestIsRefused() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("rfc4475/regaut01.sip"))
        #expect(try m.headers.authorization.isEmpty, "a non-Digest scheme is not Digest credentials")
        let bad = "SIP/2.0 407 Proxy Authentication Required\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
            + "To: <sip:a@b>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nProxy-Authenticate: Digest realm=\"x, nonce=\"y\"\r\nContent-Length: 0\r\n\r\n"
        let e = #expect(throws: SIPParseError.self) { try SIPMessage(parsing: bad) }
        #expect(e?.line == 7)
    }
}
