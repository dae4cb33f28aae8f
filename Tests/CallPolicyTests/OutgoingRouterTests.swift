// OutgoingRouterTests: route rule order, extension ranges, skipped rules, the line, default profile, refusals.

import Config
import Testing
import CallPolicy

@Suite("Outgoing routing")
struct OutgoingRouterTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var dialled: String
        var from: String?
        var profile: String?
        var e164: String? = nil
        var description: String { name }
    }

    static let router = OutgoingRouter(config: PolicyFixtures.config())

    static let toProfiles: [Case] = [
        Case(name: "default profile", dialled: "902079460123", from: "201", profile: "sales", e164: "+442079460123"),
        Case(name: "prefix beats default", dialled: "900353112345678", from: "201", profile: "engineering", e164: "+353112345678"),
        Case(name: "prefix matched after access prefix", dialled: "00353112345678", from: "201", profile: "engineering", e164: "+353112345678"),
        Case(name: "prefix is matched before normalisation", dialled: "+353112345678", from: "201", profile: "sales", e164: "+353112345678"),
        Case(name: "extension range", dialled: "902079460123", from: "350", profile: "engineering", e164: "+442079460123"),
        Case(name: "extension range low bound", dialled: "02079460123", from: "300", profile: "engineering"),
        Case(name: "extension range high bound", dialled: "02079460123", from: "399", profile: "engineering"),
        Case(name: "outside extension range", dialled: "02079460123", from: "400", profile: "sales"),
        Case(name: "non-numeric extension", dialled: "02079460123", from: "alice", profile: "sales"),
        Case(name: "extension with leading zeros", dialled: "02079460123", from: "0350", profile: "engineering"),
        Case(name: "huge extension", dialled: "02079460123", from: "99999999999999999999999", profile: "sales"),
        Case(name: "no calling extension", dialled: "02079460123", from: nil, profile: "sales"),
    ]

    @Test(arguments: toProfiles)
    func routesToAProfile(_ c: Case) throws {
        let decision = Self.router.route(dialled: c.dialled, callingExtension: c.from, lineAvailable: true)
        guard case .trunk(let profile, let number, _) = decision else {
            Issue.record("\(c.name): \(decision)")
            return
        }
        #expect(profile.name == c.profile)
        if let e164 = c.e164 { #expect(number.e164 == e164) }
    }

    @Test func firstMatchingRuleWins() {
        let routes = [
            RouteRule(.extensions(low: 300, high: 399), .profile("sales")),
            RouteRule(.prefix("0"), .profile("engineering")),
        ]
        let router = OutgoingRouter(config: PolicyFixtures.config(routes: routes))
        #expect(Self.profileName(router.route(dialled: "02079460123", callingExtension: "301", lineAvailable: false)) == "sales")
        #expect(Self.profileName(router.route(dialled: "02079460123", callingExtension: "201", lineAvailable: false)) == "engineering")
        #expect(Self.profileName(router.route(dialled: "79460123", callingExtension: "201", lineAvailable: false)) == "sales")
    }

    @Test func ruleNamingAMissingProfileIsSkipped() {
        let routes = [
            RouteRule(.prefix("00353"), .profile("marketing")),
            RouteRule(.prefix("003"), .profile("engineering")),
        ]
        let router = OutgoingRouter(config: PolicyFixtures.config(routes: routes))
        #expect(Self.profileName(router.route(dialled: "00353112345678", callingExtension: "201", lineAvailable: false)) == "engineering")
        let onlyMissing = OutgoingRouter(config: PolicyFixtures.config(routes: [RouteRule(.prefix("0"), .profile("marketing"))]))
        #expect(Self.profileName(onlyMissing.route(dialled: "02079460123", callingExtension: "201", lineAvailable: false)) == "sales")
    }

    @Test func lineRoute() {
        let r = Self.router
        #expect(r.route(dialled: "9118500", callingExtension: "201", lineAvailable: true) == .line(number: "118500", emergency: false))
        #expect(r.route(dialled: "9118500", callingExtension: "201", lineAvailable: false)
                == .refuse(status: 503, reason: "route 3 (prefix 118) sends the call to the analog line, but the analog line is busy or down"))
        let noLine = OutgoingRouter(config: PolicyFixtures.config(line: nil))
        #expect(noLine.route(dialled: "118500", callingExtension: "201", lineAvailable: true)
                == .refuse(status: 503, reason: "route 3 (prefix 118) sends the call to the analog line, but this box has no analog line"))
        // A leading + is dialled on the line as the international prefix; short numbers need not normalise.
        let plus = OutgoingRouter(config: PolicyFixtures.config(routes: [RouteRule(.prefix("+"), .line), RouteRule(.prefix("1"), .line)]))
        #expect(plus.route(dialled: "+353112345678", callingExtension: "201", lineAvailable: true) == .line(number: "00353112345678", emergency: false))
        #expect(plus.route(dialled: "123", callingExtension: "201", lineAvailable: true) == .line(number: "123", emergency: false))
        #expect(plus.route(dialled: "1a", callingExtension: "201", lineAvailable: true).refusalStatus == 484)
    }

    @Test func profileDownFallsBackToTheLine() {
        var line = PolicyFixtures.line
        line.fallback = true
        let router = OutgoingRouter(config: PolicyFixtures.config(line: line))
        let salesDown: (String) -> Bool = { $0 != "sales" }
        // Sales is down: its call is dialled on the line (the access prefix stripped, no normalisation).
        #expect(router.route(dialled: "902079460123", callingExtension: "201", lineAvailable: true, trunkUp: salesDown)
                == .fallback(profile: "sales", number: "02079460123"))
        #expect(router.route(dialled: "+442079460123", callingExtension: "201", lineAvailable: true, trunkUp: salesDown)
                == .fallback(profile: "sales", number: "00442079460123"))
        // Engineering is up: its calls stay on the trunk.
        #expect(Self.profileName(router.route(dialled: "00353112345678", callingExtension: "201", lineAvailable: true, trunkUp: salesDown)) == "engineering")
        // A busy line leaves the call to the trunk, as if there were no fallback.
        #expect(Self.profileName(router.route(dialled: "902079460123", callingExtension: "201", lineAvailable: false, trunkUp: salesDown)) == "sales")
        // Emergency numbers are line calls anyway, never fallbacks.
        #expect(router.route(dialled: "999", callingExtension: "201", lineAvailable: true, trunkUp: salesDown) == .line(number: "999", emergency: true))
        // A malformed number is refused before any fallback.
        #expect(router.route(dialled: "12a", callingExtension: "201", lineAvailable: true, trunkUp: salesDown).refusalStatus == 484)
        // Without `fallback on` a down profile still gets the call.
        let noFallback = OutgoingRouter(config: PolicyFixtures.config())
        #expect(Self.profileName(noFallback.route(dialled: "902079460123", callingExtension: "201", lineAvailable: true, trunkUp: salesDown)) == "sales")
        // Nor without a line.
        let noLine = OutgoingRouter(config: PolicyFixtures.config(line: nil))
        #expect(Self.profileName(noLine.route(dialled: "902079460123", callingExtension: "201", lineAvailable: true, trunkUp: { _ in false })) == "sales")
        // The trunk's state is only asked for when the fallback could apply.
        var asked = 0
        _ = noFallback.route(dialled: "902079460123", callingExtension: "201", lineAvailable: true, trunkUp: { _ in asked += 1; return false })
        #expect(asked == 0)
        #expect(BillingClassifier.classify(.fallback(profile: "sales", number: "02079460123")) == .free)
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var name: String
        var config: GatewayConfig
        var dialled: String
        var status: Int
        var reason: String
        var description: String { name }
    }

    static let refusals: [Refusal] = {
        var noSIPUser = PolicyFixtures.config()
        noSIPUser.profiles[0].sipUser = nil
        var emptySIPUser = PolicyFixtures.config()
        emptySIPUser.profiles[0].sipUser = ""
        return [
            Refusal(name: "letters", config: PolicyFixtures.config(), dialled: "0800FLOWERS", status: 484,
                    reason: "'F' is not allowed in a dialled number (only digits, a leading + and the separators - . ( ) and space)"),
            Refusal(name: "empty", config: PolicyFixtures.config(), dialled: "", status: 484, reason: "no number was dialled"),
            Refusal(name: "too long", config: PolicyFixtures.config(), dialled: "+1234567890123456", status: 484,
                    reason: "too long for a phone number: 16 digits with the country code (at most 15)"),
            Refusal(name: "no country code", config: PolicyFixtures.config(numbering: PolicyFixtures.noCountry),
                    dialled: "02079460123", status: 484, reason: "cannot make an international number: no country code configured"),
            Refusal(name: "no route, no default", config: PolicyFixtures.config(defaultProfile: nil), dialled: "902079460123",
                    status: 404, reason: "no route matches 02079460123 and no default-profile is configured"),
            Refusal(name: "default profile missing", config: PolicyFixtures.config(defaultProfile: "marketing"), dialled: "02079460123",
                    status: 404, reason: "no route matches 02079460123 and the default-profile marketing does not exist"),
            Refusal(name: "no sip-user", config: noSIPUser, dialled: "02079460123", status: 503,
                    reason: "profile sales has no sip-user configured"),
            Refusal(name: "empty sip-user", config: emptySIPUser, dialled: "02079460123", status: 503,
                    reason: "profile sales has no sip-user configured"),
        ]
    }()

    @Test(arguments: refusals)
    func refuses(_ r: Refusal) {
        let decision = OutgoingRouter(config: r.config).route(dialled: r.dialled, callingExtension: "201", lineAvailable: true)
        #expect(decision == .refuse(status: r.status, reason: r.reason))
    }

    @Test func ipAuthenticatedProfileNeedsNoSIPUser() {
        let router = OutgoingRouter(config: PolicyFixtures.config(defaultProfile: "support"))
        #expect(Self.profileName(router.route(dialled: "02079460123", callingExtension: "201", lineAvailable: false)) == "support")
    }

    @Test func trunkDecisionCarriesCallerIDAndTrunkForm() {
        let decision = Self.router.route(dialled: "9 020 7946 0123", callingExtension: "201", lineAvailable: true)
        guard case .trunk(let profile, let number, let callerID) = decision else {
            Issue.record("\(decision)")
            return
        }
        #expect(profile == PolicyFixtures.sales)
        #expect(number.trunkForm == "00442079460123")
        #expect(number.dialled == "02079460123")
        #expect(callerID == CallerIdentity(number: "+442079460000", source: .onlineNumber, sendPAssertedIdentity: false))
    }

    @Test func refusalReasonsShowNoRawControlCharacters() {
        let router = OutgoingRouter(config: PolicyFixtures.config(defaultProfile: nil))
        let long = String(repeating: "1", count: 10_000)
        guard case .refuse(404, let reason) = router.route(dialled: long, callingExtension: nil, lineAvailable: false) else {
            Issue.record("expected a 404")
            return
        }
        #expect(reason.count < 200)
        let control = router.route(dialled: "0207\r\n946", callingExtension: nil, lineAvailable: false)
        #expect(control == .refuse(status: 484, reason: "'U+000D' is not allowed in a dialled number (only digits, a leading + and the separators - . ( ) and space)"))
    }

    @Test func fixtureConfigIsValid() {
        #expect(ConfigValidator.validate(PolicyFixtures.config()).errors == [])
    }

    static func profileName(_ d: OutgoingDecision) -> String? {
        if case .trunk(let p, _, _) = d { return p.name }
        return nil
    }
}
