// DigestVerifierTests: server-side checking of credentials (RFC 7616 §3.6 and §5.5, RFC 3261 §22.3): replay, stale, mismatches, end to end.
import Testing
@testable import SIPCore

struct DigestVerifierTests {
    static let rfc2617Verifier = DigestVerifier(
        realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        opaque: "5ccc069c403ebaf9f0171e9517f40e41", algorithms: [.md5], qopOptions: [.auth, .authInt])
    static let password = DigestSecret.password("Circle Of Life")

    static func rfc2617Credentials() throws -> DigestCredentials {
        try DigestCredentials.parse(DigestCredentialsTests.rfc2617Authorization)
    }

    @Test func acceptsTheRFC2617Example() throws {
        let result = Self.rfc2617Verifier.verify(try Self.rfc2617Credentials(), secret: Self.password, method: "GET",
                                                 requestURI: "/dir/index.html")
        #expect(result == .accepted(nonceCount: 1))
        #expect(result.isAccepted)
    }

    @Test func acceptsWithAStoredHA1AndUpperCaseResponse() throws {
        var credentials = try Self.rfc2617Credentials()
        credentials.response = credentials.response.uppercased()
        let secret = try DigestSecret.precomputedHA1("939e7578ed9e3c518a452acee763bce9", algorithm: .md5)
        #expect(Self.rfc2617Verifier.verify(credentials, username: "Mufasa", secret: secret, method: "GET") == .accepted(nonceCount: 1))
    }

