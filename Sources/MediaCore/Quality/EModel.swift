// EModel: the ITU-T G.107 E-model transmission rating R and its MOS estimate (ITU-T G.107 (03/2005) §7 and Annex B, G.113 Appendix I).
// Not realtime (uses Double transcendental functions); call it from the control side with the stats the media thread reports.

/// The E-model, computed in full from G.107's default parameter values.
///
/// Edition and simplifications:
/// - Formulas of ITU-T G.107 (03/2005) §7 (later editions keep them when the delay-sensitivity
///   parameters are at their defaults): R = Ro − Is − Id − Ie,eff + A.
/// - Ro (basic signal-to-noise ratio, with No from circuit, room and terminal noise) and Is
///   (simultaneous impairments: Iolr, Ist, Iq) are computed from the parameters below, whose defaults
///   are G.107 Table 3's; with them and no delay or loss R = 93.2 (Ro 94.77, Is 1.41, Idle 0.15).
/// - Delay: the one-way mouth-to-ear delay `d` is used for all three delays: T = Ta = d and Tr = 2d
///   (one echo path, talker echo through the far end). Id = Idte(T) + Idle(Tr) + Idd(Ta), with the
///   talker echo loudness rating TELR and weighted echo path loss WEPL at their defaults; Idd is zero up
///   to Ta = 100 ms. The STMR < 9 dB and > 20 dB corrections to Idte do not apply at the default STMR.
/// - Equipment impairment with packet loss: Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl/BurstR + Bpl),
///   with Ie and Bpl per codec from ITU-T G.113 Appendix I (G.711 with PLC: Ie 0, Bpl 25.1; G.711
///   without PLC: Ie 0, Bpl 4.3; G.729A with VAD: Ie 11, Bpl 19.0). BurstR = 1 is random loss.
/// - Advantage factor A = 0 (wired access).
/// - MOS from R per G.107 Annex B: 1 for R < 0, 4.5 for R > 100, else 1 + 0.035R + R(R−60)(100−R)·7·10⁻⁶.
public struct EModel: Sendable, Equatable {
    /// A codec's equipment impairment factor Ie and packet-loss robustness factor Bpl.
    public struct Codec: Sendable, Equatable {
        public var ie: Double
        public var bpl: Double
        public init(ie: Double, bpl: Double) {
            self.ie = ie
            self.bpl = bpl
        }
        /// G.711 with packet loss concealment (G.113 Appendix I: Ie 0, Bpl 25.1).
        public static let g711PLC = Codec(ie: 0, bpl: 25.1)
        /// G.711 without packet loss concealment (G.113 Appendix I: Ie 0, Bpl 4.3).
        public static let g711 = Codec(ie: 0, bpl: 4.3)
        /// G.729A (G.113 Appendix I: Ie 11, Bpl 19.0).
        public static let g729a = Codec(ie: 11, bpl: 19.0)
    }

    // G.107 Table 3 defaults.
    public var sendLoudnessRating = 8.0           // SLR, dB
    public var receiveLoudnessRating = 2.0        // RLR, dB
    public var sidetoneMaskingRating = 15.0       // STMR, dB
    public var listenerSidetoneRating = 18.0      // LSTR, dB
    public var sendDValue = 3.0                   // Ds
    public var receiveDValue = 3.0                // Dr
    public var talkerEchoLoudnessRating = 65.0    // TELR, dB
    public var weightedEchoPathLoss = 110.0       // WEPL, dB
    public var quantizingDistortionUnits = 1.0    // qdu
    public var circuitNoise = -70.0               // Nc, dBm0p
    public var noiseFloor = -64.0                 // Nfor, dBmp
    public var sendRoomNoise = 35.0               // Ps, dB(A)
    public var receiveRoomNoise = 35.0            // Pr, dB(A)
    public var advantageFactor = 0.0              // A

    public init() {}

    private static func lg(_ x: Double) -> Double { RealMath.log10(x) }
    private static func pow(_ x: Double, _ y: Double) -> Double { RealMath.pow(x, y) }
    private static func exp(_ x: Double) -> Double { RealMath.exp(x) }

    /// No: total noise at the 0 dBr point, dBm0p.
    public var noise: Double {
        let slr = sendLoudnessRating, rlr = receiveLoudnessRating
        let olr = slr + rlr
        let nfo = noiseFloor + rlr
        let pre = receiveRoomNoise + 10 * EModel.lg(1 + EModel.pow(10, (10 - listenerSidetoneRating) / 10))
        let nor = rlr - 121 + pre + 0.008 * (pre - 35) * (pre - 35)
        let nosBase = sendRoomNoise - olr - sendDValue - 14
        let nos = sendRoomNoise - slr - sendDValue - 100 + 0.004 * nosBase * nosBase
        return 10 * EModel.lg(EModel.pow(10, circuitNoise / 10) + EModel.pow(10, nos / 10) + EModel.pow(10, nor / 10) + EModel.pow(10, nfo / 10))
    }

