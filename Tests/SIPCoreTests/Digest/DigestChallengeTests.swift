// DigestChallengeTests: parsing and serializing WWW-Authenticate / Proxy-Authenticate values per RFC 7235 §4.1, RFC 7616 §3.3 and RFC 3261 §25.
import Testing
@testable import SIPCore

struct DigestChallengeTests {
    static let rfc7616SHA256 = """
        Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, \
        nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
        """
    static let rfc7616MD5 = """
        Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, \
        nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
        """

    // MARK: - Well-formed challenges

    @Test func rfc7616SHA256Challenge() throws {
        let challenge = try DigestChallenge.parse(Self.rfc7616SHA256)
        #expect(challenge.realm == "http-auth@example.org")
        #expect(challenge.nonce == "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v")
        #expect(challenge.opaque == "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")
        #expect(challenge.algorithm == .sha256)
        #expect(challenge.qopOptions == [.auth, .authInt])
        #expect(challenge.stale == false)
        #expect(challenge.userhash == false)
        #expect(challenge.domain.isEmpty)
        #expect(challenge.extensionParameters.isEmpty)
        #expect(challenge.isSupported)
    }

    // RFC 3665 §2.1-style 401 to a REGISTER: empty opaque, upper-case FALSE, unquoted algorithm.
    @Test func sipRegister401Challenge() throws {
        let challenge = try DigestChallenge.parse("""
            Digest realm="atlanta.example.com", qop="auth", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", \
            opaque="", stale=FALSE, algorithm=MD5
            """)
        #expect(challenge.realm == "atlanta.example.com")
        #expect(challenge.opaque == "")
        #expect(challenge.opaque != nil)
        #expect(challenge.stale == false)
        #expect(challenge.algorithm == .md5)
        #expect(challenge.qopOptions == [.auth])
    }

    @Test func sipInvite407ProxyChallenge() throws {
        let challenge = try DigestChallenge.parse("""
            Digest realm="biloxi.example.com", domain="sip:ss1.carrier.com sip:ss2.carrier.com", \
            qop="auth,auth-int", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=TRUE, algorithm=SHA-256
            """)
        #expect(challenge.domain == ["sip:ss1.carrier.com", "sip:ss2.carrier.com"])
        #expect(challenge.stale)
        #expect(challenge.algorithm == .sha256)
        #expect(challenge.qopOptions == [.auth, .authInt])
    }

