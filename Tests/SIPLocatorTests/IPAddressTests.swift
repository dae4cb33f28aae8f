// IPAddressTests: address text in and out: dotted IPv4 (RFC 3261 §25.1) and IPv6 (RFC 4291 §2.2, RFC 5952 §4-5).
import Testing
@testable import SIPLocator

@Suite struct IPAddressTests {
    @Test func ipv4ParsesAndPrints() throws {
        let a = try #require(IPv4Address("192.0.2.1"))
        #expect(a.value == 0xC000_0201 && a.bytes == [192, 0, 2, 1] && a.description == "192.0.2.1")
        #expect(IPv4Address("010.0.0.1")?.description == "10.0.0.1", "RFC 3261 allows 1 to 3 digits")
        #expect(IPv4Address(bytes: [255, 255, 255, 255])?.description == "255.255.255.255")
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.0001", "a.b.c.d", "1.2.3.-4", " 1.2.3.4"] {
            #expect(IPv4Address(bad) == nil, "\(bad)")
        }
        #expect(IPv4Address(bytes: [1, 2, 3]) == nil)
    }

    @Test func rfc5952CanonicalText() throws {
        let cases: [(String, String)] = [
            ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),            // §4.2.1 shorten as much as possible
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),     // §4.2.2 a single zero group stays
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),              // §4.2.3 the longest run
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),        // §4.2.3 the first of equal runs
            ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),  // §4.1 leading zeros, §4.3 lowercase
            ("0:0:0:0:0:0:0:0", "::"),
            ("0:0:0:0:0:0:0:1", "::1"),
            ("1:0:0:0:0:0:0:0", "1::"),
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),             // §5 IPv4-mapped
            ("0:0:0:0:0:FFFF:C000:0201", "::ffff:192.0.2.1"),
            ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
            ("fe80::1:2:3:4:5:6", "fe80:0:1:2:3:4:5:6"),          // '::' for one group is expanded
        ]
        for (input, canonical) in cases {
            let a = try #require(IPv6Address(input), "\(input)")
            #expect(a.description == canonical, "\(input)")
            #expect(IPv6Address(canonical) == a)
        }
    }

    @Test func ipv6RefusesMalformedText() {
        for bad in ["", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7:8::",
                    "::1.2.3", "1.2.3.4::", "::1.2.3.4:5", "fe80::1%eth0", ":1::", "1::2:", "[::1]"] {
            #expect(IPv6Address(bad) == nil, "\(bad)")
        }
    }

    @Test func ipv6BytesAndGroups() throws {
        let a = try #require(IPv6Address("2001:db8::12"))
        #expect(a.bytes == [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [0x12])
        #expect(a.groups == [0x2001, 0xDB8, 0, 0, 0, 0, 0, 0x12])
        #expect(IPv6Address(bytes: a.bytes) == a && IPv6Address(groups: a.groups) == a)
        #expect(IPv6Address(bytes: [UInt8](repeating: 0, count: 15)) == nil)
    }

    @Test func sipHostFormsClassify() {
        #expect(IPAddress("192.0.2.1") == .v4(IPv4Address(192, 0, 2, 1)))
        #expect(IPAddress("[2001:db8::1]")?.description == "2001:db8::1")
        #expect(IPAddress("2001:db8::1")?.family == .ipv6)
        #expect(IPAddress("[192.0.2.1]") == nil, "brackets are for IPv6 only")
        #expect(IPAddress("[2001:db8::1") == nil && IPAddress("[]") == nil)
        #expect(IPAddress("sip.example.com") == nil)
        #expect(IPAddress("1.2.3.999") == nil)
    }
}
