// ScriptedRandom: deterministic random sources for the registration tests (numbered tokens, scripted jitter, SplitMix64).

import SIPRegistration

// Tokens `tok1`, `tok2`, ...; jitter fractions from a script, then a default.
struct ScriptedRandom: RegistrationRandomSource {
    var fractions: [Double] = []
    var defaultFraction: Double = 0
    var tokens = 0
    var drawn = 0

    mutating func token() -> String {
        tokens += 1
        return "tok\(tokens)"
    }

    mutating func fraction() -> Double {
        defer { drawn += 1 }
        return drawn < fractions.count ? fractions[drawn] : defaultFraction
    }
}

// SplitMix64: a seeded generator that gets both requirements from the protocol's extension.
struct SplitMix64: RegistrationRandomSource, RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
