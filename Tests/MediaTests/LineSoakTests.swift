// LineSoakTests: a line call fed PCMU RTP with network delays replayed from Benchmarks/line/jitter-trace.txt (the line soak): xruns, allocations on the media thread, the jitter buffer over time, concealment, late packets, added latency.
import Testing
import Foundation
import Glibc
import CShim
import CAllocCounter
import MediaCore
import MediaCodecs
@testable import Media

/// Per-packet network delays (ms, nil: lost) of 20 ms packets, one a line (`#` lines are comments).
struct JitterTrace {
    let delays: [Double?]

    static let defaultPath: String = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        return here.appendingPathComponent("../../Benchmarks/line/jitter-trace.txt").standardized.path
    }()

    init(path: String = JitterTrace.defaultPath) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        delays = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0 == "lost" ? nil : Double($0) }
    }

    /// Where the first burst begins: the first packet of 40 ms or more after at least `calm` packets under
    /// 40 ms, when the delay then reaches 80 ms within 5 packets.
    func firstBurst(after calm: Int) -> Int? {
        var quiet = 0
        for (k, d) in delays.enumerated() {
            guard let d else { continue }
            if d >= 40 {
                if quiet >= calm, delays[k..<min(delays.count, k + 5)].contains(where: { ($0 ?? 0) >= 80 }) { return k }
                quiet = 0
            } else {
                quiet += 1
            }
        }
        return nil
    }
}

/// What a soak measured.
struct LineSoakReport {
    var seconds = 0.0
    var packetsSent = 0
    var packetsLost = 0
    var reorderedSends = 0
    var allocations: UInt64 = 0
    var frees: UInt64 = 0
    var status: LineAudioStatus!
    // The jitter buffer sampled every 100 ms: (ms since start, target ms, depth ms).
    var samples: [(t: Double, target: Double, depth: Double)] = []
    // Added latency of the marked packets: (ms since start of the packet's nominal time, latency ms).
    var latencies: [(t: Double, ms: Double)] = []
    var markedPackets = 0

    static func stats(_ xs: [Double]) -> (min: Double, median: Double, max: Double, mean: Double) {
        guard !xs.isEmpty else { return (0, 0, 0, 0) }
        let s = xs.sorted()
        return (s.first!, s[s.count / 2], s.last!, xs.reduce(0, +) / Double(xs.count))
    }

    func text(rate: Int, period: Int) -> String {
        let j = status.jitter
        let target = Self.stats(samples.map(\.target)), depth = Self.stats(samples.map(\.depth)), lat = Self.stats(latencies.map(\.ms))
        let sorted = latencies.map(\.ms).sorted()
        let p95 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        return """
        line soak: \(f(seconds)) s of the trace, card \(rate) Hz\(status.resampling ? " (resampled)" : ""), \(period) ms period; \
        \(packetsSent) packets sent (\(reorderedSends) sent after a later one), \(packetsLost) lost in the trace
        line soak: xruns playback \(status.playbackXruns) capture \(status.captureXruns); late periods playback \(status.playbackLate) \
        capture \(status.captureLate); clock overruns \(status.clockOverruns); periods moved \(status.periodsMoved) of \(status.clockPeriods), \
        written \(status.periodsWritten), read \(status.periodsRead)
        line soak: allocations on the media thread after warm-up \(allocations) (frees \(frees))
        line soak: jitter buffer target ms min/median/max \(f(target.min))/\(f(target.median))/\(f(target.max)), \
        depth ms \(f(depth.min))/\(f(depth.median))/\(f(depth.max)) (\(samples.count) samples, every 100 ms)
        line soak: jitter buffer received \(j.received), played \(j.played), late (dropped) \(j.late), duplicates \(j.duplicates), \
        overflow \(j.overflow), concealed \(j.concealedSamples) samples (\(f(Double(j.concealedSamples) / 160)) frames of 20 ms), \
        underruns \(j.underruns), skew drops \(j.skewDrops), stretched \(j.stretchedSamples) samples, talk spurts \(j.talkSpurts)
        line soak: added latency RTP arrival -> playback file under the trace, ms: mean \(f(lat.mean)), min \(f(lat.min)), \
        median \(f(lat.median)), p95 \(f(p95)), max \(f(lat.max)) (\(latencies.count) of \(markedPackets) marked packets found)
        """
    }
}

