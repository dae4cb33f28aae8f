// NumberNormalizerTests: dialled numbers to E.164 and the trunk's 00 form, UK and US plans, and the errors.

import Config
import Testing
import CallPolicy

@Suite("Number normalisation")
struct NumberNormalizerTests {
    struct Case: Sendable, CustomStringConvertible {
        var plan: String
        var dialled: String
        var e164: String
        var form: NormalizedNumber.Form
        var digits: String
        var description: String { "\(plan) \(dialled)" }
    }

    static func numbering(_ plan: String) -> NumberingConfig {
        switch plan {
        case "uk": return PolicyFixtures.uk
        case "us": return PolicyFixtures.us
        default: return PolicyFixtures.noCountry
        }
    }

    static let good: [Case] = [
        // UK: national, with and without the access prefix, separators, + and 00 forms, local.
        Case(plan: "uk", dialled: "02079460123", e164: "+442079460123", form: .national, digits: "02079460123"),
        Case(plan: "uk", dialled: "902079460123", e164: "+442079460123", form: .national, digits: "02079460123"),
        Case(plan: "uk", dialled: "9 (020) 7946-0123", e164: "+442079460123", form: .national, digits: "02079460123"),
        Case(plan: "uk", dialled: "020.7946.0123", e164: "+442079460123", form: .national, digits: "02079460123"),
        Case(plan: "uk", dialled: "+442079460123", e164: "+442079460123", form: .international, digits: "+442079460123"),
        Case(plan: "uk", dialled: "9+442079460123", e164: "+442079460123", form: .international, digits: "+442079460123"),
        Case(plan: "uk", dialled: "+44 (0)20 7946 0123", e164: "+442079460123", form: .international, digits: "+442079460123"),
        Case(plan: "uk", dialled: "0012025550123", e164: "+12025550123", form: .international, digits: "0012025550123"),
        Case(plan: "uk", dialled: "90012025550123", e164: "+12025550123", form: .international, digits: "0012025550123"),
        Case(plan: "uk", dialled: "79460123", e164: "+4479460123", form: .local, digits: "79460123"),
        Case(plan: "uk", dialled: "+1 (202) 555-0123", e164: "+12025550123", form: .international, digits: "+12025550123"),
        // US: 1 + area code is national, 10 digits local, 011 international.
        Case(plan: "us", dialled: "12025550123", e164: "+12025550123", form: .national, digits: "12025550123"),
        Case(plan: "us", dialled: "1-202-555-0123", e164: "+12025550123", form: .national, digits: "12025550123"),
        Case(plan: "us", dialled: "(202) 555-0123", e164: "+12025550123", form: .local, digits: "2025550123"),
        Case(plan: "us", dialled: "011442079460123", e164: "+442079460123", form: .international, digits: "011442079460123"),
        Case(plan: "us", dialled: "+442079460123", e164: "+442079460123", form: .international, digits: "+442079460123"),
        // No country code: international forms still work.
        Case(plan: "none", dialled: "00442079460123", e164: "+442079460123", form: .international, digits: "00442079460123"),
        Case(plan: "none", dialled: "9+12025550123", e164: "+12025550123", form: .international, digits: "+12025550123"),
    ]

    @Test(arguments: good)
    func normalises(_ c: Case) throws {
        let n = try NumberNormalizer(numbering: Self.numbering(c.plan)).normalize(c.dialled)
        #expect(n.e164 == c.e164)
        #expect(n.form == c.form)
        #expect(n.dialled == c.digits)
        #expect(n.trunkForm == "00" + c.e164.dropFirst())
    }

    @Test func trunkFormIsDoubleZeroAndTheE164Digits() throws {
        let n = try NumberNormalizer(numbering: PolicyFixtures.uk).normalize("9 020 7946 0123")
        #expect(n.trunkForm == "00442079460123")
        #expect(n.digits == "442079460123")
        #expect(n.description == "+442079460123")
    }

    struct Failure: Sendable, CustomStringConvertible {
        var plan: String
        var dialled: String
        var error: NumberError
        var description: String { "\(plan) \(dialled.debugDescription)" }
    }

