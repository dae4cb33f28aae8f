// G711Tests: µ-law and A-law against ITU-T G.711 (11/1988): end-point values, the digital milliwatt, round trips, monotonicity and decision thresholds.
import Foundation
import Testing
@testable import MediaCore

@Suite struct G711Tests {
    // G.711 Table 2a/2b (µ-law): decoder output 8031 at the top of segment 8 on the 14-bit scale, character
    // 1000 0000 for positive (polarity bit 1 = positive, all bits inverted on the line), 0000 0000 negative;
    // 1111 1111 and 0111 1111 are the two zeros. 16-bit linear = 14-bit × 4.
    @Test func ulawEndPointsMatchTable2() {
        #expect(G711.ulawToLinear(0x80) == 8031 * 4 && G711.ulawToLinear(0x80) == 32124)
        #expect(G711.ulawToLinear(0x00) == -32124)
        #expect(G711.ulawToLinear(0xFF) == 0, "+0")
        #expect(G711.ulawToLinear(0x7F) == 0, "−0")
        // Smallest non-zero steps: decoder output 2 (14-bit) → 8.
        #expect(G711.ulawToLinear(0xFE) == 8 && G711.ulawToLinear(0x7E) == -8)
        // Segment 1 steps by 2 up to output 30; segment 2 starts at decision value 31 with output 33 (step 4).
        #expect(G711.ulawToLinear(0xF0) == 30 * 4 && G711.ulawToLinear(0xEF) == 33 * 4 && G711.ulawToLinear(0xEE) == 37 * 4)
    }

    // G.711 Table 1a/1b (A-law): decoder output 4032 at the top (13-bit scale, overload 4096), 1 at the
    // bottom; characters have the even bits inverted, polarity bit 1 = positive: 1010 1010 is +max,
    // 1101 0101 is +1. 16-bit linear = 13-bit × 8.
    @Test func alawEndPointsMatchTable1() {
        #expect(G711.alawToLinear(0xD5) == 1 * 8, "+8")
        #expect(G711.alawToLinear(0x55) == -8)
        #expect(G711.alawToLinear(0xAA) == 4032 * 8 && G711.alawToLinear(0xAA) == 32256)
        #expect(G711.alawToLinear(0x2A) == -32256)
        // Segments 1 and 2 share the step size (Table 1: outputs 33 and 31 either side of the 32 boundary).
        #expect(G711.alawToLinear(0xC5) == 33 * 8 && G711.alawToLinear(0xDA) == 31 * 8)
    }

    /// Level in dBm0 of a periodic sequence, from its RMS and the 0 dBm0 sine's RMS. G.711 gives the
    /// theoretical load capacity (a sine whose peak just reaches the overload point) is +3.17 dBm0 for µ-law
    /// (overload 8159 on the 14-bit scale) and +3.14 dBm0 for A-law (overload 4096 on the 13-bit scale).
    static func levelDBm0(_ samples: [Int16], overload: Double, capacityDBm0: Double) -> Double {
        let rms = (samples.map { Double($0) * Double($0) }.reduce(0, +) / Double(samples.count)).squareRoot()
        let zeroDBm0Peak = overload * pow(10, -capacityDBm0 / 20)
        return 20 * log10(rms * 2.0.squareRoot() / zeroDBm0Peak)
    }

    /// Share of the energy in DFT bin 1 (and its mirror) of an 8-sample period at 8 kHz: 1 kHz.
    static func shareAt1kHz(_ samples: [Int16]) -> Double {
        precondition(samples.count == 8)
        var total = 0.0, bin1 = 0.0
        for k in 0..<8 {
            var re = 0.0, im = 0.0
            for (n, x) in samples.enumerated() {
                re += Double(x) * cos(2 * .pi * Double(k * n) / 8)
                im -= Double(x) * sin(2 * .pi * Double(k * n) / 8)
            }
            let e = re * re + im * im
            total += e
            if k == 1 || k == 7 { bin1 += e }
        }
        return bin1 / total
    }

