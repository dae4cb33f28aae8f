// LineResampler: the speexdsp rate adapter of a sound card that does not run at 8 kHz: two LineDSP Resamplers behind a LineRateAdapter, made on the control side. Realtime: `convert` never allocates.
import LineDSP

/// Converts the line's 8 kHz audio to and from the card's rate with speexdsp (LineDSP's `Resampler`), one
/// period per call on the media thread. The engine makes one on the control side when the card is
/// opened at another rate (asked for, or the rate alsa-lib gave instead of 8 kHz), hands its `adapter`
/// to the thread with the device, and frees it with the device once the thread has let go of both.
///
/// Each direction writes into a small FIFO and gives the media thread exactly one period from it, so a
/// resampler that makes a sample more or less in one call (a rate whose period is not a whole number
/// of 8 kHz samples) never loses or repeats audio; at 16, 44.1 and 48 kHz the FIFO stays empty after the
/// first period (the filter's start, which `skip_zeros` shortens, is padded with silence by the thread).
final class LineResampler {
    /// One direction: the resampler, its FIFO of converted samples, and what is in it.
    struct Direction {
        let resampler: Resampler
        let fifo: UnsafeMutablePointer<Int16>
        let capacity: Int
        var count = 0
        /// Samples dropped because the FIFO held more than a period (a consumer slower than the producer).
        var dropped = 0
    }

    let cardRate: Int
    let periodMilliseconds: Int
    let quality: Int
    private(set) var toCard: Direction
    private(set) var fromCard: Direction

    /// Resamplers between 8 kHz and `cardRate` for `periodMilliseconds` periods, at speexdsp `quality` (0...10).
    init(cardRate: Int, periodMilliseconds: Int, quality: Int = 5) throws(Resampler.Failure) {
        let linePeriod = 8 * periodMilliseconds
        let cardPeriod = cardRate * periodMilliseconds / 1000
        let up = try Resampler(from: 8000, to: cardRate, quality: quality)
        let down = try Resampler(from: cardRate, to: 8000, quality: quality)
        self.cardRate = cardRate
        self.periodMilliseconds = periodMilliseconds
        self.quality = quality
        toCard = LineResampler.direction(up, capacity: up.outputCapacity(forInput: linePeriod) + cardPeriod + 16)
        fromCard = LineResampler.direction(down, capacity: down.outputCapacity(forInput: cardPeriod) + linePeriod + 16)
    }

    deinit {
        toCard.fifo.deallocate()
        fromCard.fifo.deallocate()
    }

    private static func direction(_ resampler: Resampler, capacity: Int) -> Direction {
        let fifo = UnsafeMutablePointer<Int16>.allocate(capacity: capacity)
        fifo.initialize(repeating: 0, count: capacity)
        return Direction(resampler: resampler, fifo: fifo, capacity: capacity)
    }

    /// The adapter the media thread calls (context: this object, unretained; the engine keeps it alive
    /// until the thread has let go of the device).
    var adapter: LineRateAdapter {
        LineRateAdapter(
            context: Unmanaged.passUnretained(self).toOpaque(),
            toDevice: { context, input, frames, output, capacity in
                guard let context else { return 0 }
                let me = Unmanaged<LineResampler>.fromOpaque(context).takeUnretainedValue()
                return Int32(LineResampler.convert(&me.toCard, input, Int(frames), output, Int(capacity)))
            },
            fromDevice: { context, input, frames, output, capacity in
                guard let context else { return 0 }
                let me = Unmanaged<LineResampler>.fromOpaque(context).takeUnretainedValue()
                return Int32(LineResampler.convert(&me.fromCard, input, Int(frames), output, Int(capacity)))
            })
    }

    /// Resamples `frames` of `input` into the FIFO and gives at most `capacity` of the FIFO to `output`;
    /// returns how many it gave. Keeps at most one period (`capacity`) back.
    static func convert(_ d: inout Direction, _ input: UnsafePointer<Int16>, _ frames: Int,
                        _ output: UnsafeMutablePointer<Int16>, _ capacity: Int) -> Int {
        guard frames > 0, capacity > 0 else { return 0 }
        let room = d.capacity - d.count
        let produced = d.resampler.process(UnsafeBufferPointer(start: input, count: frames),
                                           into: UnsafeMutableBufferPointer(start: d.fifo + d.count, count: room))
        d.count += produced
        let give = min(d.count, capacity)
        output.update(from: d.fifo, count: give)
        var rest = d.count - give
        var from = give
        if rest > capacity {
            d.dropped += rest - capacity
            from += rest - capacity
            rest = capacity
        }
        if rest > 0 { d.fifo.update(from: d.fifo + from, count: rest) }
        d.count = rest
        return give
    }

    /// Samples of delay the two filters add together, in ms (what resampling adds to the round trip).
    var delayMilliseconds: Double {
        Double(toCard.resampler.inputLatency) / 8.0 + Double(fromCard.resampler.inputLatency) * 1000 / Double(cardRate)
    }
}

@available(*, unavailable)
extension LineResampler: Sendable {}