    @Test func absentAlgorithmMeansMD5AndAbsentQopIsEmpty() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="r", nonce="n""#)
        #expect(challenge.algorithm == nil)
        #expect(challenge.effectiveAlgorithm == .md5)
        #expect(challenge.qopOptions.isEmpty)
        #expect(challenge.opaque == nil)
        #expect(challenge.isSupported)
    }

    @Test func namesAreCaseInsensitiveAndLWSIsAllowedAroundSeparators() throws {
        let challenge = try DigestChallenge.parse("digest   REALM =\t\"Example\" ,NONCE= abc123 ,\t Algorithm =sha-256-SESS ,QoP = \"AUTH\"")
        #expect(challenge.realm == "Example")
        #expect(challenge.nonce == "abc123")
        #expect(challenge.algorithm == .sha256Sess)
        #expect(challenge.algorithm?.isSession == true)
        #expect(challenge.qopOptions == [.auth])
    }

    @Test func foldedLineBreaksCountAsWhitespace() throws {
        let challenge = try DigestChallenge.parse("Digest realm=\"a\r\n b\",\r\n\tnonce=\"n\"")
        #expect(challenge.realm == "a b")
        #expect(challenge.nonce == "n")
    }

    @Test func quotedPairsAreUnescaped() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="say \"hi\" \\ \o/", nonce="n""#)
        #expect(challenge.realm == #"say "hi" \ o/"#)
    }

    @Test func quotedStringsCarryCommasEqualsAndUTF8() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="a, b=c", nonce="x=y,z", opaque="Zürich""#)
        #expect(challenge.realm == "a, b=c")
        #expect(challenge.nonce == "x=y,z")
        #expect(challenge.opaque == "Zürich")
    }

    @Test func unknownParametersAreKeptInOrder() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="r", foo=bar, nonce="n", Baz="q u x""#)
        #expect(challenge.extensionParameters == [
            DigestAuthParameter(name: "foo", value: "bar", isQuoted: false),
            DigestAuthParameter(name: "Baz", value: "q u x", isQuoted: true),
        ])
    }

    @Test func userhashCharsetAndStale() throws {
        let challenge = try DigestChallenge.parse(
            #"Digest realm="api@example.org", nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", "#
                + #"opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true, "#
                + #"algorithm=SHA-512-256, qop="auth""#)
        #expect(challenge.userhash)
        #expect(challenge.charset == "UTF-8")
        #expect(challenge.algorithm == .sha512_256)
        #expect(challenge.algorithm?.isSupported == false)
        #expect(!challenge.isSupported)
        // stale is true only for "true"; other values read as false (RFC 7616 §3.3).
        #expect(try DigestChallenge.parse(#"Digest realm="r", nonce="n", stale=yes"#).stale == false)
        #expect(try DigestChallenge.parse(#"Digest realm="r", nonce="n", stale="True""#).stale)
    }

    @Test func qopListsTolerateSpacesAndEmptyItemsAndKeepUnknownValues() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="r", nonce="n", qop=" auth-int ,, auth-conf ,auth""#)
        #expect(challenge.qopOptions == [.authInt, .other("auth-conf"), .auth])
    }

    @Test func unknownAlgorithmIsKeptButUnsupported() throws {
        let challenge = try DigestChallenge.parse(#"Digest realm="r", nonce="n", algorithm=AKAv1-MD5"#)
        #expect(challenge.algorithm == .other("AKAv1-MD5"))
        #expect(!challenge.isSupported)
    }

    @Test func unsupportedQopOrCharsetMakesChallengeUnsupported() throws {
        #expect(!(try DigestChallenge.parse(#"Digest realm="r", nonce="n", qop="auth-conf""#)).isSupported)
        #expect(!(try DigestChallenge.parse(#"Digest realm="r", nonce="n", charset=ISO-8859-1"#)).isSupported)
    }

    // MARK: - Lists and other schemes

    @Test func listOfTwoDigestChallengesPrefersSHA256() throws {
        let value = Self.rfc7616MD5 + ", " + Self.rfc7616SHA256
        let list = try DigestAuthChallenge.parseList(value)
        #expect(list.count == 2)
        #expect(list.map { $0.digest?.algorithm } == [.md5, .sha256])
        let best = try #require(DigestChallenge.preferred(from: list))
        #expect(best.algorithm == .sha256)
    }

    @Test func preferenceSkipsUnsupportedAndKeepsServerOrderAmongEquals() throws {
        let sha512 = try DigestChallenge.parse(#"Digest realm="r", nonce="1", algorithm=SHA-512-256"#)
        let md5 = try DigestChallenge.parse(#"Digest realm="r", nonce="2", algorithm=MD5"#)
        let md5Sess = try DigestChallenge.parse(#"Digest realm="r", nonce="3", algorithm=MD5-sess"#)
        let sha = try DigestChallenge.parse(#"Digest realm="r", nonce="4", algorithm=SHA-256"#)
        let shaSess = try DigestChallenge.parse(#"Digest realm="r", nonce="5", algorithm=SHA-256-sess"#)
        #expect(DigestChallenge.preferred(among: [sha512, md5, md5Sess])?.nonce == "2")
        #expect(DigestChallenge.preferred(among: [md5Sess, md5])?.nonce == "3")
        #expect(DigestChallenge.preferred(among: [md5, shaSess, sha])?.nonce == "5")
        #expect(DigestChallenge.preferred(among: [sha512]) == nil)
        #expect(DigestChallenge.preferred(among: []) == nil)
        #expect(DigestChallenge.preferred(from: [.other(scheme: "Basic", token68: nil, parameters: [])]) == nil)
    }

    // The RFC 7235 §4.1 example, with a Digest challenge added in the middle.
    @Test func mixedSchemesInOneHeader() throws {
        let list = try DigestAuthChallenge.parseList(
            #"Newauth realm="apps", type=1, title="Login to \"apps\"", Digest realm="d", nonce="n", Basic realm="simple""#)
        #expect(list.count == 3)
        #expect(list[0] == .other(scheme: "Newauth", token68: nil, parameters: [
            DigestAuthParameter(name: "realm", value: "apps", isQuoted: true),
            DigestAuthParameter(name: "type", value: "1", isQuoted: false),
            DigestAuthParameter(name: "title", value: #"Login to "apps""#, isQuoted: true),
        ]))
        #expect(list[1].digest?.realm == "d")
        #expect(list[1].scheme == "Digest")
        #expect(list[2].scheme == "Basic")
        #expect(list[2].digest == nil)
    }

    @Test func otherSchemesAreValuesNotErrors() throws {
        #expect(try DigestAuthChallenge.parse("Bearer mF_9.B5f-4.1JqM==") ==
            .other(scheme: "Bearer", token68: "mF_9.B5f-4.1JqM==", parameters: []))
        #expect(try DigestAuthChallenge.parse("Negotiate") == .other(scheme: "Negotiate", token68: nil, parameters: []))
        #expect(try DigestAuthChallenge.parse(#"Basic realm="WallyWorld""#) ==
            .other(scheme: "Basic", token68: nil, parameters: [DigestAuthParameter(name: "realm", value: "WallyWorld", isQuoted: true)]))
        let list = try DigestAuthChallenge.parseList(#"Negotiate, Bearer abc=, Digest realm="r", nonce="n""#)
        #expect(list.map(\.scheme) == ["Negotiate", "Bearer", "Digest"])
        #expect(list[1] == .other(scheme: "Bearer", token68: "abc=", parameters: []))
    }

    @Test func parseRefusesOtherSchemesAndLists() throws {
        let basic = #expect(throws: SIPParseError.self) { try DigestChallenge.parse(#"Basic realm="x""#) }
        #expect(basic?.reason.contains("Basic") == true)
        let two = #expect(throws: SIPParseError.self) { try DigestChallenge.parse(Self.rfc7616MD5 + ", " + Self.rfc7616SHA256) }
        #expect(two?.reason.contains("found 2") == true)
    }

    @Test func emptyListElementsAreSkipped() throws {
        let list = try DigestAuthChallenge.parseList(#" , Digest realm="r",, nonce="n" , , "#)
        #expect(list.count == 1)
        #expect(list[0].digest?.nonce == "n")
    }

    // MARK: - Malformed input

    @Test(arguments: [
        (#"Digest realm="r", nonce="abc"#, "unterminated quoted string"),
        (#"Digest realm="r\"#, "unterminated quoted string"),
        (#"Digest realm="r""#, "no nonce"),
        (#"Digest nonce="n""#, "no realm"),
        (#"Digest realm="r", nonce="""#, "empty nonce"),
        (#"Digest realm="r", nonce"#, "has no value"),
        (#"Digest realm="r", nonce, opaque="o""#, "has no value"),
        (#"Digest realm=, nonce="n""#, "has no value"),
        (#"Digest realm="#, "has no value"),
        ("Digest realm", "has no value"),
        (#"Digest realm="r" nonce="n""#, "expected ','"),
        (#"Digest realm="r", realm="s", nonce="n""#, "duplicate"),
        (#"Digest realm="r", nonce="n", NONCE="m""#, "duplicate"),
        (#"Digest realm="r", nonce="n", qop="""#, "qop lists no options"),
        (#"Digest realm="r", nonce="n", qop="auth;x""#, "not a token"),
        (#"Digest realm=r@x, nonce="n""#, "invalid character"),
        ("Digest realm=\"a\u{7}b\", nonce=\"n\"", "control character"),
        ("Digest realm=\"a\nb\", nonce=\"n\"", "control character"),
        ("Digest realm=\"a\r\nb\", nonce=\"n\"", "line break"),
        ("Digest realm=\"r\",\nnonce=\"n\"", "parameter name"),
        ("", "empty"),
        ("   ,  ", "empty"),
        ("@@@", "scheme"),
        (#""Digest" realm="r""#, "scheme"),
        (#"Digest="x""#, "whitespace after"),
        (#"Digest realm="r", nonce="n", ="x""#, "parameter name"),
        ("Digest \u{0}", "parameter name"),
    ])
    func malformedChallengesAreRefused(value: String, reasonFragment: String) {
        let error = #expect(throws: SIPParseError.self) { try DigestAuthChallenge.parseList(value).map { try $0.serialized() } }
        #expect(error?.reason.contains(reasonFragment) == true, "\(String(reflecting: value)) -> \(String(describing: error))")
        #expect(error?.line == 0)
    }

    @Test func errorColumnsPointIntoTheValue() {
        let unterminated = #expect(throws: SIPParseError.self) { try DigestChallenge.parse(#"Digest realm="oops"#) }
        #expect(unterminated?.column == 14)   // the opening quote
        let missingComma = #expect(throws: SIPParseError.self) { try DigestChallenge.parse(#"Digest realm="r" nonce="n""#) }
        #expect(missingComma?.column == 18)   // the "n" of nonce
        let duplicate = #expect(throws: SIPParseError.self) { try DigestChallenge.parse(#"Digest realm="r", realm="s""#) }
        #expect(duplicate?.column == 25)
    }

    @Test func hugeInputIsRefusedQuickly() {
        let huge = "Digest realm=\"" + String(repeating: "x", count: 1_000_000) + "\", nonce=\"n\""
        let error = #expect(throws: SIPParseError.self) { try DigestChallenge.parse(huge) }
        #expect(error?.reason.contains("limit") == true)
        let manyParams = "Digest realm=\"r\", nonce=\"n\"" + String(repeating: ", x=y", count: 5_000)
        #expect(throws: SIPParseError.self) { try DigestChallenge.parse(manyParams) }
    }

    @Test func largeButAllowedValueParses() throws {
        let nonce = String(repeating: "a", count: 8000)
        let challenge = try DigestChallenge.parse("Digest realm=\"r\", nonce=\"\(nonce)\"")
        #expect(challenge.nonce == nonce)
    }

    // Every prefix of valid headers, and a deterministic stream of junk, must parse or throw, never trap.
    @Test func prefixesAndJunkNeverTrap() {
        let full = Self.rfc7616SHA256 + ", Basic realm=\"x\", Bearer abc=="
        var parsedPrefixes = 0
        for length in 0...full.utf8.count {
            let prefix = String(decoding: full.utf8.prefix(length), as: UTF8.self)
            if (try? DigestAuthChallenge.parseList(prefix)) != nil { parsedPrefixes += 1 }
        }
        #expect(parsedPrefixes > 0)
        #expect((try? DigestAuthChallenge.parseList(full))?.count == 3)

        let alphabet = Array(#"Digest realm=nonce"\,= \#t\#r\#nqopauth-intSHA256é"#.utf8)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var outcomes = (parsed: 0, refused: 0)
        for _ in 0..<3000 {
            var bytes: [UInt8] = Array("Digest ".utf8)
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(seed >> 58)
            for _ in 0..<length {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                bytes.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            if (try? DigestAuthChallenge.parseList(String(decoding: bytes, as: UTF8.self))) != nil {
                outcomes.parsed += 1
            } else {
                outcomes.refused += 1
            }
        }
        #expect(outcomes.parsed + outcomes.refused == 3000)
        #expect(outcomes.refused > 0)
    }

    // MARK: - Serialization and round trips

    @Test func serializesWithRFCQuoting() throws {
        let challenge = DigestChallenge(
            realm: "biloxi.example.com", nonce: "f84f1cec41e6cbe5aea9c8e88d359", opaque: "",
            algorithm: .sha256, qopOptions: [.auth, .authInt], stale: true,
            domain: ["sip:ss1.carrier.com", "sip:ss2.carrier.com"], userhash: true, charset: "UTF-8",
            extensionParameters: [DigestAuthParameter(name: "x-ext", value: "a\"b", isQuoted: true)])
        #expect(try challenge.serialized() == """
            Digest realm="biloxi.example.com", domain="sip:ss1.carrier.com sip:ss2.carrier.com", \
            nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=true, algorithm=SHA-256, \
            qop="auth,auth-int", charset=UTF-8, userhash=true, x-ext="a\\"b"
            """)
        #expect(try DigestChallenge(realm: "r", nonce: "n").serialized() == #"Digest realm="r", nonce="n", qop="auth""#)
    }

    @Test(arguments: [
        rfc7616SHA256,
        rfc7616MD5,
        #"Digest realm="atlanta.example.com", qop="auth", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", opaque="", stale=FALSE, algorithm=MD5"#,
        #"Digest realm="a \"b\" \\ c", nonce="n", domain="/ /x", stale=true, userhash=true, charset=UTF-8, z="1", y=2"#,
        #"Digest realm="r", nonce="n", algorithm=SHA-512-256-sess, qop="auth-conf""#,
    ])
    func challengeRoundTrip(value: String) throws {
        let parsed = try DigestChallenge.parse(value)
        let again = try DigestChallenge.parse(try parsed.serialized())
        #expect(again == parsed)
    }

    @Test func listRoundTripIncludingOtherSchemes() throws {
        let list = try DigestAuthChallenge.parseList(#"Bearer abc==, Basic realm="x y", "# + Self.rfc7616SHA256)
        let text = try list.map { try $0.serialized() }.joined(separator: ", ")
        #expect(try DigestAuthChallenge.parseList(text) == list)
    }

    @Test func serializationRefusesWhatTheGrammarCannotCarry() {
        #expect(throws: SIPParseError.self) { try DigestChallenge(realm: "evil\r\nVia: x", nonce: "n").serialized() }
        #expect(throws: SIPParseError.self) { try DigestChallenge(realm: "r", nonce: "n", algorithm: .other("MD5 x")).serialized() }
        #expect(throws: SIPParseError.self) { try DigestChallenge(realm: "r", nonce: "n", domain: ["a b"]).serialized() }
        #expect(throws: SIPParseError.self) { try DigestChallenge(realm: "r", nonce: "n", qopOptions: [.other("a,b")]).serialized() }
        #expect(throws: SIPParseError.self) {
            try DigestAuthChallenge.other(scheme: "Bearer", token68: "a b", parameters: []).serialized()
        }
        #expect(throws: SIPParseError.self) {
            try DigestAuthChallenge.other(scheme: "Bad Scheme", token68: nil, parameters: []).serialized()
        }
    }

    @Test func controlCharactersSurviveAsQuotedPairs() throws {
        let challenge = DigestChallenge(realm: "tab\there bell\u{7}", nonce: "n")
        let text = try challenge.serialized()
        #expect(text.contains("\\\u{7}"))
        #expect(try DigestChallenge.parse(text).realm == "tab\there bell\u{7}")
    }
}
