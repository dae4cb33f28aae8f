// URITests: sip/sips/tel URI parsing, serialization, escaping and RFC 3261 §19.1.4 / RFC 3966 §4 comparison.
import Testing
@testable import SIPCore

@Suite struct URITests {
    @Test func parsesEveryComponent() throws {
        let u = try SIPURI.parse("sips:alice:secret@[2001:db8::10]:5061;transport=tls;lr;maddr=192.0.2.1?subject=project%20x&priority=urgent")
        #expect(u.isSecure)
        #expect(u.user == "alice")
        #expect(u.password == "secret")
        #expect(u.host == "[2001:db8::10]")
        #expect(u.port == 5061)
        #expect(u.transport == "tls")
        #expect(u.isLooseRouting)
        #expect(u.maddr == "192.0.2.1")
        #expect(u.headers == [SIPParameter("subject", "project%20x"), SIPParameter("priority", "urgent")])
        #expect(u.description == "sips:alice:secret@[2001:db8::10]:5061;transport=tls;lr;maddr=192.0.2.1?subject=project%20x&priority=urgent")
    }

    @Test(arguments: [
        "sip:0012025550143@sip.skype.com",
        "sip:99051000012345@192.0.2.7:5060;transport=udp",
        "sip:+442071234567;phone-context=example.com@gw.example.com;user=phone",
        "sip:host.example.com",
        "sip:%61lice@atlanta.com;transport=TCP",
        "tel:+1-201-555-0123;ext=1234",
        "tel:7042;phone-context=example.com",
        "urn:service:sos",
        "http://www.example.com/path?query",
    ])
    func roundTripsAsWritten(_ text: String) throws {
        #expect(try URI.parse(text).description == text)
    }

    @Test(arguments: [
        ("sip:", "expected a host"),
        ("sip:user@", "expected a host"),
        ("sip:host:99999", "port 99999 is out of range"),
        ("sip:us er@host", "invalid character"),
        ("sip:%zzuser@host", "invalid %-escape"),
        ("sip:host;=value", "empty URI parameter"),
        ("sip:[2001:db8::1", "invalid IPv6 reference"),
        ("sip:host..example.com", "invalid host name"),
        ("tel:", "tel URI has no digits"),
        ("tel:7042", "phone-context"),
        ("1sip:host", "expected a URI"),
        ("nocolon", "expected ':'"),
    ])
    func refusesMalformedURIs(_ text: String, _ reason: String) throws {
        let e = #expect(throws: SIPParseError.self) { try URI.parse(text) }
        #expect(e?.reason.contains(reason) == true, "\(text): \(String(describing: e))")
    }

    @Test func escapingRoundTrips() {
        #expect(URIEscaping.escapeUser("I have spaces") == "I%20have%20spaces")
        #expect(URIEscaping.unescape("I%20have%20spaces") == "I have spaces")
        #expect(URIEscaping.escapeUser("+1;ext=5?") == "+1;ext=5?")
        #expect(URIEscaping.escapeParameter("a b=c") == "a%20b%3Dc")
        #expect(URIEscaping.unescape("100%") == "100%")
    }

    /// RFC 3261 §19.1.4's own examples of equivalent and non-equivalent URIs.
    @Test(arguments: [
        ("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"),
        ("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"),
        ("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"),
        ("sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x"),
    ])
    func equivalentPerRFC3261(_ a: String, _ b: String) throws {
        #expect(try URI.parse(a).isEquivalent(to: URI.parse(b)))
        #expect(try URI.parse(b).isEquivalent(to: URI.parse(a)))
    }

    @Test(arguments: [
        ("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"),
        ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"),
        ("sip:alice@atlanta.com", "sips:alice@atlanta.com"),
    ])
    func notEquivalentPerRFC3261(_ a: String, _ b: String) throws {
        #expect(try !URI.parse(a).isEquivalent(to: URI.parse(b)))
    }

    @Test func telComparisonIgnoresVisualSeparators() throws {
        #expect(try URI.parse("tel:+1-201-555-0123").isEquivalent(to: URI.parse("tel:+12015550123")))
        #expect(try URI.parse("tel:+1(201)555.0123;EXT=12").isEquivalent(to: URI.parse("tel:+12015550123;ext=12")))
        #expect(try !URI.parse("tel:+12015550123").isEquivalent(to: URI.parse("tel:+12015550124")))
        #expect(try URI.parse("tel:+44-20-7123-4567").userOrNumber == "+44-20-7123-4567")
        #expect(try URI.parse("tel:+44-20-7123-4567").telURI?.digits == "+442071234567")
    }

    @Test func userPartMayHoldSemicolonsOnlyInsideURIs() throws {
        let u = try SIPURI.parse("sip:user;par=u%40example.net@example.com")
        #expect(u.user == "user;par=u%40example.net")
        #expect(u.host == "example.com")
    }
}
