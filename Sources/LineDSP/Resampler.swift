// Resampler: sample-rate conversion between the line's 8 kHz and a sound card's rate (16, 44.1, 48 kHz) with speexdsp. Realtime: no allocation after init.
import CSpeexDSP

/// Converts mono 16-bit PCM from one rate to another, one period at a time (speexdsp's polyphase
/// windowed-sinc resampler; state carries across periods, so consecutive periods join seamlessly).
/// Everything is made in `init`; `process` never allocates. Not thread-safe: one owner.
public final class Resampler {
    public let inputRate: Int
    public let outputRate: Int
    private let state: OpaquePointer

    /// Errors making a resampler.
    public enum Failure: Error, Sendable, Hashable {
        case unsupportedRates(Int, Int)
        case speex(Int32)
    }

    /// Makes a resampler. `quality` is speexdsp's 0 (fastest) to 10 (best); 5 is its "desktop" quality
    /// (about 0.1 dB passband ripple to 3.4 kHz), cheap at telephone rates.
    public init(from inputRate: Int, to outputRate: Int, quality: Int = 5) throws(Failure) {
        guard inputRate > 0, outputRate > 0 else { throw .unsupportedRates(inputRate, outputRate) }
        var error: Int32 = 0
        guard let state = speex_resampler_init(1, spx_uint32_t(inputRate), spx_uint32_t(outputRate), Int32(quality), &error),
              error == 0 else { throw .speex(error) }
        self.state = state
        self.inputRate = inputRate
        self.outputRate = outputRate
        speex_resampler_skip_zeros(state)
    }

    deinit { speex_resampler_destroy(state) }

    /// Output samples one period of `inputSamples` makes (rounded up): the buffer size to give `process`.
    public func outputCapacity(forInput inputSamples: Int) -> Int {
        (inputSamples * outputRate + inputRate - 1) / inputRate + 1
    }

    /// Converts `input` into `output`; returns how many output samples were written. All input is consumed
    /// when `output` has `outputCapacity(forInput:)` room.
    @discardableResult
    public func process(_ input: UnsafeBufferPointer<Int16>, into output: UnsafeMutableBufferPointer<Int16>) -> Int {
        guard let inBase = input.baseAddress, let outBase = output.baseAddress else { return 0 }
        var inLength = spx_uint32_t(input.count)
        var outLength = spx_uint32_t(output.count)
        speex_resampler_process_int(state, 0, inBase, &inLength, outBase, &outLength)
        return Int(outLength)
    }

    /// Samples of delay the filter adds, at the input rate.
    public var inputLatency: Int { Int(speex_resampler_get_input_latency(state)) }

    /// Clears the filter history (after a device restart).
    public func reset() { speex_resampler_reset_mem(state) }
}

@available(*, unavailable)
extension Resampler: Sendable {}