    // G.711 Tables 5 and 6: the digital milliwatt, one period of a 1 kHz sine at 0 dBm0.
    static let ulawMilliwatt: [UInt8] = [0x1E, 0x0B, 0x0B, 0x1E, 0x9E, 0x8B, 0x8B, 0x9E]
    static let alawMilliwatt: [UInt8] = [0x34, 0x21, 0x21, 0x34, 0xB4, 0xA1, 0xA1, 0xB4]

    @Test func ulawDigitalMilliwattIsA1kHzSineAt0dBm0() {
        let pcm = Self.ulawMilliwatt.map(G711.ulawToLinear)
        #expect(pcm == [-8828, -20860, -20860, -8828, 8828, 20860, 20860, 8828])
        let level = Self.levelDBm0(pcm, overload: 8159 * 4, capacityDBm0: 3.17)
        #expect(abs(level) < 0.05, "level \(level) dBm0")
        #expect(Self.shareAt1kHz(pcm) > 0.999)
    }

    @Test func alawDigitalMilliwattIsA1kHzSineAt0dBm0() {
        let pcm = Self.alawMilliwatt.map(G711.alawToLinear)
        #expect(pcm == [-8960, -20992, -20992, -8960, 8960, 20992, 20992, 8960])
        let level = Self.levelDBm0(pcm, overload: 4096 * 8, capacityDBm0: 3.14)
        #expect(abs(level) < 0.05, "level \(level) dBm0")
        #expect(Self.shareAt1kHz(pcm) > 0.999)
    }

    @Test func encodingA0dBm0SineAt22point5DegreesGivesTheMilliwatt() {
        // x[n] = −A·sin(2π·n/8 + π/8): the milliwatt's phase (negative half first).
        func sine(_ peak: Double) -> [Int16] {
            (0..<8).map { n in Int16((-peak * sin(2 * .pi * Double(n) / 8 + .pi / 8)).rounded()) }
        }
        let ulaw = sine(8159 * 4 * pow(10, -3.17 / 20)).map(G711.linearToUlaw)
        let alaw = sine(4096 * 8 * pow(10, -3.14 / 20)).map(G711.linearToAlaw)
        #expect(ulaw == Self.ulawMilliwatt)
        #expect(alaw == Self.alawMilliwatt)
    }

    @Test func encodeOfDecodeIsTheIdentity() {
        for c in UInt8.min...UInt8.max {
            #expect(G711.linearToAlaw(G711.alawToLinear(c)) == c, "A-law \(c)")
            let u = G711.linearToUlaw(G711.ulawToLinear(c))
            #expect(u == (c == 0x7F ? 0xFF : c), "µ-law \(c): only −0 becomes +0")
        }
        #expect(Set((0...255).map { G711.alawToLinear(UInt8($0)) }).count == 256, "A-law has no two equal values")
        #expect(Set((0...255).map { G711.ulawToLinear(UInt8($0)) }).count == 255, "µ-law: ±0 only")
    }

