// LineAudioTests: the analog line's ALSA audio on the media thread through alsa-lib's `file` plugin: tone to playback, capture to RTP, pacing by the thread's own clock, a missing device, allocations, latency.
import Testing
import Foundation
import Glibc
import CShim
import CAllocCounter
import MediaCore
import MediaCodecs
@testable import Media

extension MediaEngineTests {
    /// An engine with the line on fixture `n`, a UDP peer standing for the RTP far end, and a socket
    /// pair for the line session's RTP leg.
    struct LineRig {
        let engine: MediaEngine
        let peer = UDPPeer()
        var leg: MediaSocketPair
        let device: String
        let dir: String
        var id: MediaSessionID!

        init(fixture n: Int?, configuration: MediaEngineConfiguration = testConfiguration(), captureSeconds: Double = 0,
             device named: String? = nil) throws {
            if let named {
                // A device of the caller's ALSA configuration (ALSA_CONFIG_PATH set by the caller).
                (device, dir) = (named, "/tmp")
            } else if let n {
                (device, dir) = LineFixture.device(n)
                unlink("\(dir)/out.raw")
                if captureSeconds > 0 { LineFixture.tone("\(dir)/in.raw", seconds: captureSeconds) }
            } else {
                _ = LineFixture.directory
                (device, dir) = ("nosuchline", LineFixture.directory)
            }
            engine = try MediaEngine(configuration: configuration)
            try engine.start()
            leg = try MediaSocketPair.open(local: loopback, rtcpMux: true)
        }

        /// Opens the line and returns its first up/down event.
        func openLine(period: Int, retryMilliseconds: Int = 2000, rate: Int = 8000) throws -> MediaEvent? {
            var c = LineAudioConfiguration(device: device, periodMilliseconds: period)
            c.retryMilliseconds = retryMilliseconds
            c.rate = rate
            try engine.openLine(c)
            return engine.waitFor { e in
                switch e { case .lineAudioUp, .lineAudioDown: return true; default: return false }
            }.0
        }

        mutating func createSession(_ configure: (inout LineLegConfiguration) -> Void = { _ in }) throws {
            var line = LineLegConfiguration(codec: .pcmu)
            line.ssrc = 0x1_1AE
            line.initialSequence = 1000
            line.initialTimestamp = 80_000
            configure(&line)
            id = try engine.createLineSession(rtp: MediaLegConfiguration(sockets: leg, remote: peer.address), line: line)
            let (created, _) = engine.waitFor { if case .sessionCreated = $0 { return true }; return false }
            precondition(created != nil, "no sessionCreated")
        }

        /// Releases the device (the thread stops writing), then ends the session; the final status and stats.
        func finish() throws -> (LineAudioStatus, MediaSessionStats?) {
            engine.closeLine()
            _ = engine.waitFor { if case .lineAudioReleased = $0 { return true }; return false }
            let status = engine.lineStatus
            var stats: MediaSessionStats?
            if id != nil {
                try engine.destroySession(id)
                let (e, _) = engine.waitFor { if case .sessionDestroyed = $0 { return true }; return false }
                if case .sessionDestroyed(_, let s)? = e { stats = s }
            }
            return (status, stats)
        }

        /// Sends `payloads` as PCMU RTP paced at 20 ms; returns the CLOCK_MONOTONIC send time of each.
        func sendPaced(_ payloads: [[UInt8]], firstSequence: Int = 0) -> [UInt64] {
            var times: [UInt64] = []
            let t0 = tb_monotonic_ns() + 5_000_000
            for (k, p) in payloads.enumerated() {
                sleepUntil(t0 + UInt64(k) * 20_000_000)
                let seq = firstSequence + k
                times.append(tb_monotonic_ns())
                peer.send(Packets.rtp(pt: 0, seq: UInt16(truncatingIfNeeded: seq), marker: k == 0, payload: p), to: leg.local)
                // Keep the peer's receive queue short (the line sends toward it).
                while peer.receive(timeoutMilliseconds: 0) != nil {}
            }
            return times
        }

