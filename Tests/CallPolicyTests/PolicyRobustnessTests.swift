// PolicyRobustnessTests: arbitrary and hostile input never traps the policy (it is meant to be fuzzed).

import Config
import Testing
import CallPolicy

@Suite("Robustness")
struct PolicyRobustnessTests {
    /// A small deterministic generator (SplitMix64), so failures replay.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet: [Character] = Array("0123456789+-.() *#;aZ:%\u{0}\r\né\u{1F600}")

    @Test(arguments: [1, 2, 3, 4])
    func randomInputNeverTraps(_ seed: UInt64) {
        var rng = SplitMix(state: seed)
        let configs = [PolicyFixtures.config(), PolicyFixtures.config(numbering: PolicyFixtures.us, line: nil, defaultProfile: nil),
                       PolicyFixtures.config(numbering: NumberingConfig(countryCode: "", nationalPrefix: "", internationalPrefix: "",
                                                                        accessPrefix: ""))]
        for config in configs {
            let out = OutgoingRouter(config: config), inc = IncomingRouter(config: config)
            for _ in 0..<300 {
                let length = Int.random(in: 0...24, using: &rng)
                let text = String((0..<length).map { _ in Self.alphabet.randomElement(using: &rng)! })
                let decision = out.route(dialled: text, callingExtension: text, lineAvailable: Bool.random(using: &rng))
                if case .trunk(_, let n, _) = decision {
                    #expect(NumberNormalizer.e164DigitCount.contains(n.digits.count))
                    #expect(n.digits.allSatisfy { $0.isASCII && $0.isNumber })
                }
                _ = BillingClassifier.classify(decision)
                for p in config.profiles { _ = inc.route(profile: p, requestUser: text, toUser: text, calledUser: text) }
                _ = inc.profileForIncoming(requestUser: text, toUser: text, calledUser: nil)
            }
        }
    }

    @Test func longInputIsHandledInLinearTime() {
        let long = "+" + String(repeating: "(", count: 50_000)
        let router = OutgoingRouter(config: PolicyFixtures.config())
        #expect(router.route(dialled: long, callingExtension: nil, lineAvailable: false).refusalStatus == 484)
        let digits = String(repeating: "7", count: 50_000)
        #expect(router.route(dialled: digits, callingExtension: digits, lineAvailable: false).refusalStatus == 484)
        #expect(IncomingRouter(config: PolicyFixtures.config()).route(profile: PolicyFixtures.sales, requestUser: nil,
                                                                      toUser: digits, calledUser: nil).refusalStatus == 404)
    }
}
