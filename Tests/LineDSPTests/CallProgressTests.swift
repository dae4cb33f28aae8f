// CallProgressTests: busy, reorder, dial tone and ringback made by sox for us/uk/eu are classified in time; speech-like noise is not busy.
import Testing
@testable import LineDSP

/// Every classification change, with the time (ms of audio) at which it was reported.
func classify(_ audio: [Int16], _ tones: CallProgressTones, period: Int = 160) -> [(tone: CallProgressTone, ms: Int)] {
    let detector = CallProgressDetector(configuration: .init(tones: tones))
    var changes: [(CallProgressTone, Int)] = []
    PCM.periods(audio, size: period) { samples, end in
        if let tone = detector.process(samples) { changes.append((tone, end / 8)) }
    }
    return changes
}

/// When `tone` was first reported, in ms after `start` ms, or nil.
func firstReport(of tone: CallProgressTone, in changes: [(tone: CallProgressTone, ms: Int)], after start: Int) -> Int? {
    changes.first { $0.tone == tone }.map { $0.ms - start }
}

@Suite struct CallProgressTests {
    /// Leading audio before each tone starts: 300 ms of line noise.
    static func lead() throws -> [Int16] { try Sox.mono("0.3 whitenoise vol 0.003") }

    @Test(arguments: [160, 80])
    func usBusyIsClassifiedWithin3Seconds(period: Int) throws {
        let audio = try Self.lead() + Sox.dual("0.5 sine 480 sine 620 vol 0.1", post: "pad 0 0.5 repeat 5")
        let changes = classify(audio, .us, period: period)
        let delay = try #require(firstReport(of: .busy, in: changes, after: 300))
        #expect(delay <= 3000)
        #expect(!changes.contains { $0.tone == .reorder || $0.tone == .dialTone })
        print("US busy classified \(delay) ms after it began (period \(period / 8) ms)")
    }

    @Test func usBusyStartingMidToneIsStillWithin3Seconds() throws {
        // Listening starts 0.3 s into an "on": the first segment is short.
        let full = try Sox.dual("0.5 sine 480 sine 620 vol 0.1", post: "pad 0 0.5 repeat 5")
        let changes = classify(Array(full[2400...]), .us)
        let delay = try #require(firstReport(of: .busy, in: changes, after: 0))
        #expect(delay <= 3000)
    }

    @Test func ukBusyIsClassifiedWithin3Seconds() throws {
        let audio = try Self.lead() + Sox.mono("0.375 sine 400 vol 0.2", post: "pad 0 0.375 repeat 7")
        let changes = classify(audio, .uk)
        let delay = try #require(firstReport(of: .busy, in: changes, after: 300))
        #expect(delay <= 3000)
        #expect(!changes.contains { $0.tone == .reorder })
        print("UK busy classified \(delay) ms after it began")
    }

    @Test func euBusyIsClassifiedWithin3Seconds() throws {
        let audio = try Self.lead() + Sox.mono("0.5 sine 425 vol 0.2", post: "pad 0 0.5 repeat 5")
        let delay = try #require(firstReport(of: .busy, in: classify(audio, .eu), after: 300))
        #expect(delay <= 3000)
    }

    @Test func usReorderIsNotBusy() throws {
        let audio = try Self.lead() + Sox.dual("0.25 sine 480 sine 620 vol 0.1", post: "pad 0 0.25 repeat 9")
        let changes = classify(audio, .us)
        let delay = try #require(firstReport(of: .reorder, in: changes, after: 300))
        #expect(delay <= 2000)
        #expect(!changes.contains { $0.tone == .busy })
        print("US reorder classified \(delay) ms after it began")
    }

    @Test func ukCongestionIsReorderNotBusy() throws {
        var audio = try Self.lead()
        let first = try Sox.mono("0.4 sine 400 vol 0.2", post: "pad 0 0.35")
        let second = try Sox.mono("0.225 sine 400 vol 0.2", post: "pad 0 0.525")
        for _ in 0..<4 { audio += first + second }
        let changes = classify(audio, .uk)
        #expect(firstReport(of: .reorder, in: changes, after: 300) ?? .max <= 3000)
        #expect(!changes.contains { $0.tone == .busy }, "\(changes)")
    }

    @Test(arguments: [
        ("us", "sine 350 sine 440"), ("uk", "sine 350 sine 450"), ("eu", "sine 425 sine 425"), ("au", "sine 425 sine 425"),
    ])
    func dialToneIsClassified(country: String, tones: String) throws {
        let audio = try Self.lead() + Sox.dual("3 \(tones) vol 0.1")
        let changes = classify(audio, try #require(CallProgressTones.named(country)))
        let delay = try #require(firstReport(of: .dialTone, in: changes, after: 300))
        #expect(delay <= 2000)
        #expect(changes.first?.tone == .dialTone)
        print("\(country) dial tone classified \(delay) ms after it began")
    }

    @Test func usRingbackIsNotBusyOrDialTone() throws {
        let audio = try Self.lead() + Sox.dual("2 sine 440 sine 480 vol 0.1", post: "pad 0 4 repeat 1")
        let changes = classify(audio, .us)
        #expect(changes.first?.tone == .ringback)
        #expect(!changes.contains { $0.tone == .busy || $0.tone == .dialTone || $0.tone == .reorder })
    }

    @Test func speechLikeNoiseWithABusyRhythmIsNotBusy() throws {
        // Pink noise in the speech band, and a 140 Hz vocal-like buzz, both switched 0.5 s on / 0.5 s off.
        let noise = try Sox.mono("0.5 pinknoise vol 0.3", post: "sinc 300-3400 pad 0 0.5 repeat 7")
        let buzz = try Sox.mono("0.5 sawtooth 140 vol 0.2", post: "sinc 300-3400 pad 0 0.5 repeat 7")
        let vowels = try Sox.dual("0.5 sine 500 sine 1500 vol 0.1", post: "pad 0 0.5 repeat 7")   // formant-like pair off the plan
        for (name, audio) in [("noise", noise), ("buzz", buzz), ("vowels", vowels)] {
            for tones in [CallProgressTones.us, .uk, .eu] {
                let changes = classify(audio, tones)
                #expect(!changes.contains { $0.tone == .busy || $0.tone == .reorder || $0.tone == .dialTone },
                        "\(name) as \(tones.country): \(changes)")
            }
        }
    }

    @Test func quietLineIsSilence() throws {
        // Line noise far below the floor (-60 dBFS), 6 s: silence is reported after 5 s.
        let audio = try Sox.mono("6 whitenoise vol 0.001")
        let changes = classify(audio, .us)
        let delay = try #require(firstReport(of: .silence, in: changes, after: 0))
        #expect(delay >= 4900 && delay <= 5200)
    }

    @Test func busyThenSpeechIsNoLongerBusy() throws {
        let audio = try Sox.dual("0.5 sine 480 sine 620 vol 0.1", post: "pad 0 0.5 repeat 3")
            + Sox.mono("3 pinknoise vol 0.3", post: "sinc 300-3400")
        let changes = classify(audio, .us)
        #expect(changes.map(\.tone).contains(.busy))
        #expect(changes.last?.tone == .unclassified)
    }
}
