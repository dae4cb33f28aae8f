// DNSCompressionTests: message compression pointers read and written, and hostile pointers refused (RFC 1035 §4.1.4).
import Testing
@testable import SIPLocator

@Suite struct DNSCompressionTests {
    @Test func rfc1035ExampleNamesDecodeAtTheirOffsets() throws {
        let reader = DNSMessageReader(bytes: DNSWireFixtures.rfc1035CompressionExample)
        let (f, fEnd) = try reader.name(at: 20)
        #expect(f.description == "F.ISI.ARPA" && fEnd == 32)
        let (foo, fooEnd) = try reader.name(at: 40)
        #expect(foo.description == "FOO.F.ISI.ARPA" && fooEnd == 46, "in place: FOO and a 2-octet pointer")
        let (arpa, arpaEnd) = try reader.name(at: 64)
        #expect(arpa.description == "ARPA" && arpaEnd == 66)
        let (root, rootEnd) = try reader.name(at: 92)
        #expect(root.isRoot && rootEnd == 93)
    }

    @Test func pointerToItselfIsALoop() throws {
        var bytes = header(questions: 1)
        bytes += [0xC0, 12, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSError.pointerLoop(offset: 12)) { try DNSMessage(decoding: bytes) }
    }

    @Test func pointersThatChaseEachOtherAreALoop() throws {
        var bytes = header(questions: 1)
        bytes += [0xC0, 14, 0xC0, 12, 0x00, 0x01, 0x00, 0x01]  // 12 -> 14 -> 12 -> ...
        let e = #expect(throws: DNSError.self) { try DNSMessage(decoding: bytes) }
        guard case .pointerLoop = e else {
            Issue.record("expected a pointer loop, got \(String(describing: e))")
            return
        }
    }

    @Test func loopThroughLabelsStopsAtALimit() throws {
        // "abc" then back to itself: the hop limit ends it before the name grows past 255.
        var short = header(questions: 1)
        short += [3, 0x61, 0x62, 0x63, 0xC0, 12, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSError.pointerLoop(offset: 16)) { try DNSMessage(decoding: short) }
        // A 63-octet label then back to itself: the fourth pass makes 1 + 4 * 64 = 257 octets.
        var long = header(questions: 1)
        long += [63] + [UInt8](repeating: 0x61, count: 63) + [0xC0, 12, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSError.nameTooLong(length: 257)) { try DNSMessage(decoding: long) }
    }

    @Test func pointerPastTheEndIsRefused() throws {
        var bytes = header(questions: 1)
        bytes += [0xC0, 0xFF, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSError.pointerOutOfBounds(offset: 12)) { try DNSMessage(decoding: bytes) }
        // The largest pointer value, 0x3FFF, in a short message.
        var far = header(questions: 1)
        far += [0xFF, 0xFF, 0x00, 0x01, 0x00, 0x01]
        #expect(throws: DNSError.pointerOutOfBounds(offset: 12)) { try DNSMessage(decoding: far) }
    }

    @Test func pointerCutInHalfIsAnEarlyEnd() throws {
        var bytes = header(questions: 1)
        bytes += [1, 0x61, 0xC0]
        #expect(throws: DNSError.unexpectedEnd(offset: 14)) { try DNSMessage(decoding: bytes) }
    }

    @Test func reservedLabelTypesAreRefused() throws {
        for first: UInt8 in [0x40, 0x80, 0x7F, 0xBF] {
            var bytes = header(questions: 1)
            bytes += [first, 0, 0, 0, 0, 0]
            #expect(throws: DNSError.unsupportedLabelType(offset: 12)) { try DNSMessage(decoding: bytes) }
        }
    }

    @Test func pointerChainWithinTheHopLimitIsFollowed() throws {
        // A name at offset 12, then 15 names each "x" + pointer to the previous: legal, if wasteful.
        var bytes = header(questions: 16)
        bytes += [1, 0x61, 0, 0x00, 0x01, 0x00, 0x01]
        var previous = 12
        for _ in 0..<15 {
            let here = bytes.count
            bytes += [1, 0x78, 0xC0, UInt8(previous), 0x00, 0x01, 0x00, 0x01]
            previous = here
        }
        let m = try DNSMessage(decoding: bytes)
        #expect(m.questions.count == 16)
        #expect(m.questions.last?.name.description == String(repeating: "x.", count: 15) + "a")
    }

    @Test func encoderCompressesRepeatedSuffixesIgnoringCase() throws {
        let q = DNSQuestion(name: try dnsName("_sip._udp.Example.COM"), type: .srv)
        let m = DNSMessage(header: DNSHeader(id: 1, isResponse: true), questions: [q], answers: [
            DNSResourceRecord(name: try dnsName("_sip._udp.example.com"), ttl: 60, data: .cname(try dnsName("sip.example.com"))),
        ])
        let bytes = try m.encoded()
        // Owner name: a bare pointer to the question name at 12; CNAME target: "sip" + pointer to "example.com" at 22.
        #expect(Array(bytes[39..<41]) == [0xC0, 12])
        #expect(Array(bytes.suffix(6)) == [3, 0x73, 0x69, 0x70, 0xC0, 22])
        #expect(try DNSMessage(decoding: bytes) == m)
    }

    private func header(questions: UInt8) -> [UInt8] { [0, 1, 0x81, 0x80, 0, questions, 0, 0, 0, 0, 0, 0] }
}
