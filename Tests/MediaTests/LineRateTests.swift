// LineRateTests: the line on a card at 16, 44.1 and 48 kHz through alsa-lib's `file` plugin: the engine's speexdsp adapter, tone to playback and capture to RTP at frequency and level, the status, no allocation on the media thread.
import Testing
import Foundation
import Glibc
import CShim
import CAllocCounter
import MediaCore
import MediaCodecs
@testable import Media

/// Level of the `frequency` component of `pcm` sampled at `rate`, in dBFS (Goertzel over the block).
func toneLevel(_ pcm: ArraySlice<Int16>, frequency: Double, rate: Int) -> Double {
    Array(pcm).withUnsafeBufferPointer {
        ToneMeter.levelDBFS(meanSquare: ToneMeter.power(of: frequency, in: $0, sampleRate: Double(rate)))
    }
}

/// The frequency of a pure tone in `pcm` sampled at `rate`, from its rising zero crossings (interpolated).
func zeroCrossingFrequency(_ pcm: ArraySlice<Int16>, rate: Int) -> Double {
    var crossings: [Double] = []
    var previous = Double(pcm[pcm.startIndex])
    for i in (pcm.startIndex + 1)..<pcm.endIndex {
        let x = Double(pcm[i])
        if previous < 0 && x >= 0 { crossings.append(Double(i - 1) + -previous / (x - previous)) }
        previous = x
    }
    guard crossings.count > 2 else { return 0 }
    return Double(crossings.count - 1) * Double(rate) / (crossings.last! - crossings.first!)
}

extension MediaEngineTests {
    /// A raw mono S16_LE tone at `rate` made by sox.
    static func cardTone(_ path: String, rate: Int, seconds: Double, frequency: Int, volume: Double = 0.5) {
        LineFixture.sox(["-n", "-r", "\(rate)", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", path,
                         "synth", "\(seconds)", "sine", "\(frequency)", "vol", "\(volume)"])
    }

    @Test(arguments: [16_000, 44_100, 48_000]) func toneSentAsRTPComesOutAtTheCardRateAt1kHzAndLevel(rate: Int) throws {
        var rig = try LineRig(fixture: 0)
        let up = try rig.openLine(period: 20, rate: rate)
        guard case .lineAudioUp(let format)? = up else { Issue.record("line not up: \(String(describing: up))"); return }
        #expect(format.rate == UInt32(rate) && format.periodFrames == UInt32(rate / 50))
        let opened = rig.engine.lineStatus
        #expect(opened.resampling && opened.requestedRate == rate && opened.resampler?.quality == 5)
        try rig.createSession()
        LineFixture.tone("\(rig.dir)/tone.raw", seconds: 2)
        let ulaw = LineFixture.readRaw("\(rig.dir)/tone.raw").map(G711.linearToUlaw)
        let payloads = (0..<100).map { Array(ulaw[$0 * 160 ..< ($0 + 1) * 160]) }
        _ = rig.sendPaced(payloads)
        usleep(300_000)
        let (status, _) = try rig.finish()
        #expect(status.format?.rate == UInt32(rate))
        #expect(!status.resampling && status.resampler == nil, "the resampler goes with the device")

        let out = LineFixture.readRaw("\(rig.dir)/out.raw")
        let frames = rate / 50
        // The prefill and one card period per period written, at the card's rate.
        #expect(out.count == frames + Int(status.periodsWritten) * frames)
        let loud = out.indices.filter { abs(Int(out[$0])) > 2000 }
        let first = try #require(loud.first)
        let last = try #require(loud.last)
        let seconds = Double(last - first + 1) / Double(rate)
        let decoded = ulaw.map(G711.ulawToLinear)
        let input = toneLevel(decoded[800 ..< 15_200], frequency: 1000, rate: 8000)
        let middle = out[(first + rate / 10) ..< (first + rate * 19 / 10)]
        let output = toneLevel(middle, frequency: 1000, rate: rate)
        let frequency = zeroCrossingFrequency(middle, rate: rate)
        print("line at \(rate) Hz, playback: tone of \(seconds) s, \(frequency) Hz; 1 kHz in \(input) dBFS, out \(output) dBFS, RMS out \(rmsLevel(middle)) dBFS; "
              + "resampler \(String(describing: opened.resampler))")
        #expect(seconds >= 1.98 && seconds <= 2.08, "2 s of tone (plus at most the 60 ms concealment fade)")
        #expect(abs(frequency - 1000) <= 1, "the tone is at 1 kHz at the card's rate: \(frequency) Hz")
        #expect(abs(output - input) <= 1, "1 kHz level within 1 dB")
        #expect(rmsLevel(middle) - output <= 0.5, "nothing but the tone: RMS \(rmsLevel(middle)) dBFS, 1 kHz \(output) dBFS")
        #expect(status.jitter.played == 100)
    }

