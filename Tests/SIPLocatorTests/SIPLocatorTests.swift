// SIPLocatorTests: RFC 3263 §4 decisions, driven over real DNS wire bytes against a fake recursive server.
import Testing
@testable import SIPLocator

@Suite struct SIPLocatorTests {
    // example.com publishes SIP over TLS, TCP and UDP; UDP has two weighted servers and a backup.
    static let exampleZone = """
        _sips._tcp.example.com  3600 SRV 10 1 5061 tls1.example.com
        _sip._tcp.example.com   3600 SRV 10 1 5060 tcp1.example.com
        _sip._udp.example.com   3600 SRV 10 60 5060 sip1.example.com
        _sip._udp.example.com   3600 SRV 10 20 5060 sip2.example.com
        _sip._udp.example.com   3600 SRV 20 0 5070 backup.example.com
        tls1.example.com         300 A    192.0.2.21
        tcp1.example.com         300 A    192.0.2.31
        sip1.example.com         300 A    192.0.2.11
        sip1.example.com         300 AAAA 2001:db8::11
        sip2.example.com         300 A    192.0.2.12
        backup.example.com       600 A    198.51.100.5
        example.com               60 A    192.0.2.80
        """

    // MARK: numeric hosts (§4.1, §4.2)

    @Test func numericIPv4HostNeedsNoDNS() throws {
        var dns = try FakeDNS(Self.exampleZone)
        let cases: [(SIPLocatorURI, String)] = [
            (SIPLocatorURI(host: "192.0.2.10"), "udp:192.0.2.10:5060"),
            (SIPLocatorURI(host: "192.0.2.10", port: 5080), "udp:192.0.2.10:5080"),
            (SIPLocatorURI(host: "192.0.2.10", isSecure: true), "tls:192.0.2.10:5061"),
            (SIPLocatorURI(host: "192.0.2.10", transport: "TCP"), "tcp:192.0.2.10:5060"),
            (SIPLocatorURI(host: "192.0.2.10", transport: "tls"), "tls:192.0.2.10:5061"),
        ]
        for (uri, expected) in cases {
            let r = try resolve(uri, dns: &dns)
            #expect(r.targets == [try target(expected)], "\(uri)")
            #expect(r.batches.isEmpty && r.list?.timeToLive == nil)
        }
        #expect(dns.log.isEmpty)
    }