    @Test func quantisationIsMonotonicAndWithinHalfAStep() {
        var previousU = Int16.min, previousA = Int16.min
        for s in Int16.min...Int16.max {
            let u = G711.ulawToLinear(G711.linearToUlaw(s))
            let a = G711.alawToLinear(G711.linearToAlaw(s))
            #expect(u >= previousU && a >= previousA, "monotonic at \(s)")
            if u < previousU || a < previousA { return }
            previousU = u
            previousA = a
            // Largest step is 1024 (segment 7 on the 16-bit scale): error at most half of it except when clipping.
            if abs(Int(s)) <= 32124 { #expect(abs(Int(u) - Int(s)) <= 512 + 4) }
            if abs(Int(s)) <= 32256 { #expect(abs(Int(a) - Int(s)) <= 512) }
        }
        #expect(G711.linearToUlaw(.max) == 0x80 && G711.linearToUlaw(.min) == 0x00)
        #expect(G711.linearToAlaw(.max) == 0xAA && G711.linearToAlaw(.min) == 0x2A)
    }

    @Test func decisionThresholdsNearZero() {
        // µ-law: decision values 1 and 3 on the 14-bit scale (×4: 4 and 12) around outputs 0, 2 (×4: 0, 8).
        #expect(G711.linearToUlaw(0) == 0xFF && G711.linearToUlaw(3) == 0xFF)
        #expect(G711.linearToUlaw(4) == 0xFE && G711.linearToUlaw(11) == 0xFE && G711.linearToUlaw(12) == 0xFD)
        #expect(G711.linearToUlaw(-4) == 0x7E)
        // A-law: decision value 2 on the 13-bit scale (×8: 16) between outputs 1 and 3 (×8: 8 and 24).
        #expect(G711.linearToAlaw(0) == 0xD5 && G711.linearToAlaw(15) == 0xD5 && G711.linearToAlaw(16) == 0xD4)
        #expect(G711.linearToAlaw(-1) == 0x55 && G711.linearToAlaw(-16) == 0x55 && G711.linearToAlaw(-17) == 0x54)
        #expect(G711.alawToLinear(0xD4) == 24)
    }

    @Test func transcodingStaysWithinTheTargetLawsStep() {
        for c in UInt8.min...UInt8.max {
            let viaA = G711.alawToLinear(G711.ulawToAlaw(c))
            #expect(abs(Int(viaA) - Int(G711.ulawToLinear(c))) <= 512, "µ→A \(c)")
            let viaU = G711.ulawToLinear(G711.alawToUlaw(c))
            #expect(abs(Int(viaU) - Int(G711.alawToLinear(c))) <= 512 + 132, "A→µ \(c)")
        }
        #expect(G711.ulawToAlaw(0x80) == 0xAA && G711.ulawToAlaw(0x00) == 0x2A)
        #expect(G711.ulawToAlaw(0xFF) == 0xD5 && G711.alawToUlaw(0xD5) == 0xFE)
    }

    @Test func bufferFunctionsMatchTheScalarOnesAndStopAtTheShorterBuffer() {
        let codes = (0...255).map { UInt8($0) }
        var pcm = [Int16](repeating: 0x7777, count: 300)
        let n = codes.withUnsafeBufferPointer { src in pcm.withUnsafeMutableBufferPointer { G711.decodeUlaw(src, into: $0) } }
        #expect(n == 256 && pcm.prefix(256).elementsEqual(codes.map(G711.ulawToLinear)) && pcm[256] == 0x7777)
        var back = [UInt8](repeating: 0, count: 100)
        let m = pcm.withUnsafeBufferPointer { src in back.withUnsafeMutableBufferPointer { G711.encodeUlaw(src, into: $0) } }
        #expect(m == 100 && back == codes.prefix(100).map { $0 == 0x7F ? 0xFF : $0 })
        var alawPCM = [Int16](repeating: 0, count: 256)
        _ = codes.withUnsafeBufferPointer { src in alawPCM.withUnsafeMutableBufferPointer { G711.decodeAlaw(src, into: $0) } }
        var alaw = [UInt8](repeating: 0, count: 256)
        _ = alawPCM.withUnsafeBufferPointer { src in alaw.withUnsafeMutableBufferPointer { G711.encodeAlaw(src, into: $0) } }
        #expect(alaw == codes)
        // In-place transcoding of a payload.
        var payload = Self.ulawMilliwatt
        _ = payload.withUnsafeMutableBytes { G711.transcodeUlawToAlaw(UnsafeRawBufferPointer($0), into: $0) }
        #expect(payload == Self.ulawMilliwatt.map(G711.ulawToAlaw))
        _ = payload.withUnsafeMutableBytes { G711.transcodeAlawToUlaw(UnsafeRawBufferPointer($0), into: $0) }
        #expect(payload == Self.ulawMilliwatt.map(G711.ulawToAlaw).map(G711.alawToUlaw))
    }
}
