// HeaderTests: typed header views (RFC 3261 §20 and extensions) on real-looking values, good and bad.
import Testing
@testable import SIPCore

@Suite struct HeaderTests {
    func message(_ headerLines: String, method: String = "INVITE") throws -> SIPMessage {
        let text = "\(method) sip:201@192.0.2.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK776asdhds\r\n"
            + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c1@h\r\nCSeq: 1 \(method)\r\n"
            + headerLines.replacingOccurrences(of: "\n", with: "\r\n") + "Content-Length: 0\r\n\r\n"
        return try SIPMessage(parsing: text)
    }

    @Test func viaParametersAndMultipleValues() throws {
        let m = try message("Via: SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bKx;received=192.0.2.1;rport=5071;maddr=224.0.1.75;ttl=16, SIP/2.0/TLS proxy.example.com;branch=z9hG4bKy;rport\n")
        let v = try m.headers.via
        #expect(v.count == 3)
        #expect(v[0].hasRFC3261Branch)
        #expect(v[1].host == "[2001:db8::9]" && v[1].port == 5070 && v[1].transport == "TCP")
        #expect(v[1].received == "192.0.2.1" && v[1].rportValue == 5071 && v[1].maddr == "224.0.1.75" && v[1].ttl == 16)
        #expect(v[2].rport != nil && v[2].rportValue == nil)
        #expect(v[2].sentBy == "proxy.example.com")
        #expect(SIPVia(transport: "UDP", host: "198.51.100.7", port: 5060, branch: "z9hG4bK1").description == "SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK1")
    }

    @Test(arguments: [
        "Via: SIP/2.0/UDP 192.0.2.1;ttl=300\n",
        "Via: SIP/2.0/UDP 192.0.2.1;rport=70000\n",
        "Via: SIP/2.0/UDP\n",
        "Via: SIP/2.0 192.0.2.1\n",
        "Max-Forwards: 256\n",
        "Max-Forwards: -1\n",
        "Expires: 4294967296\n",
        "Contact: <sip:x@y>;expires=4294967296\n",
        "Contact: <sip:x@y>;q=1.5\n",
        "Contact: *, <sip:x@y>\n",
        "Route: sip:proxy.example.com;lr\n",
        "Record-Route: <sip:p1.example.com;lr\n",
        "Content-Type: application\n",
        "RSeq: x\n",
        "RAck: 1 2\n",
        "Session-Expires: soon\n",
        "Retry-After: 99999999999999999999\n",
        "Warning: 1812 example.com \"bad\"\n",
        "Require: \n",
        "Reason: SIP;cause=abc\n",
        "P-Asserted-Identity: <sip:+1202@example.com\n",
        "Privacy: ;\n",
    ])
    func malformedTypedHeadersRefuseTheMessage(_ line: String) throws {
        let e = #expect(throws: SIPParseError.self) { try self.message(line) }
        #expect(e?.line == 7, "\(line): \(String(describing: e))")
    }

    @Test func addressesWithDisplayNamesAndParameters() throws {
        let m = try message("""
            Contact: "Reception Desk" <sip:201@192.168.10.5:5060;transport=udp>;expires=3600;q=0.7;+sip.instance="<urn:uuid:0001>", <sip:201@10.0.0.2>
            Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
            Route: <sip:p3.example.com;lr>
            Path: <sip:edge.example.com;lr>
            P-Asserted-Identity: "Sales" <sip:+442071234567@sip.skype.com>, <tel:+442071234567>
            P-Preferred-Identity: sip:+442071234567@example.com
            Privacy: id;header
            Diversion: <sip:+442071234567@sip.skype.com>;reason=unconditional;counter=1
            History-Info: <sip:+442071234567@sip.skype.com?Reason=SIP%3Bcause%3D302>;index=1, <sip:201@pbx>;index=1.1
            P-Called-Party-ID: <sip:+442071234568@sip.skype.com>

            """)
        let contacts = try m.headers.contacts
        #expect(contacts.count == 2)
        #expect(contacts[0].address?.decodedDisplayName == "Reception Desk")
        #expect(contacts[0].expires == 3600 && contacts[0].q == 0.7 && contacts[0].instanceID == "urn:uuid:0001")
        #expect(try m.headers.recordRoutes.map { $0.uri.sipURI?.host } == ["p1.example.com", "p2.example.com"])
        #expect(try m.headers.routes.count == 1 && m.headers.paths.count == 1)
        let pai = try m.headers.pAssertedIdentity
        #expect(pai.map(\.uri.userOrNumber) == ["+442071234567", "+442071234567"])
        #expect(try m.headers.pPreferredIdentity.first?.usesAngleBrackets == false)
        #expect(try m.headers.privacy == ["id", "header"])
        #expect(try m.headers.diversion.first?.parameters.value("reason") == "unconditional")
        #expect(try m.headers.historyInfo.count == 2)
        #expect(try m.headers.pCalledPartyID?.uri.userOrNumber == "+442071234568")
    }