    @Test func numericIPv6HostNeedsNoDNS() throws {
        var dns = try FakeDNS(Self.exampleZone)
        #expect(try resolve(SIPLocatorURI(host: "[2001:db8::1]"), dns: &dns).targets == [try target("udp:[2001:db8::1]:5060")])
        #expect(try resolve(SIPLocatorURI(host: "2001:DB8:0::1", port: 5070), dns: &dns).targets == [try target("udp:[2001:db8::1]:5070")])
        #expect(try resolve(SIPLocatorURI(host: "[::1]", isSecure: true), dns: &dns).targets == [try target("tls:[::1]:5061")])
        #expect(try resolve(SIPLocatorURI(host: "[2001:db8::1]"), SIPLocatorConfiguration(addressFamilies: [.ipv4]), dns: &dns).targets.count == 1,
                "an explicit address is used whatever families are looked up")
        #expect(dns.log.isEmpty)
    }

    @Test func maddrReplacesTheHost() throws {
        var dns = try FakeDNS(Self.exampleZone)
        let r = try resolve(SIPLocatorURI(host: "example.com", maddr: "192.0.2.99"), dns: &dns)
        #expect(r.targets == [try target("udp:192.0.2.99:5060")] && dns.log.isEmpty)
    }

    // MARK: host with a port (§4.2)

    @Test func hostWithPortLooksUpAddressesOnly() throws {
        var dns = try FakeDNS(Self.exampleZone)
        let r = try resolve(SIPLocatorURI(host: "example.com", port: 5080), dns: &dns)
        #expect(r.questions == ["example.com A", "example.com AAAA"] && r.batches.count == 1)
        #expect(r.targets == [try target("udp:192.0.2.80:5080")])
        let sips = try resolve(SIPLocatorURI(host: "sip1.example.com", port: 5071, isSecure: true),
                               SIPLocatorConfiguration(addressFamilies: [.ipv6, .ipv4]), dns: &dns)
        #expect(sips.questions == ["sip1.example.com AAAA", "sip1.example.com A"])
        #expect(sips.targets == [try target("tls:[2001:db8::11]:5071"), try target("tls:192.0.2.11:5071")])
    }

    // MARK: SRV (§4.1, §4.2)

    @Test func sipsURIAsksOnlyForTheSIPSService() throws {
        var dns = try FakeDNS(Self.exampleZone)
        let r = try resolve(SIPLocatorURI(host: "example.com", isSecure: true), dns: &dns)
        #expect(r.questions == ["_sips._tcp.example.com SRV", "tls1.example.com A", "tls1.example.com AAAA"])
        #expect(r.targets == [try target("tls:192.0.2.21:5061")])
    }

    @Test func transportParameterChoosesTheService() throws {
        var dns = try FakeDNS(Self.exampleZone)
        let tcp = try resolve(SIPLocatorURI(host: "example.com", transport: "tcp"), dns: &dns)
        #expect(tcp.batches.first?.map(\.description) == ["_sip._tcp.example.com. IN SRV"])
        #expect(tcp.targets == [try target("tcp:192.0.2.31:5060")])
        // In a SIPS URI, transport=tcp means TLS over TCP.
        let sipsTCP = try resolve(SIPLocatorURI(host: "example.com", transport: "tcp", isSecure: true), dns: &dns)
        #expect(sipsTCP.questions.first == "_sips._tcp.example.com SRV")
        #expect(sipsTCP.targets == [try target("tls:192.0.2.21:5061")])
        let udp = try resolve(SIPLocatorURI(host: "example.com", transport: "udp"), dns: &dns)
        #expect(udp.questions.first == "_sip._udp.example.com SRV" && udp.targets.allSatisfy { $0.transport == .udp })
    }

    @Test func withoutParametersEveryAllowedTransportIsAskedInPreferenceOrder() throws {
        var dns = try FakeDNS(Self.exampleZone)
        let r = try resolve(SIPLocatorURI(host: "example.com"), seed: 5, dns: &dns)
        #expect(r.batches[0].map { "\($0.name)" } == ["_sips._tcp.example.com", "_sip._tcp.example.com", "_sip._udp.example.com"],
                "all three SRV lookups go out at once")
        let t = r.targets
        #expect(t.count == 6)
        #expect(Array(t.prefix(2)) == [try target("tls:192.0.2.21:5061"), try target("tcp:192.0.2.31:5060")])
        // Priority 10 before the priority-20 backup; sip1's IPv4 before its IPv6.
        #expect(t.last == (try target("udp:198.51.100.5:5070")))
        let middle = Array(t[2..<5])
        #expect(Set(middle) == Set([try target("udp:192.0.2.11:5060"), try target("udp:[2001:db8::11]:5060"), try target("udp:192.0.2.12:5060")]))
        #expect(middle.firstIndex(of: try target("udp:192.0.2.11:5060"))! < middle.firstIndex(of: try target("udp:[2001:db8::11]:5060"))!)
        // The box's own order decides which service comes first.
        let udpFirst = try resolve(SIPLocatorURI(host: "example.com"), SIPLocatorConfiguration(transports: [.udp, .tls]), dns: &dns)
        #expect(udpFirst.batches[0].map { "\($0.name)" } == ["_sip._udp.example.com", "_sips._tcp.example.com"])
        #expect(udpFirst.targets.first?.transport == .udp)
        #expect(udpFirst.targets.last == (try target("tls:192.0.2.21:5061")))
    }

    @Test func weightedSelectionSpreadsTheFirstUDPTarget() throws {
        var dns = try FakeDNS(Self.exampleZone)
        var sip1First = 0
        for seed in 0..<400 {
            let r = try resolve(SIPLocatorURI(host: "example.com", transport: "udp"), SIPLocatorConfiguration(addressFamilies: [.ipv4]),
                                seed: UInt64(seed), dns: &dns)
            if r.targets.first == (try target("udp:192.0.2.11:5060")) { sip1First += 1 }
            #expect(r.targets.last == (try target("udp:198.51.100.5:5070")))
        }
        // Weights 60 and 20: sip1 first three times in four.
        #expect((270...330).contains(sip1First), "sip1 first \(sip1First) of 400")
    }

    @Test func noSRVRecordsFallBackToTheHostOnTheDefaultPort() throws {
        var dns = try FakeDNS("example.net 120 A 203.0.113.9")
        let sip = try resolve(SIPLocatorURI(host: "example.net"), dns: &dns)
        #expect(sip.questions == ["_sips._tcp.example.net SRV", "_sip._tcp.example.net SRV", "_sip._udp.example.net SRV",
                                  "example.net A", "example.net AAAA"])
        #expect(sip.targets == [try target("udp:203.0.113.9:5060")] && sip.list?.timeToLive == 120)
        #expect(try resolve(SIPLocatorURI(host: "example.net", isSecure: true), dns: &dns).targets == [try target("tls:203.0.113.9:5061")])
        #expect(try resolve(SIPLocatorURI(host: "example.net", transport: "tcp"), dns: &dns).targets == [try target("tcp:203.0.113.9:5060")])
        // Without UDP allowed, a SIP URI falls back to the first allowed transport.
        #expect(try resolve(SIPLocatorURI(host: "example.net"), SIPLocatorConfiguration(transports: [.tcp]), dns: &dns).targets
                == [try target("tcp:203.0.113.9:5060")])
    }

    @Test func srvTargetDotMeansNoServiceAndNoFallback() throws {
        var dns = try FakeDNS("""
            _sips._tcp.example.org 300 SRV 0 0 0 .
            _sip._tcp.example.org  300 SRV 0 0 0 .
            _sip._udp.example.org  300 SRV 0 0 0 .
            example.org            300 A   203.0.113.50
            """)
        let r = try resolve(SIPLocatorURI(host: "example.org"), dns: &dns)
        #expect(r.error == .serviceUnavailable(try dnsName("example.org")))
        #expect(r.questions.allSatisfy { $0.hasSuffix("SRV") }, "no A/AAAA fallback: \(r.questions)")
        #expect(r.error?.description == "SIP service is not available at example.org")
    }

    @Test func srvDotForOneTransportLeavesTheOthers() throws {
        var dns = try FakeDNS("""
            _sips._tcp.example.org 300 SRV 0 0 0 .
            _sip._udp.example.org  300 SRV 5 1 5062 edge.example.org
            edge.example.org       300 A   203.0.113.51
            """)
        #expect(try resolve(SIPLocatorURI(host: "example.org"), dns: &dns).targets == [try target("udp:203.0.113.51:5062")])
        #expect(try resolve(SIPLocatorURI(host: "example.org", isSecure: true), dns: &dns).error == .serviceUnavailable(try dnsName("example.org")))
    }

    @Test func additionalSectionAddressesSaveLookups() throws {
        var dns = try FakeDNS(Self.exampleZone)
        dns.addsAdditionalAddresses = true
        let r = try resolve(SIPLocatorURI(host: "example.com", transport: "udp"), dns: &dns)
        // sip1 came with A and AAAA; sip2 and backup only with A, so only their AAAA is asked.
        #expect(r.batches.count == 2)
        #expect(Set(r.batches[1].map { "\($0.name) \($0.type)" }) == ["sip2.example.com AAAA", "backup.example.com AAAA"])
        #expect(r.targets.count == 4)
        let v4Only = try resolve(SIPLocatorURI(host: "example.com", transport: "udp"), SIPLocatorConfiguration(addressFamilies: [.ipv4]), dns: &dns)
        #expect(v4Only.batches.count == 1 && v4Only.targets.count == 3, "every IPv4 address was in the additional section")
    }

    @Test func truncatedUDPAnswerIsRetriedOverTCP() throws {
        var dns = try FakeDNS(Self.exampleZone)
        dns.addsAdditionalAddresses = true
        dns.udpLimit = 120
        let r = try resolve(SIPLocatorURI(host: "example.com", transport: "udp"), dns: &dns)
        #expect(dns.tcpQueries >= 1)
        #expect(r.targets.count == 4)
        #expect(r.targets.contains(try target("udp:198.51.100.5:5070")))
    }

    @Test func cnameAliasesAreFollowed() throws {
        var dns = try FakeDNS("""
            _sip._udp.example.com 300 SRV 1 1 5060 alias.example.com
            alias.example.com      30 CNAME real.example.net
            real.example.net       90 A 203.0.113.77
            """)
        let r = try resolve(SIPLocatorURI(host: "example.com", transport: "udp"), SIPLocatorConfiguration(addressFamilies: [.ipv4]), dns: &dns)
        #expect(r.targets == [try target("udp:203.0.113.77:5060")])
        #expect(r.list?.timeToLive == 90, "the smallest TTL among records used")
    }

    @Test func unknownHostFailsWithNoAddresses() throws {
        var dns = try FakeDNS(Self.exampleZone)
        let r = try resolve(SIPLocatorURI(host: "nohost.example.com"), dns: &dns)
        #expect(r.error == .noAddresses(try dnsName("nohost.example.com")))
        #expect(r.questions.count == 5)
    }

    @Test func serverFailuresAndTimeouts() throws {
        var dns = try FakeDNS("example.net 120 A 203.0.113.9")
        let domain = try dnsName("example.net")
        for t in SIPTransport.allCases { dns.failures[DNSQuestion(name: try t.serviceName(at: domain), type: .srv)] = .timeout }
        // SRV lookups that fail count as "no SRV": the host's addresses are still tried.
        #expect(try resolve(SIPLocatorURI(host: "example.net"), dns: &dns).targets == [try target("udp:203.0.113.9:5060")])
        dns.failures[DNSQuestion(name: domain, type: .a)] = .rcode(.serverFailure)
        let failed = try resolve(SIPLocatorURI(host: "example.net"), dns: &dns)
        #expect(failed.error == .lookupFailed(DNSQuestion(name: try SIPTransport.tls.serviceName(at: domain), type: .srv)))
        dns.failures[DNSQuestion(name: domain, type: .a)] = .rcode(.refused)
        #expect(try resolve(SIPLocatorURI(host: "example.net", port: 5060), dns: &dns).error == .lookupFailed(DNSQuestion(name: domain, type: .a)))
    }

    // MARK: NAPTR (§4.1, optional)

    static let naptrZone = """
        ; RFC 3263 §4.1's example (listed out of order), with servers behind each service
        example.com            3600 NAPTR 100 50 "s" "SIP+D2U" "" _sip._udp.example.com
        example.com            3600 NAPTR 90 50 "s" "SIP+D2T"  "" _sip._tcp.example.com
        example.com            3600 NAPTR 50 50 "s" "SIPS+D2T" "" _sips._tcp.example.com
        example.com            3600 NAPTR 10 50 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .
        _sips._tcp.example.com 3600 SRV 0 1 5061 server1.example.com
        _sip._tcp.example.com  3600 SRV 0 1 5060 server1.example.com
        _sip._udp.example.com  3600 SRV 0 1 5060 server2.example.com
        server1.example.com     300 A 192.0.2.1
        server2.example.com     300 A 192.0.2.2
        """

    @Test func naptrOrderDecidesTheServices() throws {
        var dns = try FakeDNS(Self.naptrZone)
        let config = SIPLocatorConfiguration(transports: [.udp, .tcp, .tls], addressFamilies: [.ipv4], usesNAPTR: true)
        let r = try resolve(SIPLocatorURI(host: "example.com"), config, dns: &dns)
        #expect(r.questions.first == "example.com NAPTR")
        #expect(r.batches[1].map { "\($0.name)" } == ["_sips._tcp.example.com", "_sip._tcp.example.com", "_sip._udp.example.com"],
                "the server's NAPTR order, not the box's preference")
        #expect(r.targets == [try target("tls:192.0.2.1:5061"), try target("tcp:192.0.2.1:5060"), try target("udp:192.0.2.2:5060")])
    }

    @Test func naptrServicesTheBoxCannotUseAreSkipped() throws {
        var dns = try FakeDNS(Self.naptrZone)
        let noTLS = try resolve(SIPLocatorURI(host: "example.com"),
                                SIPLocatorConfiguration(transports: [.udp, .tcp], addressFamilies: [.ipv4], usesNAPTR: true), dns: &dns)
        #expect(noTLS.targets == [try target("tcp:192.0.2.1:5060"), try target("udp:192.0.2.2:5060")])
        let sips = try resolve(SIPLocatorURI(host: "example.com", isSecure: true),
                               SIPLocatorConfiguration(addressFamilies: [.ipv4], usesNAPTR: true), dns: &dns)
        #expect(sips.targets == [try target("tls:192.0.2.1:5061")])
    }

    @Test func naptrIsSkippedWhenTheURISaysEnough() throws {
        var dns = try FakeDNS(Self.naptrZone)
        let config = SIPLocatorConfiguration(addressFamilies: [.ipv4], usesNAPTR: true)
        #expect(try resolve(SIPLocatorURI(host: "example.com", transport: "udp"), config, dns: &dns).questions.first == "_sip._udp.example.com SRV")
        #expect(try resolve(SIPLocatorURI(host: "server1.example.com", port: 5060), config, dns: &dns).questions == ["server1.example.com A"])
        // Without NAPTR records the usual SRV lookups follow.
        var plain = try FakeDNS(Self.exampleZone)
        let r = try resolve(SIPLocatorURI(host: "example.com"), config, dns: &plain)
        #expect(r.questions.first == "example.com NAPTR" && r.batches[1].count == 3)
        #expect(r.targets.first == (try target("tls:192.0.2.21:5061")))
    }

    // MARK: refusals

    @Test func urisTheBoxCannotServeAreRefused() throws {
        var dns = try FakeDNS(Self.exampleZone)
        let cases: [(SIPLocatorURI, SIPLocatorConfiguration, SIPLocatorError)] = [
            (SIPLocatorURI(host: "example.com", transport: "sctp"), .init(), .unsupportedTransport("sctp")),
            (SIPLocatorURI(host: "example.com", transport: "ws"), .init(), .unsupportedTransport("ws")),
            (SIPLocatorURI(host: "example.com", transport: "udp", isSecure: true), .init(), .insecureTransport("udp")),
            (SIPLocatorURI(host: "example.com", transport: "tcp"), .init(transports: [.udp]), .transportNotAllowed(.tcp)),
            (SIPLocatorURI(host: "example.com", isSecure: true), .init(transports: [.udp, .tcp]), .transportNotAllowed(.tls)),
            (SIPLocatorURI(host: "192.0.2.1", isSecure: true), .init(transports: [.udp]), .transportNotAllowed(.tls)),
            (SIPLocatorURI(host: "example.com"), .init(transports: []), .noTransports),
            (SIPLocatorURI(host: "exa mple.com"), .init(), .invalidHost("exa mple.com")),
            (SIPLocatorURI(host: "1.2.3.999"), .init(), .invalidHost("1.2.3.999")),
            (SIPLocatorURI(host: ""), .init(), .invalidHost("")),
            (SIPLocatorURI(host: "a..b"), .init(), .invalidHost("a..b")),
            (SIPLocatorURI(host: "[2001:db8::1"), .init(), .invalidHost("[2001:db8::1")),
            (SIPLocatorURI(host: "example.com", port: 0), .init(), .invalidPort(0)),
            (SIPLocatorURI(host: "example.com", port: 65_536), .init(), .invalidPort(65_536)),
        ]
        for (uri, config, error) in cases {
            #expect(try resolve(uri, config, dns: &dns).error == error, "\(uri)")
        }
        #expect(dns.log.isEmpty, "refused before any lookup")
    }

    // MARK: the state machine itself

    @Test func answersMayArriveInAnyOrderAndStrayOnesAreIgnored() throws {
        let records = try zone(Self.exampleZone)
        var locator = SIPLocator(uri: SIPLocatorURI(host: "example.com"), configuration: SIPLocatorConfiguration(addressFamilies: [.ipv4]))
        guard case .sendQueries(let srv) = locator.start() else { throw TestFailure("no SRV lookups") }
        #expect(srv.count == 3 && locator.pendingQuestions == srv && locator.lookupCount == 3)
        #expect(locator.start() == .waitForAnswers, "start again is harmless")
        let stray = DNSQuestion(name: try dnsName("elsewhere.example"), type: .srv)
        #expect(locator.receive(reply(stray, records), for: stray) == .waitForAnswers && locator.pendingQuestions.count == 3)
        #expect(locator.receive(reply(srv[2], records), for: srv[2]) == .waitForAnswers)
        #expect(locator.receive(reply(srv[2], records), for: srv[2]) == .waitForAnswers, "a duplicate answer is ignored")
        #expect(locator.lookupFailed(srv[0]) == .waitForAnswers)
        guard case .sendQueries(let addresses) = locator.receive(reply(srv[1], records), for: srv[1]) else {
            throw TestFailure("no address lookups")
        }
        #expect(Set(addresses.map { "\($0.name)" }) == ["tcp1.example.com", "sip1.example.com", "sip2.example.com", "backup.example.com"])
        var outcome = SIPLocator.Action.waitForAnswers
        for q in addresses.reversed() { outcome = locator.receive(reply(q, records), for: q) }
        guard case .resolved(let list) = outcome else { throw TestFailure("not resolved: \(outcome)") }
        #expect(list.targets.first == (try target("tcp:192.0.2.31:5060")), "TLS failed, so TCP leads")
        #expect(list.targets.count == 4 && list.timeToLive == 300)
        #expect(locator.isFinished && locator.receive(reply(srv[0], records), for: srv[0]) == outcome && locator.start() == outcome)
    }

    @Test func lookupsStayWithinTheBudget() throws {
        var text = ""
        for i in 0..<20 { text += "_sip._udp.big.example 60 SRV 1 1 5060 h\(i).big.example\nh\(i).big.example 60 A 203.0.113.\(i)\n" }
        var dns = try FakeDNS(text)
        let many = try resolve(SIPLocatorURI(host: "big.example", transport: "udp"), SIPLocatorConfiguration(addressFamilies: [.ipv4]), dns: &dns)
        #expect(many.targets.count == 8, "maxTargetsPerService")
        let tight = try resolve(SIPLocatorURI(host: "big.example", transport: "udp"),
                                SIPLocatorConfiguration(addressFamilies: [.ipv4, .ipv6], maxLookups: 5), dns: &dns)
        #expect(tight.questions.count == 5 && tight.targets.count == 2, "1 SRV + 4 address lookups: two hosts")
        let none = try resolve(SIPLocatorURI(host: "big.example", transport: "udp"), SIPLocatorConfiguration(maxLookups: 0), dns: &dns)
        #expect(none.error == .noAddresses(try dnsName("big.example")) && none.questions.isEmpty)
    }

    @Test func sameAddressFromTwoRecordsIsListedOnce() throws {
        var dns = try FakeDNS("""
            _sip._udp.example.com 60 SRV 1 1 5060 a.example.com
            _sip._udp.example.com 60 SRV 2 1 5060 b.example.com
            _sip._udp.example.com 60 SRV 3 1 5060 c.example.com
            _sip._udp.example.com 60 SRV 4 1 0 d.example.com
            a.example.com 60 A 192.0.2.1
            b.example.com 60 A 192.0.2.1
            c.example.com 60 A 192.0.2.3
            d.example.com 60 A 192.0.2.4
            """)
        let r = try resolve(SIPLocatorURI(host: "example.com", transport: "udp"), SIPLocatorConfiguration(addressFamilies: [.ipv4]), dns: &dns)
        #expect(r.targets == [try target("udp:192.0.2.1:5060"), try target("udp:192.0.2.3:5060")], "port 0 is skipped too")
    }

    private func reply(_ q: DNSQuestion, _ records: [DNSResourceRecord]) -> DNSMessage {
        let answers = records.filter { $0.name == q.name && $0.type == q.type }
        return DNSMessage(header: DNSHeader(id: 1, isResponse: true, responseCode: answers.isEmpty ? .nameError : .noError),
                          questions: [q], answers: answers)
    }
}
