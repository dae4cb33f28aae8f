// EmergencyDetectorTests: emergency numbers recognised with and without the access prefix, and kept off the trunk.

import Config
import Testing
import CallPolicy

@Suite("Emergency calls")
struct EmergencyDetectorTests {
    static let detector = EmergencyDetector(routing: RoutingConfig(), numbering: PolicyFixtures.uk)

    static let emergency: [(String, String)] = [
        ("999", "999"), ("9999", "999"), ("112", "112"), ("9112", "112"), ("911", "911"), ("9911", "911"),
        ("000", "000"), ("9000", "000"), ("9-9-9", "999"), (" 112 ", "112"), ("(999)", "999"),
    ]

    @Test(arguments: emergency)
    func recognised(_ dialled: String, _ number: String) {
        #expect(Self.detector.match(dialled: dialled) == number)
        #expect(Self.detector.isEmergency(dialled: dialled))
    }

    static let notEmergency = ["", "99", "+999", "0999", "9991", "1120", "+112", "00112", "02079460999", "9*999", "abc"]

    @Test(arguments: notEmergency)
    func notRecognised(_ dialled: String) {
        #expect(!Self.detector.isEmergency(dialled: dialled))
    }

    @Test func configuredListIsUsedAndEmptyEntriesIgnored() {
        let d = EmergencyDetector(routing: RoutingConfig(emergency: ["", "110", "1-1-8"]), numbering: PolicyFixtures.us)
        #expect(d.numbers == ["110", "118"])
        #expect(d.isEmergency(dialled: "110"))
        #expect(d.isEmergency(dialled: "118"))
        #expect(!d.isEmergency(dialled: "999"))
        #expect(!d.isEmergency(dialled: ""))
    }

    // Routing: emergency numbers never reach the trunk, are checked before anything that could refuse them.

    struct Case: Sendable, CustomStringConvertible {
        var dialled: String
        var hasLine: Bool
        var lineAvailable: Bool
        var expected: OutgoingDecision
        var description: String { "\(dialled) line=\(hasLine)/\(lineAvailable)" }
    }

    static let noLine = "emergency calls cannot use the Skype Connect trunk and this box has no analog line"
    static let lineBusy = "emergency calls cannot use the Skype Connect trunk and the analog line is busy or down"

    static let routed: [Case] = [
        Case(dialled: "999", hasLine: true, lineAvailable: true, expected: .line(number: "999", emergency: true)),
        Case(dialled: "9999", hasLine: true, lineAvailable: true, expected: .line(number: "999", emergency: true)),
        Case(dialled: "9112", hasLine: true, lineAvailable: true, expected: .line(number: "112", emergency: true)),
        Case(dialled: "911", hasLine: true, lineAvailable: true, expected: .line(number: "911", emergency: true)),
        Case(dialled: "999", hasLine: false, lineAvailable: true, expected: .refuse(status: 403, reason: noLine)),
        Case(dialled: "9999", hasLine: false, lineAvailable: false, expected: .refuse(status: 403, reason: noLine)),
        Case(dialled: "112", hasLine: true, lineAvailable: false, expected: .refuse(status: 503, reason: lineBusy)),
    ]

    @Test(arguments: routed)
    func routedToTheLineOrRefused(_ c: Case) {
        let config = PolicyFixtures.config(line: c.hasLine ? PolicyFixtures.line : nil)
        let decision = OutgoingRouter(config: config).route(dialled: c.dialled, callingExtension: "201", lineAvailable: c.lineAvailable)
        #expect(decision == c.expected)
    }

    @Test func emergencyBeatsEveryRouteAndNeedsNoCountryCode() {
        // A prefix route for 99 to a trunk profile and no country code: 999 still goes to the line.
        let config = PolicyFixtures.config(numbering: PolicyFixtures.noCountry,
                                           routes: [RouteRule(.prefix("99"), .profile("sales"))])
        let router = OutgoingRouter(config: config)
        #expect(router.route(dialled: "999", callingExtension: "201", lineAvailable: true) == .line(number: "999", emergency: true))
        #expect(router.route(dialled: "999", callingExtension: nil, lineAvailable: true).isEmergency)
    }
}
