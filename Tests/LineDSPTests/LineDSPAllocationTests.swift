// LineDSPAllocationTests: after init, no processor allocates per period (CAllocCounter counts this thread's mallocs).
import Testing
import Foundation
import CAllocCounter
@testable import LineDSP
import LineTestSupport

/// Counts the allocations `body` makes on this thread.
func allocations(_ body: () -> Void) -> UInt64 {
    tb_alloc_counter_reset()
    tb_alloc_counter_register_thread()
    body()
    tb_alloc_counter_unregister_thread()
    return tb_alloc_counter_allocations()
}

// Serialized: the counter is process-wide.
@Suite(.serialized) struct LineDSPAllocationTests {
    @Test func theCounterCounts() {
        var made = 0
        let counted = allocations { let a = [Int](repeating: 1, count: 1000); made = a.count }
        #expect(made == 1000)
        #expect(counted >= 1)
        #expect(tb_alloc_counter_is_interposing() == 1)
    }

    // Each measured body runs once first on throwaway processors, uncounted: run alone, a suite otherwise
    // counted the runtime's one-time work (type metadata, lazy globals) that other suites had already done.
    @Test func dtmfDetectorAndGenerator() throws {
        let audio = try soxDigits("1234#", on: 0.06, off: 0.06)
        func exercise(_ detector: DTMFDetector, _ generator: DTMFGenerator, _ out: inout [Int16]) -> Int {
            var digits = 0
            PCM.periods(audio) { p, _ in detector.process(p) { if $0.kind == .start { digits += 1 } } }
            out.withUnsafeMutableBufferPointer { buffer in
                for _ in 0..<20 { generator.render(into: buffer) }
                _ = generator.startEvent(5)
                for _ in 0..<10 { generator.render(into: buffer) }
                generator.stopEvent()
                generator.render(into: buffer)
            }
            return digits
        }
        var out = [Int16](repeating: 0, count: 160)
        let warmDetector = try #require(DTMFDetector()), warmGenerator = try #require(DTMFGenerator())
        warmGenerator.dial("5")
        #expect(exercise(warmDetector, warmGenerator, &out) == 5)
        let detector = try #require(DTMFDetector())
        let generator = try #require(DTMFGenerator())
        PCM.periods(PCM.silence(seconds: 0.1)) { p, _ in detector.process(p) { _ in } }     // warm-up
        generator.dial("5")
        var digits = 0
        let count = allocations { digits = exercise(detector, generator, &out) }
        #expect(digits == 5)
        #expect(count == 0)
    }

    @Test func callProgressDetector() throws {
        let audio = try Sox.dual("0.5 sine 480 sine 620 vol 0.1", post: "pad 0 0.5 repeat 3")
        func exercise(_ detector: CallProgressDetector) -> Int {
            var tones = 0
            PCM.periods(audio) { p, _ in if detector.process(p) != nil { tones += 1 } }
            return tones
        }
        #expect(exercise(CallProgressDetector(configuration: .init(tones: .us))) > 0)
        let detector = CallProgressDetector(configuration: .init(tones: .us))
        var tones = 0
        let count = allocations { tones = exercise(detector) }
        #expect(tones > 0)
        #expect(detector.current == .busy)
        #expect(count == 0)
    }

    @Test func callerIDReceiverIncludingTheMessage() throws {
        let receiver = try #require(CallerIDReceiver(standard: .bell202))
        let audio = PCM.silence(seconds: 0.2) + FSKCallerIDBurst.bell202.audio(FSKCallerIDBurst.mdmf(CallerIDTests.parameters))
        var events = 0
        let count = allocations { PCM.periods(audio) { p, _ in if receiver.process(p) != nil { events += 1 } } }
        #expect(events == 1)
        #expect(count == 0)
    }

    @Test func echoCancellerAndResampler() throws {
        let canceller = try #require(EchoCanceller(options: .init(tailMilliseconds: 128)))
        let sent = speechLike(seconds: 5, seed: 9)
        var received = hybridEcho(sent)
        let up = try Resampler(from: 8000, to: 44_100)
        let down = try Resampler(from: 44_100, to: 8000)
        var wide = [Int16](repeating: 0, count: up.outputCapacity(forInput: 160))
        var narrow = [Int16](repeating: 0, count: 200)
        let count = allocations {
            sent.withUnsafeBufferPointer { tx in
                received.withUnsafeMutableBufferPointer { rx in
                    wide.withUnsafeMutableBufferPointer { w in
                        narrow.withUnsafeMutableBufferPointer { n in
                            for p in 0..<(tx.count / 160) {
                                let period = UnsafeBufferPointer(rebasing: tx[(p * 160)..<(p * 160 + 160)])
                                canceller.process(received: UnsafeMutableBufferPointer(rebasing: rx[(p * 160)..<(p * 160 + 160)]), sent: period)
                                let made = up.process(period, into: w)
                                down.process(UnsafeBufferPointer(rebasing: w[0..<made]), into: n)
                            }
                        }
                    }
                }
            }
        }
        #expect(canceller.erleDB != nil)
        #expect(count == 0)
    }
}
