// ExampleConfigTests: the full Architects example parses, round-trips byte for byte and validates clean.

import Testing
@testable import Config

@Suite("Architects example config")
struct ExampleConfigTests {
    @Test func parsesIntoTheModel() throws {
        let c = try ConfigText.parse(try ConfigFixtures.architects)
        #expect(c.hostname == "architects-gw")
        #expect(c.console == ConsoleConfig(device: "/dev/ttyS0", speed: 115_200, idleTimeoutMinutes: 15))
        #expect(c.lan == ListenerConfig(address: "192.168.1.2", sipPort: 5_060, tlsPort: 5_061, transports: [.udp, .tcp]))
        #expect(c.wan.transports == [.udp, .tcp, .tls])
        #expect(c.pbx.acl == ["192.168.1.0/24", "2001:db8:1::/48"])
        #expect(c.pbx.password == .value("Pbx-Secret-4411"))
        #expect(c.profiles.map(\.name) == ["sales", "engineering"])
        let sales = try #require(c.profile(named: "sales"))
        #expect(sales.transport == .tls && sales.srtp == .required)
        #expect(sales.sipUser == "99051000012345")
        #expect(sales.password == .value("S4les-Trunk!2011"))
        #expect(sales.channels == 10 && sales.usBundles == 2)
        #expect(sales.pAssertedIdentity)
        #expect(sales.onlineNumbers == [NumberMapping("+12025550123", extension: "201"), NumberMapping("+12025550124", extension: "202"),
                                        NumberMapping("+442079460123")])
        #expect(sales.skypeNames == [NumberMapping("architects.sales", extension: "200")])
        let eng = try #require(c.profile(named: "engineering"))
        #expect(eng.password == .value("eng trunk 7 #x"))
        #expect(eng.calledNumberFrom == .requestURI)
        #expect(eng.registrar == "sip.skype.com:5060")
        #expect(c.routing.emergency == ["911", "112", "999", "000"])
        #expect(c.routing.routes == [RouteRule(.prefix("00"), .profile("sales")),
                                     RouteRule(.extensions(low: 300, high: 399), .profile("engineering")),
                                     RouteRule(.prefix("8"), .line)])
        #expect(c.routing.defaultProfile == "sales")
        #expect(c.numbering == NumberingConfig(countryCode: "1", nationalPrefix: "1", internationalPrefix: "011", accessPrefix: "9"))
        #expect(c.line == LineConfig(device: "hw:0", board: "generic-fxo", hookPin: 17, ringPin: 27, incomingExtension: "200", fallback: true))
        #expect(c.media.codecs == [.pcmu, .pcma, .g729])
        #expect(c.media.portPairs == 5_000)
        #expect(c.logging.syslog == "192.168.1.20:514")
    }

    @Test func roundTripsByteForByte() throws {
        let text = try ConfigFixtures.architects
        let c = try ConfigText.parse(text)
        #expect(ConfigText.serialize(c) == text)
        #expect(try ConfigText.parse(ConfigText.serialize(c)) == c)
    }

    @Test func validatesWithoutIssues() throws {
        let check = ConfigText.check(try ConfigFixtures.architects)
        #expect(check.issues == [])
        #expect(check.isValid)
    }

    @Test func maskedRenderingHidesEverySecret() throws {
        let c = try ConfigText.parse(try ConfigFixtures.architects)
        let masked = ConfigText.masked(c)
        for secret in ["Pbx-Secret-4411", "S4les-Trunk!2011", "eng trunk 7 #x", "S4les", "eng trunk"] {
            #expect(!masked.contains(secret))
        }
        #expect(masked.components(separatedBy: "password ********\n").count == 4)  // pbx, sales, engineering
        // The mask does not depend on the secret (not even its length).
        var other = c
        other.pbx.password = .value("x")
        other.profiles[0].password = .value(String(repeating: "y", count: 60))
        #expect(ConfigText.masked(other) == masked)
        // Descriptions, interpolation and dump never show a secret either.
        #expect("\(c.profiles[0].password!)" == "********")
        #expect(!String(describing: c).contains("S4les"))
        #expect(!String(reflecting: c).contains("S4les"))
        var dumped = ""
        dump(c, to: &dumped)
        #expect(!dumped.contains("S4les") && !dumped.contains("Pbx-Secret"))
    }

    @Test func maskedTextKeepsTheRunningSecrets() throws {
        let running = try ConfigText.parse(try ConfigFixtures.architects)
        let masked = ConfigText.masked(running)
        var candidate = try ConfigText.parse(masked)
        #expect(candidate.hasKeptSecrets)
        #expect(candidate.profiles[0].password == .keepCurrent)
        try candidate.resolveSecrets(from: running)
        #expect(candidate == running)
        // Through the commit path too.
        let check = ConfigText.check(masked, running: running)
        #expect(check.config == running && check.isValid)
    }

    @Test func factoryDefaultIsSafeAndRoundTrips() throws {
        let d = GatewayConfig.factoryDefault
        #expect(d.profiles.isEmpty && d.pbx.password == nil && d.pbx.address == nil && d.pbx.acl.isEmpty)
        #expect(d.routing.emergency == ["911", "112", "999", "000"])
        #expect(d.line == nil)
        let text = ConfigText.serialize(d)
        #expect(try ConfigText.parse(text) == d)
        #expect(try ConfigText.parse("") == d)
        #expect(ConfigValidator.validate(d).errors == [])
    }
}

@Suite("The sketch in the brief")
struct SketchConfigTests {
    /// The first sketch of the language (no `!` separators, an inline comment) parses as written; validation
    /// then finds what the sketch left out: no Engineering profile, and a caller ID the profile does not own.
    @Test func parsesAndValidationFindsItsGaps() throws {
        let text = try ConfigFixtures.text("sketch-from-issue.conf")
        let check = ConfigText.check(text)
        let config = try #require(check.config)
        #expect(config.profiles[0].srtp == .required)
        #expect(config.pbx.password == .value("<secret>"))
        #expect(check.issues.errors.map(\.description) == [
            "line 26: caller-id: +12025550100 is neither an Online Number nor a verified-number of this profile",
            "line 32: route: profile engineering does not exist",
        ])
        // Its canonical form is the same config.
        #expect(try ConfigText.parse(ConfigText.serialize(config)) == config)
    }
}