    @Test func rejectsReplayedNonceCounts() throws {
        let credentials = try Self.rfc2617Credentials()
        #expect(Self.rfc2617Verifier.verify(credentials, secret: Self.password, method: "GET", lastNonceCount: 1)
            == .rejected(.nonceCountReplayed))
        #expect(Self.rfc2617Verifier.verify(credentials, secret: Self.password, method: "GET", lastNonceCount: 7)
            == .rejected(.nonceCountReplayed))
        // nc=00000000 is never valid: counting starts at 1.
        var zero = credentials
        zero.nonceCount = 0
        #expect(Self.rfc2617Verifier.verify(zero, secret: Self.password, method: "GET") == .rejected(.nonceCountReplayed))
    }

    @Test func acceptsIncreasingNonceCountsFromTheClient() throws {
        let challenge = DigestChallenge(realm: "atlanta.example.com", nonce: "ea9c8e88df84f1cec4341ae6cbe5a359",
                                        opaque: "", algorithm: .md5)
        let verifier = DigestVerifier(issued: challenge)
        var client = DigestClient(username: "bob", password: "zanzibar")
        var lastSeen: UInt32 = 0
        for expected in UInt32(1)...3 {
            let credentials = try client.authorize(challenge, method: "REGISTER", uri: "sip:atlanta.example.com", cnonce: "c\(expected)")
            let result = verifier.verify(credentials, secret: .password("zanzibar"), method: "REGISTER", lastNonceCount: lastSeen)
            #expect(result == .accepted(nonceCount: expected))
            if case .accepted(let count?) = result { lastSeen = count }
            // The same message again is a replay.
            #expect(verifier.verify(credentials, secret: .password("zanzibar"), method: "REGISTER", lastNonceCount: lastSeen)
                == .rejected(.nonceCountReplayed))
        }
    }

    @Test func wrongPasswordOrTamperedRequestIsRejected() throws {
        let credentials = try Self.rfc2617Credentials()
        let verifier = Self.rfc2617Verifier
        #expect(verifier.verify(credentials, secret: .password("Circle of Life"), method: "GET") == .rejected(.wrongResponse))
        #expect(verifier.verify(credentials, secret: Self.password, method: "POST") == .rejected(.wrongResponse))
        var tampered = credentials
        tampered.uri = "/dir/other.html"
        #expect(verifier.verify(tampered, secret: Self.password, method: "GET") == .rejected(.wrongResponse))
        tampered = credentials
        tampered.cnonce = "0a4f113c"
        #expect(verifier.verify(tampered, secret: Self.password, method: "GET") == .rejected(.wrongResponse))
        tampered = credentials
        tampered.nonceCount = 2
        #expect(verifier.verify(tampered, secret: Self.password, method: "GET") == .rejected(.wrongResponse))
        tampered = credentials
        tampered.response = String(credentials.response.dropLast())
        #expect(verifier.verify(tampered, secret: Self.password, method: "GET") == .rejected(.wrongResponse))
    }

    @Test func digestForAnOlderNonceIsStale() throws {
        let credentials = try Self.rfc2617Credentials()
        var rotated = Self.rfc2617Verifier
        rotated.nonce = "a-newer-nonce"
        rotated.opaque = "a-newer-opaque"
        #expect(rotated.verify(credentials, secret: Self.password, method: "GET", lastNonceCount: 99) == .stale)
        #expect(rotated.verify(credentials, secret: .password("guess"), method: "GET") == .rejected(.wrongResponse))
    }

    @Test func parameterMismatchesAreRejected() throws {
        let credentials = try Self.rfc2617Credentials()
        var verifier = Self.rfc2617Verifier
        verifier.realm = "elsewhere"
        #expect(verifier.verify(credentials, secret: Self.password, method: "GET") == .rejected(.realmMismatch))

        verifier = Self.rfc2617Verifier
        verifier.opaque = "something-else"
        #expect(verifier.verify(credentials, secret: Self.password, method: "GET") == .rejected(.opaqueMismatch))
        verifier.opaque = nil
        #expect(verifier.verify(credentials, secret: Self.password, method: "GET") == .rejected(.opaqueMismatch))

        verifier = Self.rfc2617Verifier
        verifier.algorithms = [.sha256]
        #expect(verifier.verify(credentials, secret: Self.password, method: "GET") == .rejected(.algorithmNotOffered))

        verifier = Self.rfc2617Verifier
        verifier.algorithms = [.md5, .sha512_256]
        var sha512 = credentials
        sha512.algorithm = .sha512_256
        #expect(verifier.verify(sha512, secret: Self.password, method: "GET") == .rejected(.unsupportedAlgorithm))

        verifier = Self.rfc2617Verifier
        verifier.qopOptions = [.authInt]
        #expect(verifier.verify(credentials, secret: Self.password, method: "GET") == .rejected(.qopNotOffered))
        verifier.qopOptions = []
        #expect(verifier.verify(credentials, secret: Self.password, method: "GET") == .rejected(.qopNotOffered))

        #expect(Self.rfc2617Verifier.verify(credentials, secret: Self.password, method: "GET", requestURI: "/elsewhere")
            == .rejected(.uriMismatch))
        #expect(Self.rfc2617Verifier.verify(credentials, username: "Simba", secret: Self.password, method: "GET")
            == .rejected(.usernameMismatch))
        let sha256HA1 = try DigestSecret.precomputedHA1(String(repeating: "a", count: 64), algorithm: .sha256)
        #expect(Self.rfc2617Verifier.verify(credentials, secret: sha256HA1, method: "GET") == .rejected(.secretNotUsable))
    }

    @Test func missingQopFieldsAreRejected() throws {
        let credentials = try Self.rfc2617Credentials()
        var noQop = credentials
        noQop.qop = nil
        #expect(Self.rfc2617Verifier.verify(noQop, secret: Self.password, method: "GET") == .rejected(.qopRequired))
        var noCnonce = credentials
        noCnonce.cnonce = nil
        #expect(Self.rfc2617Verifier.verify(noCnonce, secret: Self.password, method: "GET") == .rejected(.missingCnonce))
        noCnonce.cnonce = ""
        #expect(Self.rfc2617Verifier.verify(noCnonce, secret: Self.password, method: "GET") == .rejected(.missingCnonce))
        var noCount = credentials
        noCount.nonceCount = nil
        #expect(Self.rfc2617Verifier.verify(noCount, secret: Self.password, method: "GET") == .rejected(.missingNonceCount))
        var unknownQop = credentials
        unknownQop.qop = .other("auth-conf")
        var lenient = Self.rfc2617Verifier
        lenient.qopOptions = [.other("auth-conf")]
        #expect(lenient.verify(unknownQop, secret: Self.password, method: "GET") == .rejected(.qopNotOffered))
    }

    @Test func rfc2069ModeAcceptsCredentialsWithoutQop() throws {
        let verifier = DigestVerifier(realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", qopOptions: [])
        let credentials = DigestCredentials(username: "Mufasa", realm: "testrealm@host.com",
                                            nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", uri: "/dir/index.html",
                                            response: "670fd8c2df070c60b045671b8b24ff02")
        #expect(verifier.verify(credentials, secret: Self.password, method: "GET") == .accepted(nonceCount: nil))
        var sess = credentials
        sess.algorithm = .md5Sess
        var sessVerifier = verifier
        sessVerifier.algorithms = [.md5Sess]
        #expect(sessVerifier.verify(sess, secret: Self.password, method: "GET") == .rejected(.missingCnonce))
    }

    @Test func authIntProtectsTheBody() throws {
        let challenge = try DigestChallenge.parse(DigestClientTests.invite407)
        var client = DigestClient(username: "alice", password: "wonderland", prefersAuthInt: true)
        let credentials = try client.authorize(challenge, method: "INVITE", uri: "sip:bob@biloxi.example.com",
                                               body: DigestClientTests.sdpOffer, cnonce: "8f3a9c2e")
        let verifier = DigestVerifier(issued: challenge)
        #expect(verifier.verify(credentials, secret: .password("wonderland"), method: "INVITE",
                                body: DigestClientTests.sdpOffer) == .accepted(nonceCount: 1))
        var altered = DigestClientTests.sdpOffer
        altered[altered.count - 3] ^= 0x01
        #expect(verifier.verify(credentials, secret: .password("wonderland"), method: "INVITE", body: altered)
            == .rejected(.wrongResponse))
    }

    @Test func userhashNeedsTheAccountToResolve() throws {
        let challenge = try DigestChallenge.parse(DigestChallengeTests.rfc7616SHA256 + ", userhash=true")
        var client = DigestClient(username: "Mufasa", password: "Circle of Life")
        let credentials = try client.authorize(challenge, method: "GET", uri: "/dir/index.html", cnonce: "c")
        let verifier = DigestVerifier(issued: challenge)
        let secret = DigestSecret.password("Circle of Life")
        #expect(verifier.verify(credentials, username: "Mufasa", secret: secret, method: "GET") == .accepted(nonceCount: 1))
        #expect(verifier.verify(credentials, secret: secret, method: "GET") == .rejected(.unresolvedUserhash))
        #expect(verifier.verify(credentials, username: "Simba", secret: secret, method: "GET") == .rejected(.usernameMismatch))
    }

    // A server offering SHA-256 then MD5 for one nonce (RFC 8760), the client picking the strongest,
    // every message going through text.
    @Test func endToEndOverTheWire() throws {
        let offers = [
            DigestChallenge(realm: "trunk.example.net", nonce: "5a1b2c3d", opaque: "op", algorithm: .sha256),
            DigestChallenge(realm: "trunk.example.net", nonce: "5a1b2c3d", opaque: "op", algorithm: .md5),
        ]
        let header = try offers.map { try $0.serialized() }.joined(separator: ", ")

        let received = try DigestAuthChallenge.parseList(header)
        let chosen = try #require(DigestChallenge.preferred(from: received))
        #expect(chosen.algorithm == .sha256)
        var client = DigestClient(username: "pbx01", password: "s3cr3t \"quoted\"")
        let authorization = try client.authorize(chosen, method: "INVITE", uri: "sip:+15551234567@trunk.example.net",
                                                 cnonce: "0123abcd").serialized()

        let verifier = DigestVerifier(realm: "trunk.example.net", nonce: "5a1b2c3d", opaque: "op",
                                      algorithms: [.sha256, .md5], qopOptions: [.auth])
        let parsed = try DigestCredentials.parse(authorization)
        #expect(verifier.verify(parsed, username: "pbx01", secret: .password("s3cr3t \"quoted\""), method: "INVITE",
                                requestURI: "sip:+15551234567@trunk.example.net") == .accepted(nonceCount: 1))

        // The MD5 offer works too when the client only takes that one.
        var md5Client = DigestClient(username: "pbx01", password: "s3cr3t \"quoted\"")
        let md5Authorization = try md5Client.authorize(offers[1], method: "INVITE", uri: "sip:x@y", cnonce: "99").serialized()
        #expect(verifier.verify(try DigestCredentials.parse(md5Authorization), secret: .password("s3cr3t \"quoted\""),
                                method: "INVITE") == .accepted(nonceCount: 1))
    }
}