    static let bad: [Failure] = [
        Failure(plan: "uk", dialled: "", error: .empty),
        Failure(plan: "uk", dialled: " - ", error: .empty),
        Failure(plan: "uk", dialled: "9", error: .empty),
        Failure(plan: "uk", dialled: "+", error: .empty),
        Failure(plan: "uk", dialled: "0800FLOWERS", error: .invalidCharacter("F")),
        Failure(plan: "uk", dialled: "alice", error: .invalidCharacter("a")),
        Failure(plan: "uk", dialled: "*21#", error: .invalidCharacter("*")),
        Failure(plan: "uk", dialled: "0207#946", error: .invalidCharacter("#")),
        Failure(plan: "uk", dialled: "020\u{0}7946", error: .invalidCharacter("\u{0}")),
        Failure(plan: "uk", dialled: "0207946é", error: .invalidCharacter("é")),
        Failure(plan: "uk", dialled: "44+2079460123", error: .misplacedPlus),
        Failure(plan: "uk", dialled: "++442079460123", error: .misplacedPlus),
        Failure(plan: "uk", dialled: "00", error: .invalidCountryCode),
        Failure(plan: "uk", dialled: "+0442079460123", error: .invalidCountryCode),
        Failure(plan: "uk", dialled: "000442079460123", error: .invalidCountryCode),
        Failure(plan: "uk", dialled: "0", error: .tooShort(digits: 2)),
        Failure(plan: "uk", dialled: "+4412", error: .tooShort(digits: 4)),
        Failure(plan: "uk", dialled: "1234567890123456", error: .tooLong(digits: 18)),
        Failure(plan: "uk", dialled: "+1234567890123456", error: .tooLong(digits: 16)),
        Failure(plan: "us", dialled: "0114420794601234567", error: .tooLong(digits: 16)),
        Failure(plan: "none", dialled: "02079460123", error: .noCountryCode),
        Failure(plan: "none", dialled: "79460123", error: .noCountryCode),
    ]

    @Test(arguments: bad)
    func refuses(_ f: Failure) {
        #expect(throws: f.error) { try NumberNormalizer(numbering: Self.numbering(f.plan)).normalize(f.dialled) }
    }

    @Test func errorMessagesArePlainWords() {
        #expect(NumberError.noCountryCode.message == "cannot make an international number: no country code configured")
        #expect(NumberError.invalidCharacter("F").message.hasPrefix("'F' is not allowed in a dialled number"))
        #expect(NumberError.invalidCharacter("\u{0}").message.hasPrefix("'U+0000' is not allowed"))
        #expect(NumberError.invalidCharacter("\"").message.hasPrefix("'U+0022' is not allowed"))
        #expect(NumberError.tooLong(digits: 16).message.contains("at most 15"))
        #expect(NumberError.empty.description == "no number was dialled")
    }

    @Test func unvalidatedNumberingNeverTraps() throws {
        // Empty prefixes never match; a country code that is not 1-3 digits counts as missing.
        let odd = NumberingConfig(countryCode: "4x", nationalPrefix: "", internationalPrefix: "", accessPrefix: "")
        let n = NumberNormalizer(numbering: odd)
        #expect(throws: NumberError.noCountryCode) { try n.normalize("2079460123") }
        #expect(try n.normalize("+442079460123").e164 == "+442079460123")
        let long = NumberNormalizer(numbering: NumberingConfig(countryCode: "4444", internationalPrefix: "00"))
        #expect(throws: NumberError.noCountryCode) { try long.normalize("2079460123") }
    }

    @Test func longerPrefixWinsWhenBothMatch() throws {
        // International prefix 0 and national prefix 01 (odd, but not refused by validation).
        let n = NumberNormalizer(numbering: NumberingConfig(countryCode: "44", nationalPrefix: "01", internationalPrefix: "0"))
        #expect(try n.normalize("012079460123").e164 == "+442079460123")
        #expect(try n.normalize("0442079460123").e164 == "+442079460123")
    }

    @Test func accessPrefixMayHoldStarAndHash() throws {
        let n = NumberNormalizer(numbering: NumberingConfig(countryCode: "44", nationalPrefix: "0", accessPrefix: "*9"))
        #expect(try n.normalize("*902079460123").e164 == "+442079460123")
        #expect(throws: NumberError.invalidCharacter("*")) { try n.normalize("*802079460123") }
    }
}
