// ResamplerTests: a 1 kHz tone survives 8 kHz -> card rate -> 8 kHz within 0.5 dB, for 16, 44.1 and 48 kHz cards.
import Testing
import Foundation
@testable import LineDSP

@Suite struct ResamplerTests {
    @Test(arguments: [16_000, 44_100, 48_000])
    func roundTripKeepsTheLevel(cardRate: Int) throws {
        let tone = try Sox.mono("2 sine 1000 vol 0.3")
        let up = try Resampler(from: 8000, to: cardRate)
        let down = try Resampler(from: cardRate, to: 8000)
        var card: [Int16] = []
        var back: [Int16] = []
        var wide = [Int16](repeating: 0, count: up.outputCapacity(forInput: 160))
        var narrow = [Int16](repeating: 0, count: 400)
        PCM.periods(tone) { period, _ in
            let made = wide.withUnsafeMutableBufferPointer { up.process(period, into: $0) }
            card += wide[0..<made]
            // The card side works in its own periods (20 ms of card samples).
            let cardPeriod = Array(wide[0..<made])
            let got = cardPeriod.withUnsafeBufferPointer { p in narrow.withUnsafeMutableBufferPointer { down.process(p, into: $0) } }
            back += narrow[0..<got]
        }
        // Short by the filters' delay (speexdsp skips its leading zeros), at most 10 ms each way.
        #expect(abs(card.count - tone.count * cardRate / 8000) <= cardRate / 100)
        #expect(abs(back.count - tone.count) <= 160)
        // Level over the steady middle second.
        let before = PCM.dB(PCM.meanSquare(tone[4000..<12000]))
        let after = PCM.dB(PCM.meanSquare(back[4000..<12000]))
        #expect(abs(after - before) <= 0.5, "\(cardRate): \(before) -> \(after) dB")
        let purity = PCM.tonePower(1000, back[4000..<12000]) / PCM.meanSquare(back[4000..<12000])
        #expect(purity > 0.99)
        // At the card rate the tone is still 1 kHz.
        let cardSlice = card[(cardRate / 2)..<(cardRate / 2 + cardRate / 10)]
        let c = 2 * cos(2 * Double.pi * 1000 / Double(cardRate))
        var s1 = 0.0, s2 = 0.0
        for x in cardSlice { let s0 = Double(x) + c * s1 - s2; s2 = s1; s1 = s0 }
        let n = Double(cardSlice.count)
        #expect(2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / (n * n) / PCM.meanSquare(cardSlice) > 0.98)
        print("resampler 8k->\(cardRate)->8k: 1 kHz level change \(String(format: "%+.3f", after - before)) dB")
    }
}
