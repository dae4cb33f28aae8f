// DNSCodecTests: queries out and responses in, checked octet by octet (RFC 1035 §4.1, RFC 2782, RFC 3596, RFC 3403).
import Testing
@testable import SIPLocator

@Suite struct DNSCodecTests {
    @Test func srvQueryEncodesToTheBytesDigSends() throws {
        let query = DNSQuery(id: 0x1234, name: try dnsName("_sip._udp.example.com"), type: .srv)
        #expect(query.encoded() == DNSWireFixtures.srvQuery)
        // The same query built as a message value encodes identically.
        #expect(try query.message.encoded() == DNSWireFixtures.srvQuery)
    }

    @Test func ednsQueryCarriesAnOPTRecordWithThePayloadSize() throws {
        let query = DNSQuery(id: 7, name: try dnsName("example.com"), type: .aaaa, udpPayloadSize: 1232)
        let bytes = query.encoded()
        #expect(bytes[10...11] == [0x00, 0x01], "ARCOUNT 1")
        // Root name, TYPE 41, CLASS = 1232, TTL 0, RDLENGTH 0.
        #expect(Array(bytes.suffix(11)) == [0x00, 0x00, 0x29, 0x04, 0xD0, 0, 0, 0, 0, 0x00, 0x00])
        let decoded = try DNSMessage(decoding: bytes)
        #expect(decoded.additionals.first?.type == .opt && decoded.additionals.first?.class.rawValue == 1232)
        #expect(try query.message.encoded() == bytes)
    }

    @Test func handWrittenSRVResponseDecodesWithCompressedNames() throws {
        let m = try DNSMessage(decoding: DNSWireFixtures.srvResponse)
        #expect(m.header.id == 0xBEEF && m.header.isResponse && m.header.recursionDesired && m.header.recursionAvailable)
        #expect(!m.header.isTruncated && !m.header.isAuthoritative && m.header.responseCode == .noError)
        #expect(m.questions == [DNSQuestion(name: try dnsName("_sip._udp.example.com"), type: .srv)])
        #expect(m.answers.count == 2 && m.authorities.isEmpty && m.additionals.count == 2)
        #expect(m.answers.map(\.name.description) == ["_sip._udp.example.com", "_sip._udp.example.com"])
        #expect(m.answers.allSatisfy { $0.ttl == 3600 && $0.type == .srv && $0.class == .internet })
        #expect(m.answers[0].data == .srv(DNSSRVRecord(priority: 10, weight: 60, port: 5060, target: try dnsName("sip1.example.com"))))
        #expect(m.answers[1].data == .srv(DNSSRVRecord(priority: 10, weight: 20, port: 5060, target: try dnsName("sip2.example.com"))))
        #expect(m.additionals[0].name == (try dnsName("SIP1.Example.COM")), "names compare without case")
        #expect(m.additionals[0].data == .a(IPv4Address(192, 0, 2, 11)))
        #expect(m.additionals[0].data.description == "192.0.2.11")
        #expect(m.additionals[1].data.address == IPAddress("2001:db8::12"))
        #expect(m.additionals[1].data.description == "2001:db8::12")
        #expect(m.additionalAddresses(of: try dnsName("sip1.example.com"), family: .ipv4) == [.v4(IPv4Address(192, 0, 2, 11))])
        #expect(m.additionalAddresses(of: try dnsName("sip1.example.com"), family: .ipv6).isEmpty)
        // It answers the query it was for once the ID is the query's.
        #expect(DNSQuery(id: 0xBEEF, name: try dnsName("_SIP._UDP.example.com"), type: .srv).matches(m))
    }

    @Test func reencodingTheHandWrittenResponseGivesTheSameMessage() throws {
        // Our encoder compresses the same suffixes, except SRV targets (RFC 2782 forbids it), so the
        // output differs only there; decoding both gives the same message.
        let m = try DNSMessage(decoding: DNSWireFixtures.srvResponse)
        let again = try m.encoded()
        #expect(try DNSMessage(decoding: again) == m)
        #expect(again.count == DNSWireFixtures.srvResponse.count + 2 * 11, "each SRV target written in full: +11 octets")
        #expect(Array(again[0..<39]) == Array(DNSWireFixtures.srvResponse[0..<39]))
    }