    @Test(arguments: [16_000, 44_100, 48_000]) func captureAtTheCardRateReachesRTPAt600HzAndLevel(rate: Int) throws {
        var rig = try LineRig(fixture: 1)
        Self.cardTone("\(rig.dir)/in.raw", rate: rate, seconds: 4, frequency: 600)
        let up = try rig.openLine(period: 10, rate: rate)
        guard case .lineAudioUp(let format)? = up else { Issue.record("line not up: \(String(describing: up))"); return }
        #expect(format.rate == UInt32(rate) && format.periodFrames == UInt32(rate / 100))
        #expect(rig.engine.lineStatus.resampling)
        try rig.createSession()
        var received: [[UInt8]] = []
        let deadline = tb_monotonic_ns() + 3_000_000_000
        while received.count < 75 && tb_monotonic_ns() < deadline {
            if let got = rig.peer.receive(timeoutMilliseconds: 100) { received.append(got.bytes) }
        }
        _ = try rig.finish()
        #expect(received.count == 75)
        let headers = received.compactMap { $0.withUnsafeBytes { RTPHeader.parse($0) } }
        #expect(headers.allSatisfy { $0.ssrc == 0x1_1AE && $0.payloadType == 0 && $0.payloadLength == 160 })
        #expect(zip(headers, headers.dropFirst()).allSatisfy { $1.sequence == $0.sequence &+ 1 && $1.timestamp == $0.timestamp &+ 160 })
        let pcm = received.flatMap { $0[12...].map(G711.ulawToLinear) }
        let infile = LineFixture.readRaw("\(rig.dir)/in.raw")
        let input = toneLevel(infile[rate / 10 ..< rate * 11 / 10], frequency: 600, rate: rate)
        let output = toneLevel(pcm[800 ..< 8800], frequency: 600, rate: 8000)
        let frequency = zeroCrossingFrequency(pcm[800 ..< 8800], rate: 8000)
        print("line at \(rate) Hz, capture: 600 Hz in the capture file \(input) dBFS, decoded from RTP \(output) dBFS at \(frequency) Hz (RMS \(rmsLevel(pcm[800 ..< 8800])) dBFS)")
        #expect(abs(frequency - 600) <= 1, "600 Hz in the RTP: \(frequency) Hz")
        #expect(abs(output - input) <= 1, "600 Hz level within 1 dB")
        #expect(rmsLevel(pcm[800 ..< 8800]) - output <= 0.5, "nothing but the tone")
    }

    @Test func mediaThreadDoesNotAllocateWithTheRateAdapterAt48kHz() throws {
        var configuration = testConfiguration()
        configuration.threadStartHook = tb_alloc_counter_register_thread
        configuration.statsIntervalMilliseconds = 100
        configuration.oneWayAudioMilliseconds = 0
        var rig = try LineRig(fixture: 2, configuration: configuration)
        Self.cardTone("\(rig.dir)/in.raw", rate: 48_000, seconds: 8, frequency: 600)
        let up = try rig.openLine(period: 10, rate: 48_000)
        guard case .lineAudioUp(let format)? = up, format.rate == 48_000 else { Issue.record("line not up at 48 kHz: \(String(describing: up))"); return }
        #expect(rig.engine.lineStatus.resampling)
        try rig.createSession()
        let (allocations, frees, before, after) = rig.measureSteadyStateAllocations()
        let periods = after.periodsMoved - before.periodsMoved
        let read = after.periodsRead - before.periodsRead
        print("line allocation test at 48 kHz: \(allocations) allocations, \(frees) frees on the media thread over \(periods) line periods (\(read) read, resampled) and 250 packets")
        #expect(tb_alloc_counter_is_interposing() == 1)
        #expect(periods >= 450 && read >= 450)
        #expect(allocations == 0, "media thread allocated \(allocations) times with the rate adapter")
        #expect(frees == 0)
        let (status, _) = try rig.finish()
        #expect(status.jitter.played >= 295)
        #expect(status.packetsSent >= 250)
    }
}

@Suite("Line resampler")
struct LineResamplerTests {
    @Test(arguments: [(16_000, 10), (44_100, 10), (44_100, 20), (48_000, 20)])
    func givesExactlyOnePeriodEachWayWithoutAllocating(rate: Int, period: Int) throws {
        let r = try LineResampler(cardRate: rate, periodMilliseconds: period)
        let adapter = r.adapter
        let line = 8 * period, card = rate * period / 1000
        let input = UnsafeMutablePointer<Int16>.allocate(capacity: line)
        let device = UnsafeMutablePointer<Int16>.allocate(capacity: card)
        let back = UnsafeMutablePointer<Int16>.allocate(capacity: line)
        defer { input.deallocate(); device.deallocate(); back.deallocate() }
        var returned: [Int16] = []
        returned.reserveCapacity(200 * line)
        var short = 0
        tb_alloc_counter_reset()
        tb_alloc_counter_register_thread()
        for p in 0..<200 {
            for i in 0..<line {
                input[i] = Int16(16_000 * sin(2 * Double.pi * 1000 * Double(p * line + i) / 8000))
            }
            let toCard = Int(adapter.toDevice(adapter.context, input, Int32(line), device, Int32(card)))
            let fromCard = Int(adapter.fromDevice(adapter.context, device, Int32(card), back, Int32(line)))
            if p > 1 && (toCard != card || fromCard != line) { short += 1 }
            for i in 0..<fromCard { returned.append(back[i]) }
        }
        tb_alloc_counter_unregister_thread()
        #expect(tb_alloc_counter_allocations() == 0)
        #expect(short == 0, "after the filters' start every call gives a whole period")
        #expect(r.toCard.dropped == 0 && r.fromCard.dropped == 0)
        let tail = returned[(returned.count - 8000)...]
        let level = toneLevel(tail, frequency: 1000, rate: 8000)
        print("resampler 8000 <-> \(rate) Hz, \(period) ms: round trip 1 kHz at \(level) dBFS, \(zeroCrossingFrequency(tail, rate: 8000)) Hz, delay \(r.delayMilliseconds) ms")
        let sent = (0..<8000).map { Int16(16_000 * sin(2 * Double.pi * 1000 * Double($0) / 8000)) }
        #expect(abs(level - toneLevel(sent[...], frequency: 1000, rate: 8000)) <= 0.5)
        #expect(abs(zeroCrossingFrequency(tail, rate: 8000) - 1000) <= 0.5)
    }
}