extension MediaEngineTests {
    /// Replays packets `window` of `trace` as PCMU RTP into a line session on fixture `fixture` (the
    /// `file` plugin over `null`; the media thread keeps its own clock): packet k leaves at
    /// t0 + 20 ms·(k - first) + its delay. Every 25th packet carries a 20 ms 1 kHz burst, the rest
    /// silence; a burst's onset in the playback file gives that packet's added latency (arrival to play).
    /// Allocations are counted after `warmUpSeconds`. The media thread runs at SCHED_FIFO `priority` (0: normal),
    /// as in the box; a period its clock skipped (`clockOverruns`, a thread held off for over 80 ms) is
    /// missing from the file and makes the latencies after it read that much shorter.
    /// `device`: another ALSA device instead of the fixture (e.g. alsa-lib's pulse PCM on a PulseAudio null
    /// sink, which paces the device in real time); no playback file then, so no latency figures.
    static func lineSoak(trace: JitterTrace, window: Range<Int>, fixture: Int, rate: Int = 8000, period: Int = 20, priority: Int32 = 10,
                         device: String? = nil, warmUpSeconds: Double = 2, progressEverySeconds: Double = 0) throws -> LineSoakReport {
        var configuration = testConfiguration()
        // The box's media thread runs SCHED_FIFO 10 (normal priority when the process may not).
        configuration.realtimePriority = priority
        configuration.threadStartHook = tb_alloc_counter_register_thread
        configuration.statsIntervalMilliseconds = 1000
        configuration.oneWayAudioMilliseconds = 0
        configuration.rtpTimeoutMilliseconds = 0
        var rig = try LineRig(fixture: fixture, configuration: configuration, device: device)
        if device == nil { Self.cardTone("\(rig.dir)/in.raw", rate: rate, seconds: 2, frequency: 600, volume: 0.05) }
        guard case .lineAudioUp? = try rig.openLine(period: period, rate: rate) else { throw MediaEngineError.wrongState("line not up") }
        try rig.createSession()
        let burst = Tone.ulaw(Tone.samples(160))
        let silence = [UInt8](repeating: 0xFF, count: 160)
        let marked = { (k: Int) in k % 25 == 10 }

        var report = LineSoakReport()
        let t0 = tb_monotonic_ns() + 50_000_000
        var schedule: [(at: UInt64, k: Int)] = []
        for k in window {
            guard let d = trace.delays[k] else { report.packetsLost += 1; continue }
            schedule.append((t0 + UInt64(k - window.lowerBound) * 20_000_000 + UInt64(d * 1e6), k))
        }
        schedule.sort { $0.at < $1.at }
        for i in 1..<schedule.count where schedule[i].k < schedule[i - 1].k { report.reorderedSends += 1 }
        report.markedPackets = window.filter { marked($0) && trace.delays[$0] != nil }.count

        var arrivals: [Int: UInt64] = [:]
        var nextSample = t0
        var nextProgress = t0 + UInt64(progressEverySeconds * 1e9)
        var counting = false
        let warmUpEnd = t0 + UInt64(warmUpSeconds * 1e9)
        var baseline: LineAudioStatus?
        for (at, k) in schedule {
            while tb_monotonic_ns() + 200_000 < at {
                let now = tb_monotonic_ns()
                if now >= nextSample {
                    let s = rig.engine.lineStatus
                    report.samples.append((Double(now - t0) / 1e6, Double(s.jitter.targetSamples) / 8, Double(s.jitter.depthSamples) / 8))
                    _ = rig.engine.pollEvents { _ in }
                    while rig.peer.receive(timeoutMilliseconds: 0) != nil {}
                    nextSample += 100_000_000
                }
                if !counting && now >= warmUpEnd {
                    baseline = rig.engine.lineStatus
                    tb_alloc_counter_reset()
                    counting = true
                }
                if progressEverySeconds > 0 && now >= nextProgress {
                    let s = rig.engine.lineStatus
                    print("line soak: \(Int(Double(now - t0) / 1e9)) s, target \(s.jitter.targetSamples / 8) ms, depth \(s.jitter.depthSamples / 8) ms, "
                          + "late \(s.jitter.late), concealed \(s.jitter.concealedSamples), xruns \(s.playbackXruns)/\(s.captureXruns), "
                          + "allocations \(tb_alloc_counter_allocations())")
                    nextProgress += UInt64(progressEverySeconds * 1e9)
                }
                sleepUntil(min(at, nextSample) - 100_000)
            }
            sleepUntil(at)
            arrivals[k] = tb_monotonic_ns()
            let seq = k - window.lowerBound
            rig.peer.send(Packets.rtp(pt: 0, seq: UInt16(truncatingIfNeeded: seq), marker: seq == 0,
                                      payload: marked(k) ? burst : silence), to: rig.leg.local)
            report.packetsSent += 1
        }
        usleep(500_000)
        _ = rig.engine.pollEvents { _ in }
        report.allocations = tb_alloc_counter_allocations()
        report.frees = tb_alloc_counter_frees()
        report.seconds = Double(window.count) / 50
        let (status, _) = try rig.finish()
        report.status = status
        if let b = baseline {
            report.status.playbackXruns -= b.playbackXruns
            report.status.captureXruns -= b.captureXruns
        }

        // Burst onsets in the playback file: a loud sample after at least 50 ms of quiet.
        guard device == nil else { return report }
        let out = LineFixture.readRaw("\(rig.dir)/out.raw")
        var onsets: [UInt64] = []
        var quiet = 0
        for (i, x) in out.enumerated() {
            if abs(Int(x)) > 1000 {
                if quiet >= rate / 20 { onsets.append(status.firstWriteNs + UInt64(Double(max(0, i - 1)) * 1e9 / Double(rate))) }
                quiet = 0
            } else {
                quiet += 1
            }
        }
        // Each marked packet's onset is the first within 400 ms after its arrival (markers are 500 ms apart).
        var j = 0
        for k in window where marked(k) {
            guard let arrival = arrivals[k] else { continue }
            while j < onsets.count && onsets[j] + 5_000_000 < arrival { j += 1 }
            guard j < onsets.count, onsets[j] < arrival + 400_000_000 else { continue }
            report.latencies.append((Double(k - window.lowerBound) * 20, (Double(onsets[j]) - Double(arrival)) / 1e6))
            j += 1
        }
        return report
    }

