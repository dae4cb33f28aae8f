// ValidationRuleTests: one failing fixture per validation rule (Tests/Fixtures/config/invalid), exact line and field.

import Testing
@testable import Config

@Suite("Validation rules")
struct ValidationRuleTests {
    static let fixtures: [String] = (try? ConfigFixtures.names(in: "invalid")) ?? []

    @Test func thereIsAFixturePerRule() {
        #expect(Self.fixtures.count >= 30)
    }

    @Test func baseOfTheFixturesIsValid() throws {
        let check = ConfigText.check(try ConfigFixtures.text("valid-base.conf"))
        #expect(check.issues.errors == [])
        #expect(check.isValid)
    }

    @Test(arguments: fixtures)
    func fixtureFailsExactlyAsDeclared(_ name: String) throws {
        let text = try ConfigFixtures.text("invalid/" + name)
        let expected = ConfigFixtures.expectations(in: text)
        try #require(!expected.isEmpty, "\(name) declares no '! expect:' line")
        let check = ConfigText.check(text)
        try #require(check.config != nil, "\(name) should parse: \(check.issues)")
        let errors = check.issues.errors
        #expect(errors.count == expected.count, "\(name): \(errors)")
        for e in expected {
            let match = errors.first { $0.line == e.line && $0.field == e.field }
            #expect(match != nil, "\(name): no error at \(e); got \(errors)")
            if let match {
                #expect(match.message.contains(e.message), "\(name): '\(match.message)' lacks '\(e.message)'")
                #expect(match.description.hasPrefix("line \(e.line): \(e.field): "))
            }
        }
    }

    // MARK: rules checked on models and positive cases

    static func base() throws -> GatewayConfig { try ConfigText.parse(try ConfigFixtures.text("valid-base.conf")) }

    @Test func ipAuthenticationNeedsNoSkypeConnectUserNameOrPassword() throws {
        var c = try Self.base()
        c.profiles[1].auth = .ip
        c.profiles[1].sipUser = "trunk-eng"
        c.profiles[1].password = nil
        #expect(ConfigValidator.validate(c).errors == [])
        c.profiles[1].password = .value("unused")
        let issues = ConfigValidator.validate(c)
        #expect(issues.errors == [])
        #expect(issues.warnings.map(\.field) == ["password"])
    }

    @Test func callerIDMayBeAVerifiedLandline() throws {
        var c = try Self.base()
        c.profiles[0].callerID = "+12025550999"
        #expect(ConfigValidator.validate(c).errors.map(\.field) == ["caller-id"])
        c.profiles[0].verifiedNumbers = ["+12025550999"]
        #expect(ConfigValidator.validate(c).errors == [])
    }

    @Test func bundlesMayEqualChannelsButNotExceed() throws {
        var c = try Self.base()
        c.profiles[0].usBundles = 10
        #expect(ConfigValidator.validate(c).errors == [])
        c.profiles[0].usBundles = 11
        #expect(ConfigValidator.validate(c).errors.map(\.field) == ["us-bundles"])
    }

    @Test func ninetyNineOnlineNumbersAreAllowed() throws {
        var c = try Self.base()
        c.profiles[0].onlineNumbers += (1...98).map { NumberMapping("+1202555\(2000 + $0)") }
        #expect(c.profiles[0].onlineNumbers.count == 99)
        #expect(ConfigValidator.validate(c).errors == [])
        c.profiles[0].onlineNumbers.append(NumberMapping("+12025553999"))
        let errors = ConfigValidator.validate(c).errors
        #expect(errors.map(\.field) == ["online-number"])
        // The line is the 100th online-number of the canonical text.
        let canonical = ConfigText.serialize(c).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(canonical[errors[0].line - 1] == " online-number +12025553999")
    }

