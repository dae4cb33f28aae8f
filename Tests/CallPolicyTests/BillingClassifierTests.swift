// BillingClassifierTests: US/Canada numbers on US bundles, the rest of NANP and the world on credit, line free.

import Config
import Testing
import CallPolicy

@Suite("Billing")
struct BillingClassifierTests {
    static let withBundles = PolicyFixtures.sales          // usBundles 2
    static let withoutBundles = PolicyFixtures.engineering // usBundles 0

    static let cases: [(String, BillingCategory)] = [
        ("+12025550123", .usBundle),  // Washington DC
        ("+14155550123", .usBundle),  // San Francisco
        ("+14165550123", .usBundle),  // Toronto, Canada
        ("+16045550123", .usBundle),  // Vancouver, Canada
        ("+17875550123", .usBundle),  // Puerto Rico (US territory)
        ("+13405550123", .usBundle),  // US Virgin Islands
        ("+16715550123", .usBundle),  // Guam
        ("+18765550123", .credit),    // Jamaica
        ("+16585550123", .credit),    // Jamaica (overlay)
        ("+18095550123", .credit),    // Dominican Republic
        ("+12425550123", .credit),    // Bahamas
        ("+14415550123", .credit),    // Bermuda
        ("+18685550123", .credit),    // Trinidad and Tobago
        ("+442079460123", .credit),   // UK
        ("+353112345678", .credit),   // Ireland
        ("+1202555012", .credit),     // too short for NANP
        ("+120255501234", .credit),   // too long for NANP
        ("+11025550123", .credit),    // area code cannot start with 1
        ("+10025550123", .credit),    // nor with 0
        ("12025550123", .credit),     // not E.164
        ("", .credit),
    ]

    @Test(arguments: cases)
    func withUSBundles(_ e164: String, _ expected: BillingCategory) {
        #expect(BillingClassifier.outgoing(e164: e164, profile: Self.withBundles) == expected)
        #expect(BillingClassifier.isUSOrCanada(e164: e164) == (expected == .usBundle))
    }

    @Test(arguments: cases.map(\.0))
    func withoutUSBundlesEverythingIsCredit(_ e164: String) {
        #expect(BillingClassifier.outgoing(e164: e164, profile: Self.withoutBundles) == .credit)
    }

    @Test func routedCalls() {
        let router = OutgoingRouter(config: PolicyFixtures.config())
        let us = router.route(dialled: "9001 202 555 0123", callingExtension: "201", lineAvailable: true)
        #expect(BillingClassifier.classify(us) == .usBundle)
        let usFromEngineering = router.route(dialled: "9001 202 555 0123", callingExtension: "301", lineAvailable: true)
        #expect(BillingClassifier.classify(usFromEngineering) == .credit)
        let uk = router.route(dialled: "902079460123", callingExtension: "201", lineAvailable: true)
        #expect(BillingClassifier.classify(uk) == .credit)
        #expect(BillingClassifier.classify(router.route(dialled: "999", callingExtension: "201", lineAvailable: true)) == .free)
        #expect(BillingClassifier.classify(router.route(dialled: "118500", callingExtension: "201", lineAvailable: true)) == .free)
        #expect(BillingClassifier.classify(.refuse(status: 484, reason: "x")) == .free)
        #expect(BillingClassifier.incoming == .free)
    }

    @Test func rawValuesMirrorTheStore() {
        #expect(BillingCategory.allCases.map(\.rawValue) == ["us-bundle", "credit", "free"])
        #expect(BillingCategory.usBundle.description == "us-bundle")
    }

    @Test func nonUSNANPListHoldsAreaCodesOnly() {
        #expect(BillingClassifier.otherNANPAreaCodes.allSatisfy { $0.count == 3 && $0.allSatisfy(\.isNumber) })
        for territory in ["340", "670", "671", "684", "787", "939"] {
            #expect(!BillingClassifier.otherNANPAreaCodes.contains(territory))
        }
    }
}
