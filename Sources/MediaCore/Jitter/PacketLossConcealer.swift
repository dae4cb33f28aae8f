// PacketLossConcealer: repeat-and-fade concealment for G.711 audio toward a line (the last 10 ms repeated, fading out over 60 ms).
// Realtime: after `init`, every function allocates nothing and locks nothing; the caller owns `deallocate()`.

/// Conceals missing 8 kHz PCM by repeating the last `historySamples` played, attenuated linearly to
/// silence over `fadeSamples`, then silence; good audio after a loss fades back in over 2.5 ms so
/// the joint does not click. (G.729 conceals with its own lost-frame decode instead.)
public struct PacketLossConcealer {
    public let historySamples: Int
    public let fadeSamples: Int
    @usableFromInline let history: UnsafeMutablePointer<Int16>
    @usableFromInline var filled = 0
    @usableFromInline var position = 0
    // Samples concealed in the current loss (0: not concealing).
    @usableFromInline var concealed = 0
    @usableFromInline var fadeIn = 0
    @usableFromInline static let fadeInSamples = 20

    /// Allocates the history (on the control side).
    public init(historySamples: Int = 80, fadeSamples: Int = 480) {
        precondition(historySamples > 0 && fadeSamples > 0)
        self.historySamples = historySamples
        self.fadeSamples = fadeSamples
        history = .allocate(capacity: historySamples)
        history.initialize(repeating: 0, count: historySamples)
    }

    /// Frees the history.
    public func deallocate() { history.deallocate() }

    /// Records good audio about to be played (and fades it in after a concealment).
    public mutating func good(_ samples: UnsafeMutablePointer<Int16>, count: Int) {
        if concealed > 0 {
            concealed = 0
            fadeIn = PacketLossConcealer.fadeInSamples
        }
        for i in 0..<count {
            if fadeIn > 0 {
                let k = PacketLossConcealer.fadeInSamples - fadeIn
                samples[i] = Int16(Int(samples[i]) * k / PacketLossConcealer.fadeInSamples)
                fadeIn -= 1
            }
            history[position] = samples[i]
            position = position + 1 == historySamples ? 0 : position + 1
        }
        filled = min(historySamples, filled + count)
    }

    /// Writes `count` samples of concealment.
    public mutating func conceal(into out: UnsafeMutablePointer<Int16>, count: Int) {
        for i in 0..<count {
            if filled < historySamples || concealed >= fadeSamples {
                out[i] = 0
            } else {
                // The history read cyclically from its oldest sample, so the repeat is continuous.
                let s = Int(history[(position + concealed) % historySamples])
                out[i] = Int16(s * (fadeSamples - concealed) / fadeSamples)
            }
            concealed += 1
        }
    }

    /// Silence was played (between talk spurts): the next audio starts fresh.
    public mutating func silence() {
        concealed = 0
        fadeIn = 0
        filled = 0
        position = 0
    }
}
