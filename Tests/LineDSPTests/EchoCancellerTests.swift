// EchoCancellerTests: a synthetic hybrid echo path (delay, FIR, ~10 dB loss, noise) on a speech-like far-end signal is cancelled by at least 20 dB ERLE.
import Testing
import Foundation
@testable import LineDSP

/// A speech-like far-end signal: noise through two formant resonators, in syllables (4 Hz) and talk spurts
/// (1.6 s talk, 0.4 s pause), about -20 dBFS while talking.
func speechLike(seconds: Double, seed: UInt64) -> [Int16] {
    var random = TestRandom(seed: seed)
    let n = Int(seconds * 8000)
    var out = [Int16](repeating: 0, count: n)
    // Resonator y = x + 2r cos(w) y1 - r² y2.
    func coefficients(_ hz: Double, _ r: Double) -> (Double, Double) { (2 * r * cos(2 * Double.pi * hz / 8000), r * r) }
    let (a1, b1) = coefficients(500, 0.95)
    let (a2, b2) = coefficients(1500, 0.9)
    var y1 = 0.0, y2 = 0.0, z1 = 0.0, z2 = 0.0
    for i in 0..<n {
        let t = Double(i) / 8000
        let x = random.uniform()
        let y = x + a1 * y1 - b1 * y2; y2 = y1; y1 = y
        let z = x + a2 * z1 - b2 * z2; z2 = z1; z1 = z
        let syllable = max(0, sin(2 * Double.pi * 4 * t + 0.3 * sin(2 * Double.pi * 0.7 * t)))
        let talking = t.truncatingRemainder(dividingBy: 2) < 1.6 ? 1.0 : 0.0
        out[i] = Int16(clamping: Int((0.25 * y + 0.6 * z) * 900 * syllable * talking))
    }
    return out
}

/// The 2-wire hybrid: delay, a short FIR with about 10 dB loss, and a little line noise.
func hybridEcho(_ sent: [Int16], delay: Int = 40, seed: UInt64 = 7) -> [Int16] {
    let taps: [Double] = [0.25, 0.15, -0.10, 0.06, -0.03, 0.02]
    var random = TestRandom(seed: seed)
    var out = [Int16](repeating: 0, count: sent.count)
    for i in 0..<sent.count {
        var acc = 0.0
        for (k, h) in taps.enumerated() where i - delay - k >= 0 { acc += h * Double(sent[i - delay - k]) }
        out[i] = Int16(clamping: Int(acc + 6 * random.uniform()))
    }
    return out
}

@Suite struct EchoCancellerTests {
    /// Runs the canceller over `seconds` of far-end talk; returns per-window ERLE figures and the canceller.
    func run(_ options: EchoCanceller.Options, seconds: Double = 20, period: Int = 160) throws -> (EchoCanceller, [Double], Double) {
        let sent = speechLike(seconds: seconds, seed: 42)
        var received = hybridEcho(sent)
        let echoLoss = PCM.dB(PCM.meanSquare(sent[...]) / PCM.meanSquare(received[...]))
        var options = options
        options.periodSamples = period
        let canceller = try #require(EchoCanceller(options: options))
        var windows: [Double] = []
        var last: Double?
        sent.withUnsafeBufferPointer { tx in
            received.withUnsafeMutableBufferPointer { rx in
                var start = 0
                while start < tx.count {
                    let end = min(start + period, tx.count)
                    canceller.process(received: UnsafeMutableBufferPointer(rebasing: rx[start..<end]), sent: UnsafeBufferPointer(rebasing: tx[start..<end]))
                    if let erle = canceller.erleDB, erle != last { windows.append(erle); last = erle }
                    start = end
                }
            }
        }
        return (canceller, windows, echoLoss)
    }

    @Test(arguments: [160, 80])
    func cancellerReaches20dBERLE(period: Int) throws {
        let (canceller, windows, echoLoss) = try run(.init(tailMilliseconds: 64, measurementWindowMilliseconds: 2000), period: period)
        #expect(echoLoss > 6 && echoLoss < 12, "echo path loss \(echoLoss) dB")
        let converged = windows.suffix(4)
        #expect(converged.count == 4)
        for erle in converged { #expect(erle >= 20, "ERLE \(erle) dB after convergence") }
        print("period \(period): echo path loss \(String(format: "%.1f", echoLoss)) dB; ERLE per 2 s window: \(windows.map { String(format: "%.1f", $0) }), whole call \(String(format: "%.1f", canceller.averageERLEDB ?? 0)) dB")
    }

    @Test func cpuPerPeriod() throws {
        let canceller = try #require(EchoCanceller(options: .init(tailMilliseconds: 64)))
        let sent = speechLike(seconds: 10, seed: 3)
        var received = hybridEcho(sent)
        let start = DispatchTime.now().uptimeNanoseconds
        sent.withUnsafeBufferPointer { tx in
            received.withUnsafeMutableBufferPointer { rx in
                for p in 0..<(tx.count / 160) {
                    canceller.process(received: UnsafeMutableBufferPointer(rebasing: rx[(p * 160)..<(p * 160 + 160)]),
                                      sent: UnsafeBufferPointer(rebasing: tx[(p * 160)..<(p * 160 + 160)]))
                }
            }
        }
        let perPeriod = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(sent.count / 160) / 1000
        print("echo canceller (64 ms tail): \(String(format: "%.1f", perPeriod)) µs per 20 ms period (debug build)")
        #expect(perPeriod < 20_000)
    }
}
