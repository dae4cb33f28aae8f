// DigestCredentialsTests: parsing and serializing Authorization / Proxy-Authorization values per RFC 7616 §3.4 and RFC 3261 §25 quoting.
import Testing
@testable import SIPCore

struct DigestCredentialsTests {
    static let rfc2617Authorization = """
        Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", \
        uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", \
        response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"
        """

    @Test func parsesTheRFC2617Example() throws {
        let credentials = try DigestCredentials.parse(Self.rfc2617Authorization)
        #expect(credentials.username == "Mufasa")
        #expect(credentials.realm == "testrealm@host.com")
        #expect(credentials.nonce == "dcd98b7102dd2f0e8b11d0f600bfb0c093")
        #expect(credentials.uri == "/dir/index.html")
        #expect(credentials.qop == .auth)
        #expect(credentials.nonceCount == 1)
        #expect(credentials.cnonce == "0a4f113b")
        #expect(credentials.response == "6629fae49393a05397450978507c4ef1")
        #expect(credentials.opaque == "5ccc069c403ebaf9f0171e9517f40e41")
        #expect(credentials.algorithm == nil)
        #expect(credentials.effectiveAlgorithm == .md5)
        #expect(credentials.userhash == false)
    }

    @Test func serializesWithSIPQuotingRules() throws {
        let credentials = DigestCredentials(
            username: "bob", realm: "atlanta.example.com", nonce: "ea9c8e88df84f1cec4341ae6cbe5a359",
            uri: "sips:ss2.biloxi.example.com", response: "fb435565e3b8d14aafad09f8bec61e73",
            algorithm: .md5, cnonce: "0a4f113b", opaque: "", qop: .auth, nonceCount: 0x1A)
        #expect(try credentials.serialized() == """
            Digest username="bob", realm="atlanta.example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", \
            uri="sips:ss2.biloxi.example.com", response="fb435565e3b8d14aafad09f8bec61e73", algorithm=MD5, \
            cnonce="0a4f113b", opaque="", qop=auth, nc=0000001a
            """)
    }

    @Test func minimalCredentialsOmitOptionalFields() throws {
        let credentials = DigestCredentials(username: "u", realm: "r", nonce: "n", uri: "sip:x", response: "00")
        #expect(try credentials.serialized() == #"Digest username="u", realm="r", nonce="n", uri="sip:x", response="00""#)
    }

    @Test func toleratesQuotedQopAndAlgorithmAndUpperCaseNc() throws {
        let credentials = try DigestCredentials.parse(
            #"digest USERNAME="a", realm="r", nonce="n", uri="sip:b@c", response="ff", qop="auth-int", algorithm="sha-256", NC=0000FFFF, cnonce="c""#)
        #expect(credentials.qop == .authInt)
        #expect(credentials.algorithm == .sha256)
        #expect(credentials.nonceCount == 0xFFFF)
    }

    @Test func userhashAndExtensionParameters() throws {
        let credentials = try DigestCredentials.parse(
            #"Digest username="a947aad205e80e429958a387394944c6b496301e79f89d35a4cc23b6ee12b5b6", realm="r", nonce="n", uri="/", response="ab", userhash=true, x-foo="bar baz""#)
        #expect(credentials.userhash)
        #expect(credentials.extensionParameters == [DigestAuthParameter(name: "x-foo", value: "bar baz", isQuoted: true)])
        #expect(try credentials.serialized().hasSuffix(#"userhash=true, x-foo="bar baz""#))
    }

    // RFC 7616 §3.4.4 extended notation for a username that is not plain ASCII.
    @Test func extendedUsernameNotation() throws {
        let credentials = try DigestCredentials.parse(
            #"Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm="api@example.org", nonce="n", uri="/doe.json", response="00""#)
        #expect(credentials.username == "Jäsøn Doe")
        let both = #expect(throws: SIPParseError.self) {
            try DigestCredentials.parse(#"Digest username="x", username*=UTF-8''x, realm="r", nonce="n", uri="/", response="0""#)
        }
        #expect(both?.reason.contains("both") == true)
        for bad in ["ISO-8859-1''x", "UTF-8''%C3", "UTF-8''%zz", "UTF-8'x", "UTF-8''%FF%FE"] {
            #expect(throws: SIPParseError.self, "\(bad)") {
                try DigestCredentials.parse("Digest username*=\(bad), realm=\"r\", nonce=\"n\", uri=\"/\", response=\"0\"")
            }
        }
    }

    @Test func usernameWithLineBreakIsSentAsExtendedNotation() throws {
        let credentials = DigestCredentials(username: "a\r\nb ü", realm: "r", nonce: "n", uri: "/", response: "0")
        let text = try credentials.serialized()
        #expect(text.hasPrefix("Digest username*=UTF-8''a%0D%0Ab%20%C3%BC, "))
        #expect(!text.contains("\r"))
        #expect(try DigestCredentials.parse(text) == credentials)
    }

    @Test func quotesAndBackslashesAreEscaped() throws {
        let credentials = DigestCredentials(username: #"al"ice\"#, realm: "r", nonce: "n", uri: "sip:a;x=\"y\"", response: "0")
        let text = try credentials.serialized()
        #expect(text.contains(#"username="al\"ice\\""#))
        #expect(try DigestCredentials.parse(text) == credentials)
    }

    @Test func serializationRefusesHeaderInjection() {
        let injected = DigestCredentials(username: "u", realm: "r", nonce: "n", uri: "sip:x\r\nVia: evil", response: "0")
        #expect(throws: SIPParseError.self) { try injected.serialized() }
        let badQop = DigestCredentials(username: "u", realm: "r", nonce: "n", uri: "/", response: "0", qop: .other("auth, evil"))
        #expect(throws: SIPParseError.self) { try badQop.serialized() }
        let badExtension = DigestCredentials(username: "u", realm: "r", nonce: "n", uri: "/", response: "0",
                                             extensionParameters: [DigestAuthParameter(name: "a b", value: "c", isQuoted: true)])
        #expect(throws: SIPParseError.self) { try badExtension.serialized() }
    }

    @Test(arguments: [
        (#"Digest realm="r", nonce="n", uri="/", response="0""#, "no username"),
        (#"Digest username="u", nonce="n", uri="/", response="0""#, "no realm"),
        (#"Digest username="u", realm="r", uri="/", response="0""#, "no nonce"),
        (#"Digest username="u", realm="r", nonce="n", response="0""#, "no uri"),
        (#"Digest username="u", realm="r", nonce="n", uri="/""#, "no response"),
        (#"Digest username="u", realm="r", nonce="n", uri="/", response="0", nc=1"#, "eight hex digits"),
        (#"Digest username="u", realm="r", nonce="n", uri="/", response="0", nc=000000001"#, "eight hex digits"),
        (#"Digest username="u", realm="r", nonce="n", uri="/", response="0", nc=0000000g"#, "eight hex digits"),
        (#"Digest username="u", realm="r", nonce="n", uri="/", response="0", qop="auth int""#, "qop is not a token"),
        (#"Digest username="u", username="v", realm="r", nonce="n", uri="/", response="0""#, "duplicate"),
        (#"Digest username="u, realm=r"#, "unterminated"),
        (#"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="#, "expected Digest"),
        (#"Digest username="u", realm="r", nonce="n", uri="/", response="0", Digest username="v""#, "found 2"),
        ("", "empty"),
    ])
    func malformedCredentialsAreRefused(value: String, reasonFragment: String) {
        let error = #expect(throws: SIPParseError.self) { try DigestCredentials.parse(value) }
        #expect(error?.reason.contains(reasonFragment) == true, "\(value) -> \(String(describing: error))")
    }

    @Test func hugeCredentialsAreRefused() {
        let huge = #"Digest username="u", realm="r", nonce="n", uri="/", response=""# + String(repeating: "0", count: 100_000) + "\""
        let error = #expect(throws: SIPParseError.self) { try DigestCredentials.parse(huge) }
        #expect(error?.reason.contains("limit") == true)
    }

    @Test func credentialsRoundTrip() throws {
        for value in [
            Self.rfc2617Authorization,
            #"Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#,
            #"Digest username="x", realm="r", nonce="n", uri="sip:a@b", response="0", userhash=true, ext=tok, q="v""#,
        ] {
            let parsed = try DigestCredentials.parse(value)
            #expect(try DigestCredentials.parse(try parsed.serialized()) == parsed)
        }
    }

    @Test func prefixesNeverTrap() {
        var refused = 0
        for length in 0..<Self.rfc2617Authorization.utf8.count {
            let prefix = String(decoding: Self.rfc2617Authorization.utf8.prefix(length), as: UTF8.self)
            if (try? DigestCredentials.parse(prefix)) == nil { refused += 1 }
        }
        // Only prefixes ending exactly after a complete parameter can parse; most must be refused.
        #expect(refused > Self.rfc2617Authorization.utf8.count / 2)
        #expect((try? DigestCredentials.parse(Self.rfc2617Authorization)) != nil)
    }
}
