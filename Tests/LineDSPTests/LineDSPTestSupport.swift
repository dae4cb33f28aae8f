// LineDSPTestSupport: audio made by sox at test time, raw PCM helpers, an independent Goertzel measure and period-by-period feeding.
import Foundation
import Testing

/// Runs sox (installed by scripts/setup) and returns the 16-bit 8 kHz mono PCM it wrote.
enum Sox {
    static let raw = "-r 8000 -b 16 -e signed-integer -t raw"

    /// `sox -n <raw> -c 2 - synth <synth> | sox <raw> -c 2 - <raw> -c 1 out remix 1,2 <post>`: two channels
    /// synthesised separately (one tone each) and summed, so dual tones have equal levels.
    static func dual(_ synth: String, post: String = "") throws -> [Int16] {
        try run("sox -n \(raw) -c 2 - synth \(synth) | sox \(raw) -c 2 - \(raw) -c 1 OUT remix 1,2 \(post)")
    }

    /// `sox -n <raw> -c 1 out synth <synth> <post>`.
    static func mono(_ synth: String, post: String = "") throws -> [Int16] {
        try run("sox -n \(raw) -c 1 OUT synth \(synth) \(post)")
    }

    /// Runs a shell pipeline whose `OUT` is replaced by a temporary raw file, and reads that file.
    static func run(_ pipeline: String) throws -> [Int16] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("linedsp-\(UUID().uuidString).raw").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", pipeline.replacingOccurrences(of: "OUT", with: path)]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else { throw SoxFailure(message: "\(pipeline): \(message)") }
        return try PCM.read(path)
    }

    struct SoxFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }
}

enum PCM {
    static func read(_ path: String) throws -> [Int16] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in (0..<data.count / 2).map { Int16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: Int16.self)) } }
    }

    static func silence(seconds: Double) -> [Int16] { [Int16](repeating: 0, count: Int(seconds * 8000)) }

    /// Calls `body` with consecutive periods of `samples` (the last may be short).
    static func periods(_ samples: [Int16], size: Int = 160, _ body: (UnsafeBufferPointer<Int16>, Int) -> Void) {
        samples.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(start + size, all.count)
                body(UnsafeBufferPointer(rebasing: all[start..<end]), end)
                start = end
            }
        }
    }

    /// Mean power of `frequency` in `samples` (Goertzel; a sine of amplitude A gives about A²/2). Written
    /// here, apart from the code under test.
    static func tonePower(_ frequency: Double, _ samples: ArraySlice<Int16>) -> Double {
        let n = Double(samples.count)
        let c = 2 * cos(2 * Double.pi * frequency / 8000)
        var s1 = 0.0, s2 = 0.0
        for x in samples { let s0 = Double(x) + c * s1 - s2; s2 = s1; s1 = s0 }
        return 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / (n * n)
    }

    static func meanSquare(_ samples: ArraySlice<Int16>) -> Double {
        samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count))
    }

    static func dB(_ ratio: Double) -> Double { 10 * log10(ratio) }
}

/// A deterministic pseudo-random source (xorshift64*), so signals are the same on every run.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E3779B97F4A7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2685821657736338717
    }
    /// Uniform in -1 ... 1.
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 52) * 2 - 1 }
}