    @Test func scalarsAndLists() throws {
        let m = try message("""
            Max-Forwards: 70
            Expires: 3600
            Min-Expires: 60
            Allow: INVITE, ACK, CANCEL, BYE, OPTIONS
            Supported: timer, 100rel
            Require: 100rel
            Proxy-Require: foo
            Unsupported: bar
            Content-Type: application/sdp;charset=utf-8
            Accept: application/sdp, multipart/mixed
            Session-Expires: 1800;refresher=uac
            Min-SE: 90
            RSeq: 988789
            RAck: 776656 1 INVITE
            Retry-After: 120 (I'm in a meeting) ;duration=3600
            Reason: SIP;cause=200;text="Call completed elsewhere", Q.850;cause=16
            Warning: 399 trunk.example.com "No trunk", 301 [2001:db8::1]:5060 "x"
            User-Agent: OfficePBX 16.0 (build 4)
            Server: Kamailio (5.6.3 (x86_64/linux))

            """)
        let h = m.headers
        #expect(try h.maxForwards == 70 && h.expires == 3600 && h.minExpires == 60)
        #expect(try h.allow == ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS"])
        #expect(try h.supported == ["timer", "100rel"] && h.require == ["100rel"])
        #expect(try h.proxyRequire == ["foo"] && h.unsupported == ["bar"])
        let ct = try #require(try h.contentType)
        #expect(ct.matches(.sdp) && ct.parameters.value("charset") == "utf-8")
        #expect(try h.accept.count == 2)
        #expect(try h.sessionExpires?.seconds == 1800 && h.sessionExpires?.refresher == "uac")
        #expect(try h.minSE?.seconds == 90 && h.rseq == 988789)
        #expect(try h.rack == SIPRAck(responseSequence: 776656, cseq: SIPCSeq(1, .invite)))
        let ra = try #require(try h.retryAfter)
        #expect(ra.seconds == 120 && ra.comment == "(I'm in a meeting)" && ra.parameters.value("duration") == "3600")
        let reasons = try h.reasons
        #expect(reasons.map(\.cause) == [200, 16] && reasons[0].text == "Call completed elsewhere")
        #expect(try h.warnings.map(\.code) == [399, 301])
        #expect(h.userAgent == "OfficePBX 16.0 (build 4)")
        #expect(h.server == "Kamailio (5.6.3 (x86_64/linux))")
    }

    @Test func compactFormsAndCaseInsensitiveNames() throws {
        let text = "OPTIONS sip:x@y SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>\r\n"
            + "i: abc\r\nCSEQ: 5 OPTIONS\r\nk: timer\r\nm: <sip:a@h>\r\nc: application/sdp\r\nx: 90\r\nl: 0\r\n\r\n"
        let m = try SIPMessage(parsing: text)
        #expect(try m.headers.callID == "abc")
        #expect(try m.headers.supported == ["timer"])
        #expect(try m.headers.contacts.count == 1)
        #expect(try m.headers.sessionExpires?.seconds == 90)
        #expect(m.headers[SIPHeaderName("CALL-id")] == "abc")
        #expect(m.serialized() == Array(text.utf8), "compact names are kept as written")
    }

    @Test func singleValuedHeadersMayNotRepeat() throws {
        #expect(throws: SIPParseError.self) { try self.message("To: <sip:c@d>\n") }
        #expect(throws: SIPParseError.self) { try self.message("Max-Forwards: 70\nMax-Forwards: 69\n") }
        // A list header may be split over lines and commas; the typed view joins them in order.
        let m = try message("Allow: INVITE\nAllow: ACK, BYE\n")
        #expect(try m.headers.allow == ["INVITE", "ACK", "BYE"])
    }

    @Test func editingHeadersKeepsOrder() throws {
        var m = try message("X-Custom: one\nRecord-Route: <sip:p1;lr>, <sip:p2;lr>\n")
        m.headers.prepend(.via, SIPVia(transport: "UDP", host: "198.51.100.7", branch: "z9hG4bKnew").description)
        #expect(try m.headers.via.map(\.branch) == ["z9hG4bKnew", "z9hG4bK776asdhds"])
        try m.headers.removeFirstValue(.via)
        #expect(try m.headers.via.map(\.branch) == ["z9hG4bK776asdhds"])
        try m.headers.removeFirstValue(.recordRoute)
        #expect(try m.headers.recordRoutes.map { $0.uri.sipURI?.host } == ["p2"])
        m.headers.set(.maxForwards, "69")
        m.headers.set(.maxForwards, "68")
        #expect(try m.headers.count(of: .maxForwards) == 1 && m.headers.maxForwards == 68)
        #expect(m.headers["x-custom"] == "one")
        m.headers.remove(.init("X-Custom"))
        #expect(!m.headers.contains("x-custom"))
    }

    @Test func buildingAddressesQuotesDisplayNames() throws {
        let a = SIPNameAddress(quotedDisplayName: "Sales \"EU\" \\ desk", uri: try URI.parse("sip:+442071234567@sip.skype.com"),
                               parameters: [SIPParameter("tag", "abc")])
        #expect(a.description == "\"Sales \\\"EU\\\" \\\\ desk\" <sip:+442071234567@sip.skype.com>;tag=abc")
        let back = try SIPNameAddress.parse(a.description)
        #expect(back.decodedDisplayName == "Sales \"EU\" \\ desk" && back.tag == "abc")
        // A URI with parameters written without a display name still gets <> so its parameters stay its own.
        let b = SIPNameAddress(uri: try URI.parse("sip:a@b;transport=tcp"), usesAngleBrackets: false)
        #expect(b.description == "<sip:a@b;transport=tcp>")
    }

    @Test func responsesCopyTheTransactionHeaders() throws {
        let req = try message("Record-Route: <sip:p1;lr>\n")
        let resp = req.response(486, toTag: "tb1")
        #expect(resp.statusCode == 486 && resp.reasonPhrase == "Busy Here")
        #expect(try resp.headers.to?.tag == "tb1")
        #expect(try resp.headers.via == req.headers.via)
        #expect(try resp.headers.cseq == req.headers.cseq && resp.headers.callID == req.headers.callID)
        #expect(!resp.headers.contains(.recordRoute))
        #expect(try req.response(100).headers.to?.tag == nil)
        let again = try SIPMessage(parsing: resp.serialized())
        #expect(withoutContentLength(again) == withoutContentLength(resp))
    }
}
