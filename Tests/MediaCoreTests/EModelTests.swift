// EModelTests: E-model rating and MOS at known points, monotonic in loss and delay, clamped at the edges (ITU-T G.107, G.113 Appendix I).
import Foundation
import Testing
@testable import MediaCore

@Suite struct EModelTests {
    let model = EModel()

    @Test func defaultParametersGiveRo94_77Is1_41AndR93_2() {
        // G.107 §7: with the Table 3 defaults No = −61.18 dBm0p, Ro = 94.77, Is = 1.41, R = 93.2.
        #expect(abs(model.noise - -61.18) < 0.01)
        #expect(abs(model.basicSignalToNoise - 94.77) < 0.01)
        #expect(abs(model.simultaneousImpairment() - 1.41) < 0.01)
        let r = model.rating(oneWayDelayMs: 0, codec: .g711PLC, packetLossPercent: 0)
        #expect(abs(r - 93.2) < 0.05, "R = \(r)")
    }

    @Test func mosAtKnownRatings() {
        // 1 + 0.035·93.2 + 93.2·33.2·6.8·7e-6 = 4.409.
        #expect(abs(EModel.mos(rating: 93.2) - 4.409) < 0.001)
        #expect(EModel.mos(rating: 60) == 1 + 0.035 * 60, "cubic term is zero at 60: 3.1")
        #expect(EModel.mos(rating: 100) == 4.5 && EModel.mos(rating: 0) == 1)
        #expect(EModel.mos(rating: -5) == 1 && EModel.mos(rating: 150) == 4.5 && EModel.mos(rating: .nan) == 1)
        #expect(abs(EModel.mos(oneWayDelayMs: 0, codec: .g711PLC, packetLossPercent: 0) - 4.41) < 0.01)
    }

    @Test func g729WithoutLossRates82_2() {
        // Ie = 11 (G.113 Appendix I) off the 93.2 baseline.
        let r = model.rating(oneWayDelayMs: 0, codec: .g729a, packetLossPercent: 0)
        #expect(abs(r - 82.2) < 0.05, "R = \(r)")
    }

    @Test func effectiveEquipmentImpairmentFollowsG107Formula() {
        // G.711 with PLC at 1 % random loss: 95·1/(1 + 25.1) = 3.64.
        #expect(abs(EModel.effectiveEquipmentImpairment(codec: .g711PLC, packetLossPercent: 1) - 95.0 / 26.1) < 1e-9)
        // Without PLC the same loss costs much more: 95·1/(1 + 4.3).
        #expect(abs(EModel.effectiveEquipmentImpairment(codec: .g711, packetLossPercent: 1) - 95.0 / 5.3) < 1e-9)
        // G.729A at 2 %, bursty (BurstR 2): 11 + 84·2/(1 + 19).
        #expect(abs(EModel.effectiveEquipmentImpairment(codec: .g729a, packetLossPercent: 2, burstRatio: 2) - (11 + 84.0 * 2 / 20)) < 1e-9)
        // Clamped inputs.
        #expect(EModel.effectiveEquipmentImpairment(codec: .g711PLC, packetLossPercent: -3) == 0)
        #expect(EModel.effectiveEquipmentImpairment(codec: .g711PLC, packetLossPercent: 250)
                == EModel.effectiveEquipmentImpairment(codec: .g711PLC, packetLossPercent: 100))
        let r = model.rating(oneWayDelayMs: 0, codec: .g711PLC, packetLossPercent: 1)
        #expect(abs(r - (93.2 - 95.0 / 26.1)) < 0.05)
    }

    @Test func delayImpairmentAtKnownPoints() {
        // Worked by hand from G.107 §7.4 with the defaults: at 0 ms only Idle = 0.15; at 200 ms
        // Idte 3.57 + Idle 0.94 + Idd 3.04 (X = 1: 25·(2^(1/6) − 3·(1 + 3^−6)^(1/6) + 2)) = 7.55.
        #expect(abs(model.delayImpairment(oneWayDelayMs: 0) - 0.15) < 0.01)
        #expect(abs(model.delayImpairment(oneWayDelayMs: 200) - 7.55) < 0.02)
        let idd200 = 25 * (pow(2, 1.0 / 6) - 3 * pow(1 + pow(1.0 / 3, 6), 1.0 / 6) + 2)
        #expect(abs(idd200 - 3.04) < 0.01, "the Idd term alone")
        // Idd is zero up to 100 ms: the step from 100 to 101 ms is small, well past 100 it is steep.
        let slopeBelow = model.delayImpairment(oneWayDelayMs: 100) - model.delayImpairment(oneWayDelayMs: 99)
        let slopeAbove = model.delayImpairment(oneWayDelayMs: 300) - model.delayImpairment(oneWayDelayMs: 299)
        #expect(slopeBelow < 0.03 && slopeAbove > 0.1)
    }

    @Test func ratingFallsAsLossOrDelayGrow() {
        var previous = Double.infinity
        for loss in stride(from: 0.0, through: 30, by: 0.5) {
            let r = model.rating(oneWayDelayMs: 50, codec: .g711PLC, packetLossPercent: loss)
            #expect(r < previous || loss == 0, "loss \(loss)")
            previous = r
        }
        previous = .infinity
        for delay in stride(from: 0.0, through: 600, by: 10) {
            let r = model.rating(oneWayDelayMs: delay, codec: .g729a, packetLossPercent: 1)
            #expect(r <= previous + 1e-9, "delay \(delay)")
            previous = r
        }
        #expect(model.rating(oneWayDelayMs: 400, codec: .g711PLC, packetLossPercent: 0) < 70)
        // Bursty loss hurts more than random loss of the same rate.
        #expect(model.rating(oneWayDelayMs: 0, codec: .g711PLC, packetLossPercent: 5, burstRatio: 2)
                < model.rating(oneWayDelayMs: 0, codec: .g711PLC, packetLossPercent: 5))
        // Negative or NaN delay counts as zero.
        #expect(model.rating(oneWayDelayMs: -10, codec: .g711PLC, packetLossPercent: 0)
                == model.rating(oneWayDelayMs: 0, codec: .g711PLC, packetLossPercent: 0))
    }

    @Test func realMathAgreesWithTheSystemLibrary() {
        var g = SeededGenerator(seed: 3)
        for _ in 0..<5000 {
            let x = Double.random(in: 1e-6...1e6, using: &g)
            #expect(abs(RealMath.ln(x) - Foundation.log(x)) <= 1e-13 * max(1, abs(Foundation.log(x))), "ln \(x)")
            let y = Double.random(in: -50...50, using: &g)
            #expect(abs(RealMath.exp(y) - Foundation.exp(y)) <= 1e-13 * Foundation.exp(y), "exp \(y)")
            let e = Double.random(in: -8...8, using: &g)
            #expect(abs(RealMath.pow(x, e / 8) - Foundation.pow(x, e / 8)) <= 1e-12 * Foundation.pow(x, e / 8))
        }
        #expect(RealMath.ln(1) == 0 && RealMath.exp(0) == 1 && RealMath.ln(0) == -.infinity && RealMath.ln(-1).isNaN)
        #expect(RealMath.exp(-800) == 0 && RealMath.exp(800) == .infinity && RealMath.pow(0, 2) == 0)
        #expect(abs(RealMath.log10(1000) - 3) < 1e-15)
    }
}
