// ToneMeter: single-frequency power by the Goertzel algorithm and signal levels, to prove a tone survived a media path.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures how much of a block of 16-bit PCM is one frequency. Pure arithmetic, no allocation.
public enum ToneMeter {
    /// Mean power of the `frequency` component of `samples` (Goertzel), in the same units as
    /// `meanSquare`: a full-block sine of amplitude A gives about A²/2.
    public static func power(of frequency: Double, in samples: UnsafeBufferPointer<Int16>, sampleRate: Double = 8000) -> Double {
        let n = samples.count
        guard n > 0 else { return 0 }
        let k = (Double(n) * frequency / sampleRate).rounded()
        let omega = 2 * Double.pi * k / Double(n)
        let coefficient = 2 * cos(omega)
        var s1 = 0.0, s2 = 0.0
        for x in samples {
            let s0 = Double(x) + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let magnitudeSquared = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        return 2 * magnitudeSquared / (Double(n) * Double(n))
    }

    /// Mean of the squared samples (total power).
    public static func meanSquare(_ samples: UnsafeBufferPointer<Int16>) -> Double {
        guard !samples.isEmpty else { return 0 }
        var sum = 0.0
        for x in samples { sum += Double(x) * Double(x) }
        return sum / Double(samples.count)
    }

    /// Level relative to a full-scale sine (amplitude 32767), in dB.
    public static func levelDBFS(meanSquare: Double) -> Double {
        guard meanSquare > 0 else { return -.infinity }
        return 10 * log10(meanSquare / (32767.0 * 32767.0 / 2))
    }
}