    @Test func channelBoundsAreInclusive() throws {
        var c = try Self.base()
        for (n, ok) in [(1, true), (300, true), (0, false), (301, false), (-5, false)] {
            c.profiles[1].channels = n
            let errors = ConfigValidator.validate(c).errors
            #expect(errors.isEmpty == ok, "channels \(n): \(errors)")
            if !ok { #expect(errors.first?.message == "\(n) is out of range 1-300") }
        }
    }

    @Test func srtpOverPlainSignallingIsAWarningWhenAllowedOrOptional() throws {
        var c = try Self.base()
        c.profiles[0].transport = .udp
        c.profiles[0].srtp = .optional
        var issues = ConfigValidator.validate(c)
        #expect(issues.errors == [] && issues.warnings.map(\.field) == ["srtp"])
        c.profiles[0].srtp = .required
        c.profiles[0].srtpPlainSignalling = .allow
        issues = ConfigValidator.validate(c)
        #expect(issues.errors == [])
        #expect(issues.warnings.first?.message.contains("in clear") == true)
    }

    @Test func emptyEmergencyListAndMissingDefaultProfileWarn() throws {
        var c = try Self.base()
        c.routing.emergency = []
        c.routing.defaultProfile = nil
        let issues = ConfigValidator.validate(c)
        #expect(issues.errors == [])
        #expect(Set(issues.warnings.map(\.field)) == ["emergency", "default-profile"])
    }

    @Test func controlCharactersInValuesAreRefused() throws {
        var c = try Self.base()
        c.profiles[0].defaultExtension = "20\n0"
        c.hostname = "gw\u{7}"
        let fields = ConfigValidator.validate(c).errors.map(\.field)
        #expect(fields.contains("default-extension") && fields.contains("hostname"))
    }

    @Test func validationWithoutTextNamesLinesOfTheCanonicalText() throws {
        var c = try Self.base()
        c.profiles[1].channels = 400
        let issue = try #require(ConfigValidator.validate(c).errors.first)
        let canonical = ConfigText.serialize(c).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(canonical[issue.line - 1] == " channels 400")
        #expect(issue.description == "line \(issue.line): channels: 400 is out of range 1-300")
    }

    @Test func addressForms() {
        for ok in ["0.0.0.0", "192.168.1.2", "::", "::1", "2001:db8::1", "fe80::1:2:3:4", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8"] {
            #expect(ConfigSyntax.isIPAddress(ok), "\(ok)")
        }
        for bad in ["", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", ":1", "1.2.3.4/24"] {
            #expect(!ConfigSyntax.isIPAddress(bad), "\(bad)")
        }
        #expect(ConfigSyntax.cidrProblem("10.0.0.0/8") == nil)
        #expect(ConfigSyntax.cidrProblem("10.0.0.1") == nil)
        #expect(ConfigSyntax.cidrProblem("2001:db8::/32") == nil)
        #expect(ConfigSyntax.cidrProblem("2001:db8::1/32")?.contains("the network is 2001:db8:0:0:0:0:0:0/32") == true)
        #expect(ConfigSyntax.cidrProblem("10.0.0.0/08") != nil)
        #expect(ConfigSyntax.cidrProblem("10.0.0.0/") != nil)
    }

    @Test func numberForms() {
        #expect(ConfigSyntax.isE164("+12025550100"))
        #expect(!ConfigSyntax.isE164("+02025550100"))
        #expect(!ConfigSyntax.isE164("+1202555010012345"))
        #expect(!ConfigSyntax.isE164("12025550100"))
        #expect(ConfigSyntax.isSkypeConnectUser("99051000012345"))
        #expect(!ConfigSyntax.isSkypeConnectUser("9905100001234"))
        #expect(!ConfigSyntax.isSkypeConnectUser("99052000012345"))
        #expect(!ConfigSyntax.isSkypeConnectUser("9905100001234a"))
        #expect(ConfigSyntax.isSkypeName("architects.sales") && ConfigSyntax.isSkypeName("live:architects_1"))
        #expect(!ConfigSyntax.isSkypeName("1abcdef") && !ConfigSyntax.isSkypeName("abc"))
        #expect(ConfigSyntax.isHostPort("sip.skype.com") && ConfigSyntax.isHostPort("sip.skype.com:5061"))
        #expect(ConfigSyntax.isHostPort("[2001:db8::1]:5060") && ConfigSyntax.isHostPort("192.0.2.1:514"))
        #expect(!ConfigSyntax.isHostPort("sip.skype.com:0") && !ConfigSyntax.isHostPort("-bad.example") && !ConfigSyntax.isHostPort("a:b:c"))
    }
}
