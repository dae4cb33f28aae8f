// RFC4475Tests: every RFC 4475 torture message parses, is refused, or is either, as MANIFEST.tsv says.
import Testing
@testable import SIPCore

/// The message without Content-Length fields, for comparing a message with its re-parsed serialization.
func withoutContentLength(_ m: SIPMessage) -> SIPMessage {
    var m = m
    m.headers.remove(.contentLength)
    return m
}

@Suite struct RFC4475Tests {
    @Test func manifestIsComplete() throws {
        #expect(Fixtures.torture.count == 49)
        let files = try Fixtures.names(in: "rfc4475")
        #expect(files.count == Fixtures.torture.count)
    }

    @Test(arguments: Fixtures.torture.filter { $0.expect == "parse" || $0.expect == "semantic" })
    func wellFormedMessagesParseAndRoundTrip(_ c: Fixtures.TortureCase) throws {
        let bytes = try Fixtures.bytes("rfc4475/\(c.name).sip")
        let message = try SIPMessage(parsing: bytes, framing: .datagram)
        let again = try SIPMessage(parsing: message.serialized(), framing: .datagram)
        #expect(withoutContentLength(again) == withoutContentLength(message), "\(c)")
        // Serializing the re-parsed message is stable: a fixed point after one pass.
        #expect(again.serialized() == message.serialized(), "\(c)")
    }

    @Test(arguments: Fixtures.torture.filter { $0.expect == "reject" })
    func malformedMessagesAreRefusedWithAReason(_ c: Fixtures.TortureCase) throws {
        let bytes = try Fixtures.bytes("rfc4475/\(c.name).sip")
        let error = #expect(throws: SIPParseError.self, "\(c)") { try SIPMessage(parsing: bytes, framing: .datagram) }
        #expect((error?.reason.count ?? 0) > 10, "\(c): \(String(describing: error))")
    }

    @Test(arguments: Fixtures.torture.filter { $0.expect == "either" })
    func eitherMessagesNeverCrash(_ c: Fixtures.TortureCase) throws {
        let bytes = try Fixtures.bytes("rfc4475/\(c.name).sip")
        do {
            let m = try SIPMessage(parsing: bytes, framing: .datagram)
            #expect(m.isRequest)
        } catch {
            #expect(!error.reason.isEmpty)
        }
    }

    @Test func unsupportedVersionAsksFor505() throws {
        let error = #expect(throws: SIPParseError.self) { try SIPMessage(parsing: Fixtures.bytes("rfc4475/badvers.sip")) }
        #expect(error?.responseCode == 505)
    }

    @Test func extraOctetsAfterADatagramBodyAreDropped() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("rfc4475/dblreq.sip"), framing: .datagram)
        #expect(m.method == .register)
        #expect(m.body.isEmpty)
    }

    @Test func shortTortuousInviteReadsCorrectly() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("rfc4475/wsinv.sip"))
        #expect(m.method == .invite)
        #expect(try m.headers.to?.tag == "1918181833n")
        #expect(try m.headers.from?.decodedDisplayName == "J Rosenberg \\\"")
        #expect(try m.headers.from?.tag == "98asjd8")
        #expect(try m.headers.maxForwards == 68)
        #expect(try m.headers.cseq == SIPCSeq(9, .invite))
        let vias = try m.headers.via
        #expect(vias.count == 3)
        #expect(vias[0].transport == "UDP" && vias[0].host == "192.0.2.2" && vias[0].branch == "390skdjuw")
        #expect(vias[1].transport == "TCP" && vias[1].host == "spindle.example.com" && vias[1].branch == "z9hG4bK9ikj8")
        #expect(vias[2].branch == "z9hG4bK30239")
        let contact = try #require(m.headers.contacts.first)
        #expect(contact.q == 0.33)
        #expect(contact.address?.decodedDisplayName == "Quoted string \"\"")
        #expect(m.headers["NewFangledHeader"] == "newfangled value continued newfangled value")
        #expect(m.headers["UnknownHeaderWithUnusualValue"] == ";;,,;;,;")
        #expect(m.headers["s"] == "")
        #expect(try m.headers.routes.first?.uri.sipURI?.parameters.contains("unknown-no-value") == true)
        #expect(m.body.count == 150)
    }

    @Test func unusualCharactersAreKept() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("rfc4475/intmeth.sip"))
        #expect(m.method?.rawValue == "!interesting-Method0123456789_*+`.%indeed'~")
        let uri = try #require(m.requestURI?.sipURI)
        #expect(uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        #expect(uri.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        #expect(try m.headers.callID == "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{")
        #expect(try m.headers.to?.decodedDisplayName == "BEL:\u{07} NUL:\u{00} DEL:\u{7F}")
        #expect(m.headers["extensionHeader-!.%*+_`'~"] == "\u{FEFF}大停電")
    }

    @Test func escapesDecodeOnlyWhereTheyAreEscapes() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("rfc4475/esc01.sip"))
        #expect(m.requestURI?.sipURI?.decodedUser == "sips:user@example.com")
        #expect(try m.headers.to?.uri.sipURI?.decodedUser == "user")
        #expect(try m.headers.from?.uri.sipURI?.decodedUser == "I have spaces")
        let e2 = try SIPMessage(parsing: Fixtures.bytes("rfc4475/esc02.sip"))
        #expect(e2.method?.rawValue == "RE%47IST%45R")
        #expect(try e2.headers.contacts.count == 2, "C%6Fntact is an unknown header, not Contact")
        let n = try SIPMessage(parsing: Fixtures.bytes("rfc4475/escnull.sip"))
        #expect(try n.headers.to?.uri.sipURI?.decodedUser == "null-\u{0}-null")
    }

    @Test func unknownSchemesParseAsOtherURIs() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("rfc4475/unkscm.sip"))
        guard case .other(let scheme, _) = m.requestURI else { Issue.record("expected an other-scheme URI"); return }
        #expect(scheme.lowercased() == "nobodyknowsthisscheme")
        let m2 = try SIPMessage(parsing: Fixtures.bytes("rfc4475/unksm2.sip"))
        #expect(try m2.headers.to?.uri.scheme == "isbn")
    }

    @Test func rfc2543SyntaxIsAccepted() throws {
        let m = try SIPMessage(parsing: Fixtures.bytes("rfc4475/inv2543.sip"))
        let via = try #require(try m.headers.topVia)
        #expect(!via.hasRFC3261Branch)
        #expect(try m.headers.to?.tag == nil)
    }

    @Test func scalarLimitsAreEnforced() throws {
        let e = #expect(throws: SIPParseError.self) { try SIPMessage(parsing: Fixtures.bytes("rfc4475/scalar02.sip")) }
        #expect(e?.line ?? 0 > 1)
        #expect(throws: SIPParseError.self) { try SIPMessage(parsing: Fixtures.bytes("rfc4475/bigcode.sip")) }
    }
}
