// DTMFTests: DTMF digits made by sox are detected with start and end; the generator's tones pass an independent Goertzel check.
import Testing
@testable import LineDSP

/// Row and column frequencies of each DTMF key (ITU-T Q.23).
let dtmfKeys: [Character: (Double, Double)] = {
    let rows: [Double] = [697, 770, 852, 941]
    let columns: [Double] = [1209, 1336, 1477, 1633]
    let layout = ["123A", "456B", "789C", "*0#D"]
    var keys: [Character: (Double, Double)] = [:]
    for (r, line) in layout.enumerated() {
        for (c, key) in line.enumerated() { keys[key] = (rows[r], columns[c]) }
    }
    return keys
}()

/// Digits as sox makes them: each `on` seconds of its two tones (each at -13 dBFS... -20 dBFS), then `off` seconds of silence.
func soxDigits(_ digits: String, on: Double = 0.08, off: Double = 0.08, volume: Double = 0.15) throws -> [Int16] {
    var audio = PCM.silence(seconds: 0.2)
    for digit in digits {
        let (low, high) = dtmfKeys[digit]!
        audio += try Sox.dual("\(on) sine \(low) sine \(high) vol \(volume)", post: "pad 0 \(off)")
    }
    return audio + PCM.silence(seconds: 0.2)
}

@Suite struct DTMFTests {
    @Test func detectsEveryDigitMadeBySox() throws {
        let digits = "1234567890*#ABCD"
        let audio = try soxDigits(digits)
        let detector = try #require(DTMFDetector())
        var events: [DTMFEvent] = []
        PCM.periods(audio) { period, _ in detector.process(period) { events.append($0) } }
        let starts = events.filter { $0.kind == .start }
        let ends = events.filter { $0.kind == .end }
        #expect(String(starts.map(\.character)) == digits)
        #expect(String(ends.map(\.character)) == digits)
        // Each digit lasted 80 ms (640 samples); spandsp confirms in 102-sample blocks.
        for end in ends { #expect(abs(end.durationSamples - 640) <= 2 * 102, "digit \(end.character) lasted \(end.durationSamples) samples") }
        // Starts come in order, each within 50 ms of the digit's real start (0.2 s lead, 160 ms per digit).
        for (i, start) in starts.enumerated() {
            let real = 1600 + i * 1280
            #expect(start.sampleTime >= real && start.sampleTime <= real + 400, "digit \(start.character) seen at \(start.sampleTime), began at \(real)")
        }
        #expect(starts.allSatisfy { ($0.levelDBm0 ?? -99) > -30 })
    }

    @Test func detectsDigitsIn10msPeriods() throws {
        let audio = try soxDigits("907#", on: 0.05, off: 0.05)
        let detector = try #require(DTMFDetector())
        var found = ""
        PCM.periods(audio, size: 80) { period, _ in detector.process(period) { if $0.kind == .start { found.append($0.character) } } }
        #expect(found == "907#")
    }

    @Test func ignoresAWeakSingleToneAndSilence() throws {
        let audio = try Sox.mono("1 sine 1000 vol 0.3") + PCM.silence(seconds: 1)
        let detector = try #require(DTMFDetector())
        var events = 0
        PCM.periods(audio) { period, _ in detector.process(period) { _ in events += 1 } }
        #expect(events == 0)
    }

    @Test func generatorDialsTheRightFrequenciesAndTiming() throws {
        let generator = try #require(DTMFGenerator(levelDBm0: -10, twistDB: 2, timing: .init(onMilliseconds: 80, offMilliseconds: 80)))
        #expect(generator.dial("159#D") == 5)
        var output: [Int16] = []
        var period = [Int16](repeating: 0, count: 160)
        for _ in 0..<60 {
            period.withUnsafeMutableBufferPointer { _ = generator.render(into: $0) }
            output += period
        }
        // Independent check: each 80 ms tone (640 samples) is its two frequencies and nothing else DTMF.
        for (i, digit) in "159#D".enumerated() {
            let tone = output[(i * 1280 + 40)..<(i * 1280 + 600)]
            let (low, high) = dtmfKeys[digit]!
            let total = PCM.meanSquare(tone)
            let lowPower = PCM.tonePower(low, tone)
            let highPower = PCM.tonePower(high, tone)
            #expect((lowPower + highPower) / total > 0.9, "digit \(digit): \(lowPower + highPower) of \(total)")
            // High group 2 dB louder (twist), within 1 dB.
            #expect(abs(PCM.dB(highPower / lowPower) - 2) < 1, "digit \(digit) twist \(PCM.dB(highPower / lowPower))")
            for (other, freqs) in dtmfKeys where other != digit {
                for f in [freqs.0, freqs.1] where f != low && f != high { #expect(PCM.tonePower(f, tone) < total * 0.01) }
            }
            // The gap after it is silent.
            #expect(PCM.meanSquare(output[(i * 1280 + 680)..<(i * 1280 + 1240)]) < 1)
        }
        // Level: the low tone at -10 dBm0 (0 dBm0 = 3.14 dBov below full scale sine), within 1 dB.
        let tone = output[40..<600]
        let lowDB = PCM.dB(PCM.tonePower(697, tone) / (32767.0 * 32767 / 2))
        #expect(abs(lowDB - (-10 - 3.14)) < 1, "low tone at \(lowDB) dBov")
        #expect(!generator.isActive)
    }

    @Test func generatorPlaysAnRFC4733EventUntilItEnds() throws {
        let generator = try #require(DTMFGenerator())
        let detector = try #require(DTMFDetector())
        #expect(generator.startEvent(11))       // '#'
        var output: [Int16] = []
        var period = [Int16](repeating: 0, count: 160)
        for i in 0..<40 {
            if i == 25 { generator.stopEvent() }   // 500 ms of tone
            period.withUnsafeMutableBufferPointer { _ = generator.render(into: $0) }
            output += period
        }
        let (low, high) = dtmfKeys["#"]!
        let tone = output[0..<4000]
        #expect((PCM.tonePower(low, tone) + PCM.tonePower(high, tone)) / PCM.meanSquare(tone) > 0.95)
        #expect(PCM.meanSquare(output[4000...]) == 0)
        var events: [DTMFEvent] = []
        PCM.periods(output) { period, _ in detector.process(period) { events.append($0) } }
        #expect(events.map(\.character) == ["#", "#"])
        #expect(abs((events.last?.durationSamples ?? 0) - 4000) <= 204)
        #expect(!generator.startEvent(16))      // not a DTMF event
    }
}
