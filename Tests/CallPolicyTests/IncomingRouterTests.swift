// IncomingRouterTests: Online Numbers and Skype Names to extensions, from To / Request-URI / P-Called-Party-ID.

import Config
import Testing
import CallPolicy

@Suite("Incoming routing")
struct IncomingRouterTests {
    static let config = PolicyFixtures.config()
    static let router = IncomingRouter(config: config)

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var profile: ProfileConfig
        var requestUser: String? = nil
        var toUser: String? = nil
        var calledUser: String? = nil
        var expected: IncomingDecision
        var description: String { name }
    }

    static let sales = PolicyFixtures.sales, eng = PolicyFixtures.engineering, support = PolicyFixtures.support

    static let cases: [Case] = [
        // sales reads To.
        Case(name: "To +E.164 to its extension", profile: sales, requestUser: "99051000000001", toUser: "+442079460000",
             expected: .extension("201", profile: sales, called: .onlineNumber("+442079460000"))),
        Case(name: "To 00 form", profile: sales, requestUser: "99051000000001", toUser: "00442079460000",
             expected: .extension("201", profile: sales, called: .onlineNumber("+442079460000"))),
        Case(name: "To national form of the box's country", profile: sales, toUser: "02079460000",
             expected: .extension("201", profile: sales, called: .onlineNumber("+442079460000"))),
        Case(name: "To with separators and parameters", profile: sales, toUser: "+44 20 7946-0000;npdi",
             expected: .extension("201", profile: sales, called: .onlineNumber("+442079460000"))),
        Case(name: "known number without extension: default", profile: sales, toUser: "12025550100",
             expected: .extension("100", profile: sales, called: .onlineNumber("+12025550100"))),
        Case(name: "known number, 001 form", profile: sales, toUser: "0012025550100",
             expected: .extension("100", profile: sales, called: .onlineNumber("+12025550100"))),
        Case(name: "Skype Name, other case", profile: sales, toUser: "architects.sales",
             expected: .extension("200", profile: sales, called: .skypeName("Architects.Sales"))),
        Case(name: "Skype Name upper case, default extension", profile: sales, toUser: "ARCHITECTS.INFO",
             expected: .extension("100", profile: sales, called: .skypeName("architects.info"))),
        Case(name: "To is read, not the Request-URI", profile: sales, requestUser: "+442079460000", toUser: "+449999999999",
             expected: .refuse(status: 404, reason: "+449999999999 is not assigned to profile sales")),
        Case(name: "unknown number", profile: sales, toUser: "+442079461111",
             expected: .refuse(status: 404, reason: "+442079461111 is not assigned to profile sales")),
        Case(name: "unknown Skype Name", profile: sales, toUser: "architects.hr",
             expected: .refuse(status: 404, reason: "architects.hr is not assigned to profile sales")),
        Case(name: "another profile's number", profile: sales, toUser: "+13125550100",
             expected: .refuse(status: 404, reason: "+13125550100 is not assigned to profile sales")),
        Case(name: "no To user", profile: sales, requestUser: "99051000000001",
             expected: .refuse(status: 404, reason: "the call carries no called number in the To header (called-number-from to)")),
        Case(name: "empty To user", profile: sales, toUser: ";x",
             expected: .refuse(status: 404, reason: "the call carries no called number in the To header (called-number-from to)")),
        // engineering reads P-Called-Party-ID; US forms.
        Case(name: "P-Called-Party-ID", profile: eng, requestUser: "99051000000002", toUser: "+442079460000", calledUser: "+13125550100",
             expected: .extension("301", profile: eng, called: .onlineNumber("+13125550100"))),
        Case(name: "P-Called-Party-ID without prefix", profile: eng, calledUser: "13125550100",
             expected: .extension("301", profile: eng, called: .onlineNumber("+13125550100"))),
        Case(name: "known, no extension, no default", profile: eng, calledUser: "+13125550101",
             expected: .refuse(status: 404, reason: "no extension for +13125550101 on profile engineering (no own extension and no default-extension)")),
        Case(name: "P-Called-Party-ID missing", profile: eng, toUser: "+13125550100",
             expected: .refuse(status: 404, reason: "the call carries no called number in the P-Called-Party-ID header (called-number-from p-called-party-id)")),
        // support reads the Request-URI.
        Case(name: "Request-URI", profile: support, requestUser: "+442079460400", toUser: "+13125550100",
             expected: .extension("400", profile: support, called: .onlineNumber("+442079460400"))),
        Case(name: "Request-URI with the SIP user name", profile: support, requestUser: "99051000000003",
             expected: .refuse(status: 404, reason: "99051000000003 is not assigned to profile support")),
        Case(name: "hostile called user is shown safely", profile: support, requestUser: "\"evil\r\n",
             expected: .refuse(status: 404, reason: "U+0022evilU+000DU+000A is not assigned to profile support")),
    ]

    @Test(arguments: cases)
    func routes(_ c: Case) {
        let decision = Self.router.route(profile: c.profile, requestUser: c.requestUser, toUser: c.toUser, calledUser: c.calledUser)
        #expect(decision == c.expected)
    }

    @Test func usNationalAndLocalFormsOnAUSBox() {
        let router = IncomingRouter(config: PolicyFixtures.config(numbering: PolicyFixtures.us))
        for user in ["+13125550100", "0013125550100", "01113125550100", "13125550100", "3125550100", "(312) 555-0100"] {
            #expect(router.route(profile: PolicyFixtures.engineering, requestUser: nil, toUser: nil, calledUser: user)
                    == .extension("301", profile: PolicyFixtures.engineering, called: .onlineNumber("+13125550100")), "\(user)")
        }
    }

    @Test func accessPrefixIsNotStrippedFromIncomingNumbers() {
        // UK box with access prefix 9: a called number 9... is not taken as access prefix + number.
        var config = PolicyFixtures.config()
        config.profiles[0].onlineNumbers = [NumberMapping("+449460000", extension: "202")]
        let router = IncomingRouter(config: config)
        #expect(router.route(profile: config.profiles[0], requestUser: nil, toUser: "9460000", calledUser: nil)
                == .extension("202", profile: config.profiles[0], called: .onlineNumber("+449460000")))
    }

    struct Lookup: Sendable, CustomStringConvertible {
        var name: String
        var requestUser: String?
        var toUser: String?
        var calledUser: String?
        var profile: String?
        var description: String { name }
    }

    static let lookups: [Lookup] = [
        Lookup(name: "SIP user name in the Request-URI", requestUser: "99051000000002", toUser: "+442079460000", profile: "engineering"),
        Lookup(name: "SIP user name with parameters", requestUser: "99051000000001;user=phone", profile: "sales"),
        Lookup(name: "Online Number in To", requestUser: "gw", toUser: "00442079460000", profile: "sales"),
        Lookup(name: "Online Number in P-Called-Party-ID", requestUser: "gw", calledUser: "+13125550101", profile: "engineering"),
        Lookup(name: "Online Number in the Request-URI", requestUser: "+442079460400", profile: "support"),
        Lookup(name: "Skype Name in To", toUser: "Architects.Info", profile: "sales"),
        Lookup(name: "a profile's own place first", requestUser: "+442079460000", calledUser: "+13125550100", profile: "engineering"),
        Lookup(name: "any place as a last resort", toUser: "+13125550100", profile: "engineering"),
        Lookup(name: "unknown", requestUser: "99051000000009", toUser: "+442079461111", calledUser: "x", profile: nil),
        Lookup(name: "nothing", profile: nil),
    ]

    @Test(arguments: lookups)
    func profileForIncoming(_ l: Lookup) {
        let p = IncomingRouter.profileForIncoming(requestUser: l.requestUser, toUser: l.toUser, calledUser: l.calledUser, config: Self.config)
        #expect(p?.name == l.profile)
    }
}