        /// The allocation measurement of a line session: 1 s of a PCMU tone to warm up, then the allocation
        /// counter over 5 s more (250 packets, 500 periods of 10 ms). Returns the counts and the line's
        /// status before and after the measured part.
        func measureSteadyStateAllocations() -> (allocations: Int, frees: Int, before: LineAudioStatus, after: LineAudioStatus) {
            let tone = Tone.ulaw(Tone.samples(160 * 300))
            let payloads = (0..<300).map { Array(tone[$0 * 160 ..< ($0 + 1) * 160]) }
            _ = sendPaced(Array(payloads[0..<50]))             // warm-up: 1 s
            _ = engine.pollEvents { _ in }
            let before = engine.lineStatus
            tb_alloc_counter_reset()
            _ = sendPaced(Array(payloads[50...]), firstSequence: 50)   // 5 s: 500 periods of 10 ms
            let allocations = Int(tb_alloc_counter_allocations())
            let frees = Int(tb_alloc_counter_frees())
            return (allocations, frees, before, engine.lineStatus)
        }
    }

    /// The thread moved one period per period of its clock: written, read and moved all follow it.
    static func expectPaced(_ s: LineAudioStatus, wakeups: UInt64, ticks: UInt64, packetsIn: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        print("line pacing: clock \(s.clockPeriods) periods, moved \(s.periodsMoved), written \(s.periodsWritten), read \(s.periodsRead), "
              + "late \(s.playbackLate)/\(s.captureLate), overruns \(s.clockOverruns), xruns \(s.playbackXruns)/\(s.captureXruns); "
              + "thread wake-ups \(wakeups) for \(ticks) engine ticks + \(s.clockPeriods) line periods + \(packetsIn) packets")
        #expect(s.clockPeriods > 20, sourceLocation: sourceLocation)
        #expect(s.periodsMoved + s.clockOverruns == s.clockPeriods, sourceLocation: sourceLocation)
        #expect(abs(Int(s.periodsWritten) - Int(s.clockPeriods)) <= 2, "written \(s.periodsWritten) vs clock \(s.clockPeriods)", sourceLocation: sourceLocation)
        #expect(abs(Int(s.periodsRead) - Int(s.clockPeriods)) <= 2, "read \(s.periodsRead) vs clock \(s.clockPeriods)", sourceLocation: sourceLocation)
        #expect(wakeups <= ticks + s.clockPeriods + UInt64(packetsIn) + 50, "the thread woke \(wakeups) times: it spins", sourceLocation: sourceLocation)
    }

    @Test func toneSentAsRTPComesOutOnTheLineAtTheRightLevelAndLength() throws {
        var rig = try LineRig(fixture: 0)
        let up = try rig.openLine(period: 20)
        guard case .lineAudioUp(let format)? = up else { Issue.record("line not up: \(String(describing: up))"); return }
        #expect(format.rate == 8000 && format.periodFrames == 160)
        try rig.createSession()
        LineFixture.tone("\(rig.dir)/tone.raw", seconds: 2)
        let source = LineFixture.readRaw("\(rig.dir)/tone.raw")
        #expect(source.count == 16_000)
        let ulaw = source.map(G711.linearToUlaw)
        let payloads = (0..<100).map { Array(ulaw[$0 * 160 ..< ($0 + 1) * 160]) }
        let wakeups0 = rig.engine.shared.wakeups.load(ordering: .relaxed)
        let ticks0 = rig.engine.shared.ticks.load(ordering: .relaxed)
        let opened = tb_monotonic_ns()
        _ = rig.sendPaced(payloads)
        usleep(300_000)
        let (status, stats) = try rig.finish()
        let elapsed = Double(tb_monotonic_ns() - opened) / 1e9
        let wakeups = rig.engine.shared.wakeups.load(ordering: .relaxed) - wakeups0
        let ticks = rig.engine.shared.ticks.load(ordering: .relaxed) - ticks0
        Self.expectPaced(status, wakeups: wakeups, ticks: ticks, packetsIn: 100)

        let out = LineFixture.readRaw("\(rig.dir)/out.raw")
        // Exactly the prefill plus one period per period written: the device did not pace anything.
        #expect(out.count == 160 + Int(status.periodsWritten) * 160)
        #expect(Double(out.count) / 8000 <= elapsed + 0.1, "\(Double(out.count) / 8000) s of audio in \(elapsed) s: not more than the clock")
        let loud = out.indices.filter { abs(Int(out[$0])) > 2000 }
        let first = try #require(loud.first)
        let last = try #require(loud.last)
        let length = last - first + 1
        print("line playback: tone of \(length) samples (\(Double(length) / 8000) s) in \(out.count) written; jitter buffer \(status.jitter)")
        #expect(length >= 16_000 - 160 && length <= 16_000 + 480 + 160, "2 s of tone (plus at most the 60 ms concealment fade)")
        let decoded = ulaw.map(G711.ulawToLinear)
        let input = toneLevel(decoded[800 ..< 15_200])
        let output = toneLevel(out[(first + 800) ..< (first + 15_200)])
        print("line playback: 1 kHz in \(input) dBFS, out \(output) dBFS; RMS in \(rmsLevel(decoded[800 ..< 15_200])), out \(rmsLevel(out[(first + 800) ..< (first + 15_200)]))")
        #expect(abs(output - input) <= 1, "1 kHz level within 1 dB")
        #expect(abs(rmsLevel(out[(first + 800) ..< (first + 15_200)]) - rmsLevel(decoded[800 ..< 15_200])) <= 1)
        #expect(status.jitter.played == 100)
        #expect(status.jitter.late == 0)
        #expect(stats?.a.packetsReceived == 100)
    }

