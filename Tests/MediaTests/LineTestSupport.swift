// LineTestSupport: an ALSA configuration of `file` PCMs over `null` made at test time, sox fixtures, and raw-file helpers for the line tests.
import Foundation
import Glibc
import MediaCore
import MediaCodecs
import CShim
@testable import Media

/// One process-wide ALSA configuration (alsa-lib reads it once): `pcm.lineN` for N in 0..<8, each an
/// `asym` of a `file` playback PCM writing `N/out.raw` and a `file` capture PCM reading `N/in.raw`,
/// both over `null` (no clock: everything is taken or given at once).
enum LineFixture {
    static let directory: String = {
        let dir = "/tmp/trunkbox-line-tests-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        var conf = ""
        for n in 0..<8 {
            let sub = "\(dir)/\(n)"
            try! FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: "\(sub)/in.raw", contents: Data(count: 16_000 * 2))
            conf += """
            pcm.line\(n) {
                type asym
                playback.pcm { type file slave.pcm { type null } file "\(sub)/out.raw" format "raw" }
                capture.pcm { type file slave.pcm { type null } infile "\(sub)/in.raw" file "\(sub)/copy.raw" format "raw" }
            }

            """
        }
        try! conf.write(toFile: "\(dir)/asound.conf", atomically: true, encoding: .utf8)
        setenv("ALSA_CONFIG_PATH", "\(dir)/asound.conf", 1)
        return dir
    }()

    /// The device name of fixture `n` and its directory.
    static func device(_ n: Int) -> (name: String, dir: String) {
        ("line\(n)", "\(directory)/\(n)")
    }

    /// Runs sox with `arguments`; fails the test process if sox is missing or fails.
    static func sox(_ arguments: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
        p.arguments = arguments
        do { try p.run() } catch { fatalError("sox is needed for the line tests (scripts/setup installs it): \(error)") }
        p.waitUntilExit()
        precondition(p.terminationStatus == 0, "sox \(arguments) failed")
    }

    /// A raw 8 kHz mono S16_LE tone made by sox at `path`.
    static func tone(_ path: String, seconds: Double, frequency: Int = 1000, volume: Double = 0.5) {
        sox(["-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", path,
             "synth", "\(seconds)", "sine", "\(frequency)", "vol", "\(volume)"])
    }

    static func readRaw(_ path: String) -> [Int16] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }
}

/// Level of the 1 kHz component of `pcm` in dBFS (Goertzel over the whole block).
func toneLevel(_ pcm: ArraySlice<Int16>, frequency: Double = 1000) -> Double {
    Array(pcm).withUnsafeBufferPointer { ToneMeter.levelDBFS(meanSquare: ToneMeter.power(of: frequency, in: $0)) }
}

/// RMS level of `pcm` in dBFS.
func rmsLevel(_ pcm: ArraySlice<Int16>) -> Double {
    Array(pcm).withUnsafeBufferPointer { ToneMeter.levelDBFS(meanSquare: ToneMeter.meanSquare($0)) }
}

/// Sleeps until CLOCK_MONOTONIC reaches `ns`.
func sleepUntil(_ ns: UInt64) {
    let now = tb_monotonic_ns()
    if ns > now { usleep(UInt32((ns - now) / 1000)) }
}

extension MediaEngine {
    /// Waits for the first event matching `match`, collecting everything seen.
    func waitFor(timeoutMilliseconds: Int = 2000, _ match: @escaping (MediaEvent) -> Bool) -> (MediaEvent?, [MediaEvent]) {
        let seen = collectEvents(timeoutMilliseconds: timeoutMilliseconds, until: match)
        return (seen.first(where: match), seen)
    }
}