    /// 20 s of the trace around its first burst: no allocation, no xrun, and the jitter buffer grows for
    /// the burst and shrinks after it.
    @Test func lineSoakOn20SecondsOfTheJitterTrace() throws {
        let trace = try JitterTrace()
        let packets = trace.delays.count
        #expect(packets == 30_000)
        let first = trace.firstBurst(after: 500)
        let burst = try #require(first)
        let window = (burst - 250)..<(burst + 750)
        let report = try Self.lineSoak(trace: trace, window: window, fixture: 3)
        print(report.text(rate: 8000, period: 20))
        let s = report.status!
        #expect(report.allocations == 0, "media thread allocated \(report.allocations) times")
        #expect(s.playbackXruns == 0 && s.captureXruns == 0)
        #expect(s.playbackLate == 0)
        // Target before the burst (after the first second), at its largest during and just after, and at the end.
        let burstMs = 250.0 * 20
        let before = LineSoakReport.stats(report.samples.filter { $0.t > 1000 && $0.t < burstMs }.map(\.target))
        let during = LineSoakReport.stats(report.samples.filter { $0.t >= burstMs && $0.t < burstMs + 5000 }.map(\.target))
        let end = LineSoakReport.stats(report.samples.filter { $0.t >= 18_000 }.map(\.target))
        print("line soak: jitter buffer target before the burst \(before.median) ms, largest in the burst \(during.max) ms, last 2 s \(end.median) ms")
        #expect(during.max >= before.median + 20, "the jitter buffer grew for the burst")
        #expect(end.median <= during.max - 20, "and shrank after it")
        #expect(report.latencies.count >= report.markedPackets - 3)
    }

    /// The line soak of Benchmarks/line/soak: LINE_SOAK_SECONDS of the trace (from LINE_SOAK_START s),
    /// the card at LINE_SOAK_RATE Hz, LINE_SOAK_TRACE for another trace. In the unit suite (no
    /// LINE_SOAK_SECONDS) it replays the trace's first 10 s with the same checks; the benchmark, 600 s.
    @Test func lineSoakReplaysTheJitterTrace() throws {
        let env = ProcessInfo.processInfo.environment
        let trace = try JitterTrace(path: env["LINE_SOAK_TRACE"] ?? JitterTrace.defaultPath)
        let seconds = Double(env["LINE_SOAK_SECONDS"] ?? "10") ?? 10
        let start = Int((Double(env["LINE_SOAK_START"] ?? "0") ?? 0) * 50)
        let rate = Int(env["LINE_SOAK_RATE"] ?? "8000") ?? 8000
        let priority = Int32(env["LINE_SOAK_PRIORITY"] ?? "10") ?? 10
        // LINE_SOAK_DEVICE (with ALSA_CONFIG_PATH naming it): a real-time paced device instead of the file plugin.
        let device = env["LINE_SOAK_DEVICE"]
        let window = start..<min(trace.delays.count, start + Int(seconds * 50))
        let report = try Self.lineSoak(trace: trace, window: window, fixture: 4, rate: rate, priority: priority, device: device,
                                  warmUpSeconds: 5, progressEverySeconds: 30)
        print("line soak: media thread \(priority > 0 ? "SCHED_FIFO \(priority) asked" : "at normal priority"), device \(device ?? "the file plugin over null")")
        print(report.text(rate: rate, period: 20))
        // Target and depth over time, one line a 10 s (min/median/max of the 100 ms samples).
        for t in stride(from: 0.0, to: report.seconds * 1000, by: 10_000) {
            let slice = report.samples.filter { $0.t >= t && $0.t < t + 10_000 }
            let target = LineSoakReport.stats(slice.map(\.target)), depth = LineSoakReport.stats(slice.map(\.depth))
            let lat = LineSoakReport.stats(report.latencies.filter { $0.t >= t && $0.t < t + 10_000 }.map(\.ms))
            print(String(format: "line soak over time: %4.0f s target %5.1f/%5.1f/%5.1f ms depth %5.1f/%5.1f/%5.1f ms latency mean %5.1f max %5.1f ms",
                         t / 1000, target.min, target.median, target.max, depth.min, depth.median, depth.max, lat.mean, lat.max))
        }
        let s = report.status!
        #expect(report.allocations == 0)
        #expect(s.playbackXruns == 0 && s.captureXruns == 0)
    }
}
