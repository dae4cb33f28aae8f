// DigestClientTests: UAC responses against RFC 2617 §3.5 and RFC 7616 §3.9.1 vectors, SIP 401/407 flows (RFC 3261 §22.2-§22.4), nc and stale handling.
import Testing
@testable import SIPCore

// Expected values not printed in an RFC were computed independently with Python's hashlib.
struct DigestClientTests {
    static let rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
    static let rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
    static let rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"

    // MARK: - Published vectors

    @Test func rfc2617Section3_5() throws {
        let response = try DigestClient.response(
            algorithm: .md5, username: "Mufasa", realm: "testrealm@host.com", secret: .password("Circle Of Life"),
            method: "GET", uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            cnonce: "0a4f113b", nonceCount: 1, qop: .auth)
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test func rfc2617ThroughTheClientMatchesThePublishedAuthorization() throws {
        let challenge = try DigestChallenge.parse("""
            Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", \
            opaque="5ccc069c403ebaf9f0171e9517f40e41"
            """)
        var client = DigestClient(username: "Mufasa", password: "Circle Of Life")
        let credentials = try client.authorize(challenge, method: "GET", uri: "/dir/index.html", cnonce: "0a4f113b")
        #expect(credentials == (try DigestCredentials.parse(DigestCredentialsTests.rfc2617Authorization)))
    }

    @Test(arguments: [
        (DigestChallengeTests.rfc7616MD5, DigestAlgorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
        (DigestChallengeTests.rfc7616SHA256, DigestAlgorithm.sha256,
         "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ])
    func rfc7616Section3_9_1(header: String, algorithm: DigestAlgorithm, expected: String) throws {
        let challenge = try DigestChallenge.parse(header)
        var client = DigestClient(username: "Mufasa", password: "Circle of Life")
        let credentials = try client.authorize(challenge, method: "GET", uri: "/dir/index.html", cnonce: Self.rfc7616Cnonce)
        #expect(credentials.response == expected)
        #expect(credentials.algorithm == algorithm)
        #expect(credentials.qop == .auth)
        #expect(credentials.nonceCount == 1)
        #expect(credentials.cnonce == Self.rfc7616Cnonce)
        #expect(credentials.opaque == Self.rfc7616Opaque)
        #expect(credentials.username == "Mufasa")
        #expect(credentials.realm == "http-auth@example.org")
        #expect(credentials.uri == "/dir/index.html")
        #expect(credentials.nonce == Self.rfc7616Nonce)
    }

    @Test func rfc7616VectorsThroughTheStaticFunction() throws {
        for (algorithm, expected) in [(DigestAlgorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
                                      (.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")] {
            let response = try DigestClient.response(
                algorithm: algorithm, username: "Mufasa", realm: "http-auth@example.org",
                secret: .password("Circle of Life"), method: "GET", uri: "/dir/index.html",
                nonce: Self.rfc7616Nonce, cnonce: Self.rfc7616Cnonce, nonceCount: 1, qop: .auth)
            #expect(response == expected)
        }
    }

    // MARK: - SIP-shaped flows

    // REGISTER challenged by a registrar's 401 (RFC 3665 §2.1 shape), then refreshed with the same nonce.
    @Test func registerAnswersA401AndCountsNonceUses() throws {
        let challenge = try DigestChallenge.parse("""
            Digest realm="atlanta.example.com", qop="auth", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", \
            opaque="", stale=FALSE, algorithm=MD5
            """)
        var client = DigestClient(username: "bob", password: "zanzibar")
        #expect(client.assess(challenge, previous: nil) == .respond)

        let first = try client.authorize(challenge, method: "REGISTER", uri: "sips:ss2.biloxi.example.com", cnonce: "0a4f113b")
        #expect(first.response == "fb435565e3b8d14aafad09f8bec61e73")
        #expect(try first.serialized() == """
            Digest username="bob", realm="atlanta.example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", \
            uri="sips:ss2.biloxi.example.com", response="fb435565e3b8d14aafad09f8bec61e73", algorithm=MD5, \
            cnonce="0a4f113b", opaque="", qop=auth, nc=00000001
            """)

        let refresh = try client.authorize(challenge, method: "REGISTER", uri: "sips:ss2.biloxi.example.com", cnonce: "0a4f113b")
        #expect(refresh.nonceCount == 2)
        #expect(refresh.response == "0a91c0f0ded2fba77f78842108241d73")
        #expect(client.nonceCounter(forRealm: "atlanta.example.com")?.count == 2)
    }

    static let sdpOffer: [UInt8] = Array("""
        v=0\r
        o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com\r
        s=-\r
        c=IN IP4 192.0.2.101\r
        t=0 0\r
        m=audio 49172 RTP/AVP 0\r
        a=rtpmap:0 PCMU/8000\r

        """.utf8)

    static let invite407 = """
        Digest realm="biloxi.example.com", qop="auth,auth-int", nonce="f84f1cec41e6cbe5aea9c8e88d359", \
        opaque="", stale=FALSE, algorithm=SHA-256
        """

    // INVITE challenged by a proxy's 407 with SHA-256 (RFC 8760), answered with qop=auth-int over the SDP body.
    @Test func inviteAnswersA407WithAuthIntOverTheBody() throws {
        let challenge = try DigestChallenge.parse(Self.invite407)
        var client = DigestClient(username: "alice", password: "wonderland", prefersAuthInt: true)
        let credentials = try client.authorize(challenge, method: "INVITE", uri: "sip:bob@biloxi.example.com",
                                               body: Self.sdpOffer, cnonce: "8f3a9c2e")
        #expect(credentials.qop == .authInt)
        #expect(credentials.algorithm == .sha256)
        #expect(credentials.response == "b959df7e2aada613152a434832899172510838b518f03dfd1f9c259588a499a0")
    }

    @Test func inviteUsesAuthWhenNotPreferringIntegrity() throws {
        let challenge = try DigestChallenge.parse(Self.invite407)
        var client = DigestClient(username: "alice", password: "wonderland")
        let credentials = try client.authorize(challenge, method: "INVITE", uri: "sip:bob@biloxi.example.com",
                                               body: Self.sdpOffer, cnonce: "8f3a9c2e")
        #expect(credentials.qop == .auth)
        #expect(credentials.response == "1d6a64e57735372b76f66072d2d109199d0adaace81d7a9b60a77113f732873f")
    }

    @Test func authIntIsUsedWhenItIsTheOnlyOffer() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="atlanta.example.com", nonce="abc", qop="auth-int""#)
        var client = DigestClient(username: "bob", password: "zanzibar")
        let credentials = try client.authorize(challenge, method: "REGISTER", uri: "sip:atlanta.example.com", cnonce: "c1")
        #expect(credentials.qop == .authInt)
        // Empty body: H(entity-body) is MD5("").
        #expect(credentials.response == "4bb0e83333704bd8744fe56af36e5a3d")
    }

    // MARK: - Compatibility and -sess

    @Test func rfc2069ModeWithoutQop() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093""#)
        var client = DigestClient(username: "Mufasa", password: "Circle Of Life")
        let credentials = try client.authorize(challenge, method: "GET", uri: "/dir/index.html", cnonce: "unused")
        #expect(credentials.response == "670fd8c2df070c60b045671b8b24ff02")
        #expect(credentials.qop == nil)
        #expect(credentials.cnonce == nil)
        #expect(credentials.nonceCount == nil)
        #expect(credentials.algorithm == nil)
        #expect(try credentials.serialized() == """
            Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", \
            uri="/dir/index.html", response="670fd8c2df070c60b045671b8b24ff02"
            """)
        #expect(client.nonceCounter(forRealm: "testrealm@host.com") == nil)
    }

    @Test func sessionVariants() throws {
        let md5Sess = try DigestClient.response(
            algorithm: .md5Sess, username: "Mufasa", realm: "testrealm@host.com", secret: .password("Circle Of Life"),
            method: "GET", uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            cnonce: "0a4f113b", nonceCount: 1, qop: .auth)
        #expect(md5Sess == "8e3825c57e897f5a0dec6c2d4e5059d0")

        let challenge = try DigestChallenge.parse(
            "Digest realm=\"http-auth@example.org\", qop=\"auth\", algorithm=SHA-256-sess, nonce=\"\(Self.rfc7616Nonce)\"")
        var client = DigestClient(username: "Mufasa", password: "Circle of Life")
        let credentials = try client.authorize(challenge, method: "GET", uri: "/dir/index.html", cnonce: Self.rfc7616Cnonce)
        #expect(credentials.algorithm == .sha256Sess)
        #expect(credentials.response == "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7")
    }

    @Test func userhashSendsHashedUsernameButSameResponse() throws {
        let challenge = try DigestChallenge.parse(DigestChallengeTests.rfc7616SHA256 + ", userhash=true")
        var client = DigestClient(username: "Mufasa", password: "Circle of Life")
        let credentials = try client.authorize(challenge, method: "GET", uri: "/dir/index.html", cnonce: Self.rfc7616Cnonce)
        #expect(credentials.userhash)
        #expect(credentials.username == "a947aad205e80e429958a387394944c6b496301e79f89d35a4cc23b6ee12b5b6")
        #expect(credentials.response == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
        #expect(DigestAlgorithm.sha256.userhash(username: "Mufasa", realm: "http-auth@example.org") == credentials.username)
        #expect(DigestAlgorithm.sha512_256.userhash(username: "Mufasa", realm: "x") == nil)
    }

    @Test func precomputedHA1WorksLikeThePassword() throws {
        let ha1 = try #require(DigestSecret.computeHA1(username: "Mufasa", realm: "testrealm@host.com",
                                                        password: "Circle Of Life", algorithm: .md5))
        #expect(ha1 == "939e7578ed9e3c518a452acee763bce9")
        let response = try DigestClient.response(
            algorithm: .md5, username: "Mufasa", realm: "testrealm@host.com",
            secret: try .precomputedHA1(ha1.uppercased(), algorithm: .md5Sess),
            method: "GET", uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            cnonce: "0a4f113b", nonceCount: 1, qop: .auth)
        #expect(response == "6629fae49393a05397450978507c4ef1")
        // An MD5 HA1 cannot answer a SHA-256 challenge.
        #expect(throws: SIPParseError.self) {
            try DigestClient.response(algorithm: .sha256, username: "Mufasa", realm: "testrealm@host.com",
                                      secret: try .precomputedHA1(ha1, algorithm: .md5), method: "GET", uri: "/",
                                      nonce: "n", cnonce: "c", nonceCount: 1, qop: .auth)
        }
        #expect(throws: SIPParseError.self) { try DigestSecret.precomputedHA1("abc", algorithm: .md5) }
        #expect(throws: SIPParseError.self) { try DigestSecret.precomputedHA1(ha1, algorithm: .sha256) }
        #expect(throws: SIPParseError.self) { try DigestSecret.precomputedHA1(String(repeating: "z", count: 32), algorithm: .md5) }
        #expect(throws: SIPParseError.self) { try DigestSecret.precomputedHA1(ha1, algorithm: .sha512_256) }
    }

    // MARK: - Refusals

    @Test func unanswerableChallengesThrow() throws {
        var client = DigestClient(username: "u", password: "p")
        let sha512 = try DigestChallenge.parse(#"Digest realm="r", nonce="n", algorithm=SHA-512-256, qop="auth""#)
        #expect(throws: SIPParseError.self) { try client.authorize(sha512, method: "REGISTER", uri: "sip:r", cnonce: "c") }
        let conf = try DigestChallenge.parse(#"Digest realm="r", nonce="n", qop="auth-conf""#)
        #expect(throws: SIPParseError.self) { try client.authorize(conf, method: "REGISTER", uri: "sip:r", cnonce: "c") }
        let latin1 = try DigestChallenge.parse(#"Digest realm="r", nonce="n", charset=ISO-8859-1"#)
        #expect(throws: SIPParseError.self) { try client.authorize(latin1, method: "REGISTER", uri: "sip:r", cnonce: "c") }
        let plain = try DigestChallenge.parse(#"Digest realm="r", nonce="n", qop="auth""#)
        #expect(throws: SIPParseError.self) { try client.authorize(plain, method: "REGISTER", uri: "sip:r", cnonce: "") }
        // Nothing was counted for the refused attempts.
        #expect(client.nonceCounter(forRealm: "r") == nil)
        #expect(throws: SIPParseError.self) {
            try DigestClient.response(algorithm: .md5Sess, username: "u", realm: "r", secret: .password("p"),
                                      method: "GET", uri: "/", nonce: "n")
        }
        #expect(throws: SIPParseError.self) {
            try DigestClient.response(algorithm: .md5, username: "u", realm: "r", secret: .password("p"),
                                      method: "GET", uri: "/", nonce: "n", cnonce: "c", qop: .auth)
        }
        #expect(throws: SIPParseError.self) {
            try DigestClient.response(algorithm: .md5, username: "u", realm: "r", secret: .password("p"),
                                      method: "GET", uri: "/", nonce: "n", nonceCount: 1, qop: .auth)
        }
    }

    // MARK: - Nonce counting and stale handling

    @Test func nonceCounterIncrementsAndResetsOnNewNonce() throws {
        var counter = DigestNonceCounter()
        #expect(counter.nonce == nil)
        #expect(try counter.next(for: "a") == 1)
        #expect(try counter.next(for: "a") == 2)
        #expect(try counter.next(for: "a") == 3)
        #expect(try counter.next(for: "b") == 1)
        #expect(counter.nonce == "b")
        #expect(try counter.next(for: "a") == 1)
        counter.reset()
        #expect(counter.count == 0)
        #expect(try counter.next(for: "a") == 1)
    }

    @Test func nonceCounterRefusesToWrap() throws {
        var counter = DigestNonceCounter(nonce: "a", count: UInt32.max - 1)
        #expect(try counter.next(for: "a") == UInt32.max)
        #expect(throws: SIPParseError.self) { try counter.next(for: "a") }
        #expect(try counter.next(for: "fresh") == 1)
    }

    @Test func staleChallengeRetriesWithTheNewNonceAndSamePassword() throws {
        var client = DigestClient(username: "bob", password: "zanzibar")
        let first = try DigestChallenge.parse(#"Digest realm="atlanta.example.com", nonce="old", qop="auth""#)
        let sent = try client.authorize(first, method: "REGISTER", uri: "sip:atlanta.example.com", cnonce: "c1")
        _ = try client.authorize(first, method: "REGISTER", uri: "sip:atlanta.example.com", cnonce: "c2")
        #expect(client.nonceCounter(forRealm: "atlanta.example.com")?.count == 2)

        let stale = try DigestChallenge.parse(#"Digest realm="atlanta.example.com", nonce="new", qop="auth", stale=true"#)
        #expect(client.assess(stale, previous: sent) == .retryWithNewNonce)
        let retry = try client.authorize(stale, method: "REGISTER", uri: "sip:atlanta.example.com", cnonce: "c3")
        #expect(retry.nonce == "new")
        #expect(retry.nonceCount == 1)
        let verifier = DigestVerifier(issued: stale)
        #expect(verifier.verify(retry, secret: .password("zanzibar"), method: "REGISTER") == .accepted(nonceCount: 1))
    }

    @Test func assessmentDistinguishesRejectionFromStaleness() throws {
        let client = DigestClient(username: "bob", password: "wrong")
        let sent = DigestCredentials(username: "bob", realm: "atlanta.example.com", nonce: "n1", uri: "sip:a", response: "0")
        let fresh = try DigestChallenge.parse(#"Digest realm="atlanta.example.com", nonce="n2", qop="auth""#)
        let stale = try DigestChallenge.parse(#"Digest realm="atlanta.example.com", nonce="n2", qop="auth", stale=true"#)
        let staleSameNonce = try DigestChallenge.parse(#"Digest realm="atlanta.example.com", nonce="n1", stale=true"#)
        let otherRealm = try DigestChallenge.parse(#"Digest realm="proxy.example.com", nonce="p1""#)
        let unsupported = try DigestChallenge.parse(#"Digest realm="atlanta.example.com", nonce="n2", algorithm=SHA-512-256"#)
        #expect(client.assess(fresh, previous: nil) == .respond)
        #expect(client.assess(fresh, previous: sent) == .credentialsRejected)
        #expect(client.assess(stale, previous: sent) == .retryWithNewNonce)
        #expect(client.assess(staleSameNonce, previous: sent) == .credentialsRejected)
        #expect(client.assess(otherRealm, previous: sent) == .respond)
        #expect(client.assess(unsupported, previous: nil) == .unsupported)
    }

    @Test func countersAreKeptPerRealm() throws {
        var client = DigestClient(username: "alice", password: "wonderland")
        let registrar = try DigestChallenge.parse(#"Digest realm="a", nonce="x", qop="auth""#)
        let proxy = try DigestChallenge.parse(#"Digest realm="b", nonce="y", qop="auth""#)
        #expect(try client.authorize(registrar, method: "INVITE", uri: "sip:b", cnonce: "1").nonceCount == 1)
        #expect(try client.authorize(proxy, method: "INVITE", uri: "sip:b", cnonce: "2").nonceCount == 1)
        #expect(try client.authorize(registrar, method: "INVITE", uri: "sip:b", cnonce: "3").nonceCount == 2)
        #expect(try client.authorize(proxy, method: "INVITE", uri: "sip:b", cnonce: "4").nonceCount == 2)
    }
}
