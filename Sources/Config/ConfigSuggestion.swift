// ConfigSuggestion: the nearest known word to a misspelt one (edit distance), for "did you mean" hints.

enum ConfigSuggestion {
    /// The candidate closest to `word`: a unique one it is a prefix of, else the one at the smallest edit
    /// distance when that distance is small for the word's length (at most 2, or a third of its length).
    static func nearest(to word: String, in candidates: [String]) -> String? {
        guard !word.isEmpty else { return nil }
        let prefixed = Set(candidates.filter { $0.hasPrefix(word) })
        if prefixed.count == 1 { return prefixed.first }
        let w = Array(word.utf8.prefix(64))
        let limit = max(2, w.count / 3)
        var best: (String, Int)?
        for c in candidates {
            // Words whose lengths differ by more than the limit cannot be near (and this bounds the work).
            guard abs(c.utf8.count - w.count) <= limit else { continue }
            let d = distance(w, Array(c.utf8.prefix(64)))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best, d <= limit, d < max(w.count, 1) else { return nil }
        return c
    }

    /// Levenshtein distance (insert, delete, substitute, and transposing two neighbours each cost 1).
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }

    /// ` ; did you mean 'x'?` or nothing.
    static func hint(_ word: String, _ candidates: [String]) -> String {
        nearest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