    /// Ro = 15 − 1.5(SLR + No).
    public var basicSignalToNoise: Double { 15 - 1.5 * (sendLoudnessRating + noise) }

    /// Is = Iolr + Ist + Iq at mouth-to-ear delay `t` ms (T enters only through STMRo).
    public func simultaneousImpairment(delayMs t: Double = 0) -> Double {
        let no = noise, ro = basicSignalToNoise
        let olr = sendLoudnessRating + receiveLoudnessRating
        let xolr = olr + 0.2 * (64 + no - receiveLoudnessRating)
        let iolr = 20 * (EModel.pow(1 + EModel.pow(xolr / 8, 8), 1.0 / 8) - xolr / 8)
        let stmro = -10 * EModel.lg(EModel.pow(10, -sidetoneMaskingRating / 10) + EModel.exp(-t / 4) * EModel.pow(10, -talkerEchoLoudnessRating / 10))
        let ist = 12 * EModel.pow(1 + EModel.pow((stmro - 13) / 6, 8), 1.0 / 8)
            - 28 * EModel.pow(1 + EModel.pow((stmro + 1) / 19.4, 35), 1.0 / 35)
            - 13 * EModel.pow(1 + EModel.pow((stmro - 3) / 33, 13), 1.0 / 13) + 29
        let q = 37 - 15 * EModel.lg(quantizingDistortionUnits)
        let g = 1.07 + 0.258 * q + 0.0602 * q * q
        let y = (ro - 100) / 15 + 46 / 8.4 - g / 9
        let z = 46.0 / 30 - g / 40
        let iq = 15 * EModel.lg(1 + EModel.pow(10, y) + EModel.pow(10, z))
        return iolr + ist + iq
    }

    /// Id = Idte + Idle + Idd for a one-way mouth-to-ear delay of `d` ms (T = Ta = d, Tr = 2d).
    public func delayImpairment(oneWayDelayMs d: Double) -> Double {
        let t = max(d, 0)
        let rlr = receiveLoudnessRating, no = noise, ro = basicSignalToNoise
        // Talker echo.
        let roe = -1.5 * (no - rlr)
        let terv = talkerEchoLoudnessRating - 40 * EModel.lg((1 + t / 10) / (1 + t / 150)) + 6 * EModel.exp(-0.3 * t * t)
        let re = 80 + 2.5 * (terv - 14)
        let idte = ((roe - re) / 2 + ((roe - re) * (roe - re) / 4 + 100).squareRoot() - 1) * (1 - EModel.exp(-t))
        // Listener echo.
        let rle = 10.5 * (weightedEchoPathLoss + 7) * EModel.pow(2 * t + 1, -0.25)
        let idle = (ro - rle) / 2 + ((ro - rle) * (ro - rle) / 4 + 169).squareRoot()
        // Absolute delay.
        var idd = 0.0
        if t > 100 {
            let x = EModel.lg(t / 100) / EModel.lg(2)
            idd = 25 * (EModel.pow(1 + EModel.pow(x, 6), 1.0 / 6) - 3 * EModel.pow(1 + EModel.pow(x / 3, 6), 1.0 / 6) + 2)
        }
        return idte + idle + idd
    }

    /// Ie,eff = Ie + (95 − Ie)·Ppl/(Ppl/BurstR + Bpl). `packetLossPercent` is clamped to 0...100
    /// and `burstRatio` to at least 1.
    public static func effectiveEquipmentImpairment(codec: Codec, packetLossPercent: Double, burstRatio: Double = 1) -> Double {
        let ppl = min(max(packetLossPercent.isNaN ? 0 : packetLossPercent, 0), 100)
        let burst = max(burstRatio.isNaN ? 1 : burstRatio, 1)
        return codec.ie + (95 - codec.ie) * ppl / (ppl / burst + codec.bpl)
    }

    /// R = Ro − Is − Id − Ie,eff + A.
    public func rating(oneWayDelayMs d: Double, codec: Codec, packetLossPercent: Double, burstRatio: Double = 1) -> Double {
        let delay = d.isNaN ? 0 : max(d, 0)
        return basicSignalToNoise - simultaneousImpairment(delayMs: delay) - delayImpairment(oneWayDelayMs: delay)
            - EModel.effectiveEquipmentImpairment(codec: codec, packetLossPercent: packetLossPercent, burstRatio: burstRatio)
            + advantageFactor
    }

    /// MOS (conversational quality, estimated) from R (G.107 Annex B).
    public static func mos(rating r: Double) -> Double {
        if r.isNaN || r < 0 { return 1 }
        if r > 100 { return 4.5 }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6
    }

    /// The MOS for a leg with these figures, from the default parameters.
    public static func mos(oneWayDelayMs d: Double, codec: Codec, packetLossPercent: Double, burstRatio: Double = 1) -> Double {
        mos(rating: EModel().rating(oneWayDelayMs: d, codec: codec, packetLossPercent: packetLossPercent, burstRatio: burstRatio))
    }
}
