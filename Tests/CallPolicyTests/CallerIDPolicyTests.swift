// CallerIDPolicyTests: a profile's caller ID is shown only when it is an Online Number or a verified number.

import Config
import Testing
import CallPolicy

@Suite("Caller ID")
struct CallerIDPolicyTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var callerID: String?
        var verified: [String] = []
        var online: [String] = []
        var pai = false
        var expected: CallerIdentity
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "online number", callerID: "+442079460000", online: ["+442079460000"],
             expected: CallerIdentity(number: "+442079460000", source: .onlineNumber, sendPAssertedIdentity: false)),
        Case(name: "verified number with PAI", callerID: "+12025550199", verified: ["+12025550199"], pai: true,
             expected: CallerIdentity(number: "+12025550199", source: .verifiedNumber, sendPAssertedIdentity: true)),
        Case(name: "online wins over verified", callerID: "+442079460000", verified: ["+442079460000"], online: ["+442079460000"],
             expected: CallerIdentity(number: "+442079460000", source: .onlineNumber, sendPAssertedIdentity: false)),
        Case(name: "compared as E.164 digits", callerID: "0044 20 7946 0000", online: ["+44 20 7946 0000"],
             expected: CallerIdentity(number: "+442079460000", source: .onlineNumber, sendPAssertedIdentity: false)),
        Case(name: "neither online nor verified", callerID: "+442079469999", verified: ["+12025550199"], online: ["+442079460000"],
             pai: true, expected: .anonymous),
        Case(name: "no caller ID", callerID: nil, online: ["+442079460000"], pai: true, expected: .anonymous),
        Case(name: "not E.164", callerID: "02079460000", online: ["02079460000"], expected: .anonymous),
        Case(name: "garbage", callerID: "+44abc", online: ["+44abc"], expected: .anonymous),
        Case(name: "empty", callerID: "", online: [""], expected: .anonymous),
    ]

    @Test(arguments: cases)
    func callerID(_ c: Case) {
        let profile = ProfileConfig(name: "p", callerID: c.callerID, pAssertedIdentity: c.pai, verifiedNumbers: c.verified,
                                    onlineNumbers: c.online.map { NumberMapping($0) })
        let identity = CallerIDPolicy.identity(for: profile)
        #expect(identity == c.expected)
        if c.expected.isAnonymous { #expect(!identity.sendPAssertedIdentity) }
    }

    @Test func identityNeverAssertsWithoutANumber() {
        let id = CallerIdentity(number: nil, source: .onlineNumber, sendPAssertedIdentity: true)
        #expect(id == .anonymous)
        #expect(id.description == "anonymous")
        #expect(CallerIdentity(number: "+12025550199", source: .verifiedNumber, sendPAssertedIdentity: true).description
                == "+12025550199 (verified-number, P-Asserted-Identity)")
    }
}
