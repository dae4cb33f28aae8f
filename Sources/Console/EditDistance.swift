// EditDistance: optimal-string-alignment distance, for "did you mean" suggestions on mistyped words.

enum EditDistance {
    /// The number of single-character insertions, deletions, substitutions and adjacent swaps that turn
    /// `a` into `b` (each substring edited once). Inputs are compared as lower-case characters.
    static func osa(_ a: String, _ b: String) -> Int {
        osa(Array(a.lowercased().utf8), Array(b.lowercased().utf8))
    }

    /// The same on bytes, with three rolling rows instead of a matrix.
    static func osa(_ x: [UInt8], _ y: [UInt8]) -> Int {
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var before = [Int](repeating: 0, count: y.count + 1)   // row i-2
        var previous = Array(0...y.count)                      // row i-1
        var current = [Int](repeating: 0, count: y.count + 1)  // row i
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d = min(d, before[j - 2] + 1) }
                current[j] = d
            }
            swap(&before, &previous)
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// How far `word` is from being an abbreviation of `keyword`: the distance to the closest prefix of
    /// the keyword whose length is within one of the word's (so "regs" is 1 from "registrations").
    static func toAbbreviation(_ word: String, of keyword: String) -> Int {
        let w = Array(word.lowercased().utf8), k = Array(keyword.lowercased().utf8)
        let n = w.count
        var best = osa(w, k)
        for length in max(1, n - 1)...max(1, n + 1) where length <= k.count {
            best = min(best, osa(w, Array(k[..<length])))
        }
        return best
    }

    /// The keyword `word` most likely meant, or nil when none is close enough (at most 2 edits and
    /// fewer than half the word's length plus one half).
    static func nearest(_ word: String, in keywords: [String]) -> String? {
        guard word.count <= 64 else { return nil }
        var best: (distance: Int, keyword: String)?
        for k in keywords.sorted() {
            let d = toAbbreviation(word, of: k)
            if d <= 2, d * 2 < word.count + 1, d < (best?.distance ?? Int.max) { best = (d, k) }
        }
        return best?.keyword
    }
}