    @Test func captureFromTheLineComesOutAsRTP() throws {
        var rig = try LineRig(fixture: 1, captureSeconds: 3)
        let up = try rig.openLine(period: 10)
        guard case .lineAudioUp? = up else { Issue.record("line not up: \(String(describing: up))"); return }
        let wakeups0 = rig.engine.shared.wakeups.load(ordering: .relaxed)
        let ticks0 = rig.engine.shared.ticks.load(ordering: .relaxed)
        try rig.createSession()
        var received: [[UInt8]] = []
        let deadline = tb_monotonic_ns() + 3_000_000_000
        while received.count < 75 && tb_monotonic_ns() < deadline {
            if let got = rig.peer.receive(timeoutMilliseconds: 100) { received.append(got.bytes) }
        }
        let (status, stats) = try rig.finish()
        let wakeups = rig.engine.shared.wakeups.load(ordering: .relaxed) - wakeups0
        let ticks = rig.engine.shared.ticks.load(ordering: .relaxed) - ticks0
        Self.expectPaced(status, wakeups: wakeups, ticks: ticks, packetsIn: 0)
        #expect(received.count == 75)
        let headers = received.compactMap { $0.withUnsafeBytes { RTPHeader.parse($0) } }
        #expect(headers.count == received.count)
        #expect(headers.allSatisfy { $0.ssrc == 0x1_1AE && $0.payloadType == 0 && $0.payloadLength == 160 })
        #expect(headers.first?.marker == true && headers.first?.sequence == 1000 && headers.first?.timestamp == 80_000)
        #expect(zip(headers, headers.dropFirst()).allSatisfy { $1.sequence == $0.sequence &+ 1 && $1.timestamp == $0.timestamp &+ 160 })
        let pcm = received.flatMap { $0[12...].map(G711.ulawToLinear) }
        let infile = LineFixture.readRaw("\(rig.dir)/in.raw")
        let input = toneLevel(infile[800 ..< 8800])
        let output = toneLevel(pcm[800 ..< 8800])
        print("line capture: 1 kHz in the capture file \(input) dBFS, decoded from RTP \(output) dBFS; \(received.count) packets")
        #expect(abs(output - input) <= 1, "1 kHz level within 1 dB")
        #expect((stats?.a.packetsSent ?? 0) >= 75)
    }

    @Test func missingDeviceIsReportedAndTheSessionStillCarriesRTP() throws {
        var rig = try LineRig(fixture: nil)
        let down = try rig.openLine(period: 20, retryMilliseconds: 100)
        guard case .lineAudioDown(let fault)? = down else { Issue.record("expected line audio down, got \(String(describing: down))"); return }
        let message = rig.engine.lineAudioMessage(fault)
        print("missing device: \(message)")
        #expect(message.hasPrefix("line audio down: nosuchline: "))
        #expect(message.count > "line audio down: nosuchline: ".count)
        #expect(fault.stage == .open)
        #expect(rig.engine.lineStatus.up == false)
        #expect(rig.engine.lineStatus.lastError == message)
        try rig.createSession()
        var got = 0
        let t0 = tb_monotonic_ns()
        for k in 0..<20 {
            sleepUntil(t0 + UInt64(k) * 20_000_000)
            rig.peer.send(Packets.rtp(pt: 0, seq: UInt16(k), payload: [UInt8](repeating: 0xFF, count: 160)), to: rig.leg.local)
            while let p = rig.peer.receive(timeoutMilliseconds: 0) {
                if p.bytes.withUnsafeBytes({ RTPHeader.parse($0) })?.ssrc == 0x1_1AE { got += 1 }
            }
        }
        #expect(got >= 10, "the line session sends its stream (silence) while the device is down: \(got) packets")
        // The retry runs from the control side and reports again.
        usleep(150_000)
        rig.engine.maintainLine()
        let (again, _) = rig.engine.waitFor { if case .lineAudioDown = $0 { return true }; return false }
        #expect(again != nil, "a retry reports the line still down")
        let (status, stats) = try rig.finish()
        #expect(status.clockPeriods > 10, "the line clock ran while the device was down")
        #expect(stats?.a.packetsReceived == 20)
        #expect((stats?.a.packetsSent ?? 0) >= 10)
        #expect(status.jitter.received == 20)
    }

