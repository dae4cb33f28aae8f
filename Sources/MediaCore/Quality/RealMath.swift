// RealMath: natural log, exp, log10 and pow on Double from the standard library alone, for the E-model (no libm import).

/// Elementary functions to about 1e-15 relative accuracy, enough for G.107's formulas. MediaCore imports
/// nothing but the standard library, which has no transcendental functions.
enum RealMath {
    static let ln2 = 0.693147180559945309417232121458176568
    static let ln10 = 2.30258509299404568401799145468436421

    /// Natural logarithm; nan for x < 0 or nan, −infinity for 0.
    static func ln(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        // x = m·2^e with m in [1, 2); move m into [√½, √2) so s below is at most 0.172.
        var e = Double(x.exponent)
        var m = x.significand
        if m > 1.4142135623730951 {
            m /= 2
            e += 1
        }
        // ln m = 2·atanh(s), s = (m − 1)/(m + 1) = 2(s + s³/3 + s⁵/5 + ...).
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s, sum = 0.0
        var k = 1.0
        while true {
            let next = sum + term / k
            if next == sum { break }
            sum = next
            term *= s2
            k += 2
        }
        return 2 * sum + e * ln2
    }

    /// e^x; 0 below −745, infinity above 709.8.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x > 709.8 { return .infinity }
        if x < -745 { return 0 }
        // x = k·ln2 + r, |r| ≤ ln2/2; e^x = 2^k·e^r with e^r from its Taylor series.
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var term = 1.0, sum = 1.0
        var n = 1.0
        while true {
            term *= r / n
            let next = sum + term
            if next == sum { break }
            sum = next
            n += 1
        }
        // 2^k in two steps so k down to −1074 stays representable.
        let half = (k / 2).rounded(.towardZero)
        return sum * Double(sign: .plus, exponent: Int(half), significand: 1)
            * Double(sign: .plus, exponent: Int(k - half), significand: 1)
    }

    static func log10(_ x: Double) -> Double { ln(x) / ln10 }

    /// x^y for x > 0 (the only case the E-model needs); 0^y is 0 for y > 0; nan for x < 0.
    static func pow(_ x: Double, _ y: Double) -> Double {
        if x == 0 { return y > 0 ? 0 : (y == 0 ? 1 : .infinity) }
        if x < 0 { return .nan }
        return exp(y * ln(x))
    }
}
