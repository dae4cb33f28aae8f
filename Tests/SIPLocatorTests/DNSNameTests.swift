// DNSNameTests: names in text and label form, their limits and case-blind equality (RFC 1035 §2.3.4, §5.1; RFC 4343).
import Testing
@testable import SIPLocator

@Suite struct DNSNameTests {
    @Test func textFormParsesWithOrWithoutTheFinalDot() throws {
        let a = try dnsName("sip.example.com")
        let b = try dnsName("sip.example.com.")
        #expect(a == b && a.labels.count == 3 && a.wireLength == 17)
        #expect(try dnsName(".").isRoot && DNSName.root.description == "." && DNSName.root.wireLength == 1)
    }

    @Test func emptyLabelsAreRefused() {
        for text in ["", "a..b", ".a", "a.b..", ".."] {
            #expect(throws: DNSError.emptyLabel, "\(text)") { try DNSName(text) }
        }
    }

    @Test func labelAndNameLengthLimits() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try dnsName(label63 + ".com").labels[0].count == 63)
        #expect(throws: DNSError.labelTooLong(length: 64)) { try DNSName(label63 + "a.com") }
        // Three 63-octet labels and one of 61: 3 * 64 + 62 + 1 = 255 octets exactly; one more octet is too long.
        let exact = [label63, label63, label63, String(repeating: "b", count: 61)].joined(separator: ".")
        #expect(try dnsName(exact).wireLength == 255)
        #expect(throws: DNSError.nameTooLong(length: 256)) { try DNSName(exact + "b") }
        #expect(throws: DNSError.labelTooLong(length: 64)) { try DNSName(labels: [[UInt8](repeating: 1, count: 64)]) }
        #expect(throws: DNSError.emptyLabel) { try DNSName(labels: [[]]) }
    }

    @Test func escapesRoundTripThroughDescription() throws {
        let name = try dnsName(#"a\.b.c\\d.\000\255"#)
        #expect(name.labels == [[0x61, 0x2E, 0x62], [0x63, 0x5C, 0x64], [0x00, 0xFF]])
        #expect(name.description == #"a\.b.c\\d.\000\255"#)
        #expect(try dnsName(name.description) == name)
        for bad in [#"a\"#, #"a\25"#, #"a\256"#, #"a\2x5"#] {
            #expect(throws: DNSError.invalidEscape, "\(bad)") { try DNSName(bad) }
        }
    }

    @Test func equalityAndHashingIgnoreASCIICaseOnly() throws {
        let lower = try dnsName("sip.example.com")
        let upper = try dnsName("SIP.Example.COM")
        #expect(lower == upper && Set([lower, upper]).count == 1)
        #expect(try dnsName("sip.example.co") != lower)
        // Only A-Z fold: 0xC0 and 0xE0 differ.
        #expect(try DNSName(labels: [[0xC0]]) != DNSName(labels: [[0xE0]]))
    }

    @Test func prependingBuildsSRVOwnerNames() throws {
        let domain = try dnsName("example.com")
        #expect(try SIPTransport.udp.serviceName(at: domain).description == "_sip._udp.example.com")
        #expect(try SIPTransport.tcp.serviceName(at: domain).description == "_sip._tcp.example.com")
        #expect(try SIPTransport.tls.serviceName(at: domain).description == "_sips._tcp.example.com")
        // 4 * 63 + 1 = 253 octets; "_udp" in front makes 258.
        let nearlyFull = try dnsName([String](repeating: String(repeating: "c", count: 62), count: 4).joined(separator: "."))
        #expect(throws: DNSError.nameTooLong(length: 258)) { try SIPTransport.udp.serviceName(at: nearlyFull) }
    }
}