    @Test func nxdomainIsSurfacedAsAResponseCode() throws {
        let m = try DNSMessage(decoding: DNSWireFixtures.nxdomain)
        #expect(m.header.responseCode == .nameError && m.header.responseCode.description == "NXDOMAIN")
        #expect(m.answers.isEmpty)
        let q = DNSQuestion(name: try dnsName("nohost.example.com"), type: .a)
        #expect(m.records(answering: q).isEmpty)
        #expect(DNSQuery(id: 0x0BAD, question: q).matches(m))
    }

    @Test func responseMustMatchTheQuery() throws {
        let m = try DNSMessage(decoding: DNSWireFixtures.srvResponse)
        let name = try dnsName("_sip._udp.example.com")
        #expect(throws: DNSError.idMismatch(expected: 0xBEEE, received: 0xBEEF)) {
            try DNSQuery(id: 0xBEEE, name: name, type: .srv).validate(m)
        }
        #expect(throws: DNSError.questionMismatch) { try DNSQuery(id: 0xBEEF, name: name, type: .a).validate(m) }
        #expect(throws: DNSError.questionMismatch) {
            try DNSQuery(id: 0xBEEF, name: try dnsName("_sip._tcp.example.com"), type: .srv).validate(m)
        }
        var notResponse = m
        notResponse.header.isResponse = false
        #expect(throws: DNSError.notAResponse) { try DNSQuery(id: 0xBEEF, name: name, type: .srv).validate(notResponse) }
        var twoQuestions = m
        twoQuestions.questions.append(m.questions[0])
        #expect(!DNSQuery(id: 0xBEEF, name: name, type: .srv).matches(twoQuestions))
        var otherOpcode = m
        otherOpcode.header.opcode = 2
        #expect(throws: DNSError.opcodeMismatch(expected: 0, received: 2)) {
            try DNSQuery(id: 0xBEEF, name: name, type: .srv).validate(otherOpcode)
        }
    }

    @Test func allHeaderFlagsRoundTrip() throws {
        let header = DNSHeader(id: 0xFFFF, isResponse: true, opcode: 5, isAuthoritative: true, isTruncated: true,
                               recursionDesired: true, recursionAvailable: true, authenticData: true,
                               checkingDisabled: true, responseCode: .refused)
        let bytes = try DNSMessage(header: header).encoded()
        #expect(bytes == [0xFF, 0xFF, 0xAF, 0xB5, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(try DNSMessage(decoding: bytes).header == header)
        #expect(DNSHeader(id: 1, flags: 0x8182).responseCode == .serverFailure)
        #expect(DNSResponseCode.serverFailure.description == "SERVFAIL" && DNSResponseCode(rawValue: 9).description == "RCODE9")
    }

    @Test func naptrAndCNAMEAndUnknownRecordsRoundTrip() throws {
        let example = try dnsName("example.com")
        let records = [
            // RFC 3263 §4.1's example NAPTR set.
            DNSResourceRecord(name: example, ttl: 300, data: .naptr(DNSNAPTRRecord(
                order: 50, preference: 50, flags: "s", services: "SIPS+D2T", regexp: "", replacement: try dnsName("_sips._tcp.example.com")))),
            DNSResourceRecord(name: example, ttl: 300, data: .naptr(DNSNAPTRRecord(
                order: 90, preference: 50, flags: "s", services: "SIP+D2T", regexp: "", replacement: try dnsName("_sip._tcp.example.com")))),
            DNSResourceRecord(name: try dnsName("www.example.com"), ttl: 60, data: .cname(example)),
            DNSResourceRecord(name: example, type: DNSRecordType(rawValue: 16), ttl: 60, data: .unknown([4, 0x76, 0x3D, 0x73, 0x70])),
        ]
        let m = DNSMessage(header: DNSHeader(id: 9, isResponse: true), questions: [DNSQuestion(name: example, type: .naptr)],
                           answers: records)
        let bytes = try m.encoded()
        let back = try DNSMessage(decoding: bytes)
        #expect(back == m)
        #expect(back.answers[0].description == "example.com. 300 IN NAPTR 50 50 \"s\" \"SIPS+D2T\" \"\" _sips._tcp.example.com")
        #expect(back.answers[3].type.description == "TYPE16" && back.answers[3].data.description == "\\# 5")
        // The NAPTR replacement is written in full even though "example.com" appeared before.
        let fullReplacement: [UInt8] = [5, 0x5F, 0x73, 0x69, 0x70, 0x73, 4, 0x5F, 0x74, 0x63, 0x70, 7]
        #expect(bytes.indices.contains { Array(bytes[$0..<min($0 + 12, bytes.count)]) == fullReplacement })
    }

    @Test func cnameChainsInTheAnswerAreFollowed() throws {
        let m = DNSMessage(header: DNSHeader(id: 1, isResponse: true), answers: try zone("""
            sip.example.com     60 CNAME edge.example.net
            edge.example.net   120 CNAME pop1.example.net
            pop1.example.net    30 A     198.51.100.7
            other.example.net   30 A     198.51.100.8
            """))
        let answer = m.records(answering: DNSQuestion(name: try dnsName("sip.example.com"), type: .a))
        #expect(answer.map(\.data) == [.a(IPv4Address(198, 51, 100, 7))])
        #expect(m.records(answering: DNSQuestion(name: try dnsName("sip.example.com"), type: .cname)).count == 1)
        // A loop ends in nothing rather than spinning.
        let loop = DNSMessage(header: DNSHeader(id: 1, isResponse: true), answers: try zone("""
            a.example.com 60 CNAME b.example.com
            b.example.com 60 CNAME a.example.com
            """))
        #expect(loop.records(answering: DNSQuestion(name: try dnsName("a.example.com"), type: .a)).isEmpty)
    }

    @Test func recordsOfOtherClassesStayOpaque() throws {
        // An A record in class CH (3) is not an IPv4 address.
        var bytes: [UInt8] = [0, 1, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0]
        bytes += [1, 0x78, 0, 0x00, 0x01, 0x00, 0x03, 0, 0, 0, 10, 0, 4, 10, 0, 0, 1]
        let m = try DNSMessage(decoding: bytes)
        #expect(m.answers[0].class.description == "CLASS3" && m.answers[0].data == .unknown([10, 0, 0, 1]))
        #expect(m.records(answering: DNSQuestion(name: try dnsName("x"), type: .a)).isEmpty)
    }

    @Test func ttlWithTheTopBitSetReadsAsZero() throws {
        // RFC 2181 §8: a TTL above 2^31 - 1 is treated as 0.
        var bytes: [UInt8] = [0, 1, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0]
        bytes += [1, 0x78, 0, 0x00, 0x01, 0x00, 0x01, 0x80, 0, 0, 0, 0, 4, 10, 0, 0, 1]
        bytes += [0xC0, 12, 0x00, 0x01, 0x00, 0x01, 0x7F, 0xFF, 0xFF, 0xFF, 0, 4, 10, 0, 0, 2]
        let m = try DNSMessage(decoding: bytes)
        #expect(m.answers.map(\.ttl) == [0, 0x7FFF_FFFF])
    }

    @Test func truncatedFlagKeepsCompleteRecordsAndDropsThePartialOne() throws {
        var bytes = DNSWireFixtures.srvResponse
        bytes[2] |= 0x02  // TC
        let cut = Array(bytes[0..<100])  // ends inside the first additional record's RDLENGTH (offset 99)
        let m = try DNSMessage(decoding: cut)
        #expect(m.header.isTruncated)
        #expect(m.answers.count == 2 && m.additionals.isEmpty)
        // Without TC the same cut is an error.
        #expect(throws: DNSError.unexpectedEnd(offset: 99)) { try DNSMessage(decoding: Array(DNSWireFixtures.srvResponse[0..<100])) }
    }
}