    @Test func mediaThreadDoesNotAllocateWithALineSession() throws {
        var configuration = testConfiguration()
        configuration.threadStartHook = tb_alloc_counter_register_thread
        configuration.statsIntervalMilliseconds = 100
        configuration.oneWayAudioMilliseconds = 0
        var rig = try LineRig(fixture: 2, configuration: configuration, captureSeconds: 8)
        let up = try rig.openLine(period: 10)
        guard case .lineAudioUp? = up else { Issue.record("line not up: \(String(describing: up))"); return }
        try rig.createSession()
        let (allocations, frees, before, after) = rig.measureSteadyStateAllocations()
        let periods = after.periodsMoved - before.periodsMoved
        print("line allocation test: \(allocations) allocations, \(frees) frees on the media thread over \(periods) line periods and 250 packets")
        #expect(periods >= 450)
        #expect(allocations == 0, "media thread allocated \(allocations) times with a line session")
        #expect(frees == 0)
        let (status, _) = try rig.finish()
        #expect(status.jitter.played >= 295)
        #expect(status.packetsSent >= 250)
    }

    /// Added latency from RTP arrival to playback (jitter buffer + period + prefill), no network jitter.
    /// A sample at position p of the playback file plays at (first write) + p / 8000 s. `trials` line
    /// sessions one after another, each started at a different phase of the line's period clock, each
    /// 1 s of PCMU (silence with two 20 ms tone bursts) paced at 20 ms.
    static func measureLineLatency(period: Int, fixture: Int, trials: Int = 8) throws -> (mean: Double, max: Double, min: Double, count: Int) {
        var rig = try LineRig(fixture: fixture)
        guard case .lineAudioUp? = try rig.openLine(period: period) else { return (0, .infinity, 0, 0) }
        let burst = Tone.ulaw(Tone.samples(160))
        let silence = [UInt8](repeating: 0xFF, count: 160)
        let payloads = (0..<50).map { $0 == 10 || $0 == 35 ? burst : silence }
        var burstTimes: [UInt64] = []
        for trial in 0..<trials {
            usleep(UInt32(100_000 + trial * period * 1000 / trials))
            // The previous session's sockets went with it.
            if trial > 0 { rig.leg = try MediaSocketPair.open(local: loopback, rtcpMux: true) }
            try rig.createSession { $0.ssrc = UInt32(trial + 1) }
            let sent = rig.sendPaced(payloads, firstSequence: trial * 1000)
            burstTimes += [sent[10], sent[35]]
            usleep(100_000)
            try rig.engine.destroySession(rig.id)
            _ = rig.engine.waitFor { if case .sessionDestroyed = $0 { return true }; return false }
            rig.id = nil
        }
        let (status, _) = try rig.finish()
        let out = LineFixture.readRaw("\(rig.dir)/out.raw")
        var onsets: [Int] = []
        var quiet = 0
        for (i, x) in out.enumerated() {
            if abs(Int(x)) > 1000 {
                if quiet >= 400 { onsets.append(i - 1) }   // the burst's first sample is sin(0) = 0
                quiet = 0
            } else {
                quiet += 1
            }
        }
        guard onsets.count == burstTimes.count else { return (0, .infinity, 0, onsets.count) }
        let latencies = zip(onsets, burstTimes).map { p, t in
            (Double(status.firstWriteNs) + Double(p) * 125_000 - Double(t)) / 1e6
        }
        return (latencies.reduce(0, +) / Double(latencies.count), latencies.max()!, latencies.min()!, latencies.count)
    }

    @Test(arguments: [10, 20]) func addedLatencyToTheLineIsAtMost40ms(period: Int) throws {
        let r = try Self.measureLineLatency(period: period, fixture: period == 10 ? 3 : 4)
        print("line latency, \(period) ms period: mean \(r.mean) ms, min \(r.min) ms, max \(r.max) ms over \(r.count) bursts")
        #expect(r.count == 16)
        #expect(r.max <= 40, "added latency \(r.max) ms")
    }
}
