// ConfigDiff: a unified-style line diff of two config texts, secrets masked, for `show config diff A B`.

/// A readable line diff of two config texts, like `diff -u`: `---`/`+++` labels, `@@ -a,b +c,d @@` hunks,
/// `-` removed, `+` added, ` ` context lines. Secrets are masked on every line it prints (a changed
/// password shows as a `-`/`+` pair of `password ********`), so a diff is safe to show.
public enum ConfigDiff {
    /// One line of the edit script.
    enum Edit: Equatable {
        case same(Int, Int)
        case removed(Int)
        case added(Int)
    }

    /// The diff of two texts; empty when they are equal line for line.
    public static func text(from old: String, to new: String, context: Int = 3,
                            oldLabel: String = "a", newLabel: String = "b") -> String {
        let a = lines(old), b = lines(new)
        let script = edits(a, b)
        guard script.contains(where: { if case .same = $0 { false } else { true } }) else { return "" }
        var out = "--- \(oldLabel)\n+++ \(newLabel)\n"
        for hunk in hunks(script, context: max(0, context)) {
            var oldStart = 0, oldCount = 0, newStart = 0, newCount = 0
            var body = ""
            for e in hunk {
                switch e {
                case .same(let i, let j):
                    if oldCount == 0 { oldStart = i }
                    if newCount == 0 { newStart = j }
                    oldCount += 1; newCount += 1
                    body += " " + mask(a[i]) + "\n"
                case .removed(let i):
                    if oldCount == 0 { oldStart = i }
                    oldCount += 1
                    body += "-" + mask(a[i]) + "\n"
                case .added(let j):
                    if newCount == 0 { newStart = j }
                    newCount += 1
                    body += "+" + mask(b[j]) + "\n"
                }
            }
            // Unified format: an empty side gives the line before it (0-based index), else 1-based start.
            let oldFirst = oldCount == 0 ? firstIndex(hunk, old: true, script: script) : oldStart + 1
            let newFirst = newCount == 0 ? firstIndex(hunk, old: false, script: script) : newStart + 1
            out += "@@ -\(oldFirst),\(oldCount) +\(newFirst),\(newCount) @@\n" + body
        }
        return out
    }

    /// The diff of two configs' canonical texts (secrets masked).
    public static func configs(from old: GatewayConfig, to new: GatewayConfig, context: Int = 3,
                               oldLabel: String = "a", newLabel: String = "b") -> String {
        text(from: ConfigText.serialize(old), to: ConfigText.serialize(new), context: context, oldLabel: oldLabel, newLabel: newLabel)
    }

    /// A config line with the value of a secret statement replaced by `********`. Lines that do not
    /// tokenize but start with a secret keyword are masked too, from the keyword on.
    public static func mask(_ line: Substring) -> String {
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        let rest = line.dropFirst(indentation.count)
        let firstWord = rest.prefix { $0 != " " && $0 != "\t" }
        let keyword: String
        if let tokenized = try? ConfigTokenizedLine(line), let first = tokenized.tokens.first {
            keyword = first.text
        } else {
            keyword = firstWord.hasPrefix("\"") ? String(firstWord.dropFirst().prefix { $0 != "\"" }) : String(firstWord)
        }
        guard ConfigSchema.secretKeywords.contains(keyword) else { return String(line) }
        return String(indentation) + keyword + " " + ConfigSecret.mask
    }

    static func lines(_ text: String) -> [Substring] {
        var l = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(Substring.init)
        if l.last == "" { l.removeLast() }
        return l.map { $0.unicodeScalars.last == "\r" ? Substring($0.unicodeScalars.dropLast()) : $0 }
    }

    /// A shortest edit script: common head and tail kept, the middle by longest common subsequence
    /// (or, past 4 million cells, replaced whole: still correct, just not minimal).
    static func edits(_ a: [Substring], _ b: [Substring]) -> [Edit] {
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        var script: [Edit] = (0..<head).map { .same($0, $0) }
        let a0 = head, a1 = a.count - tail, b0 = head, b1 = b.count - tail
        let n = a1 - a0, m = b1 - b0
        if n > 0, m > 0, n * m <= 4_000_000 {
            // lcs[i][j]: LCS length of a[a0+i..<a1] and b[b0+j..<b1], stored flat.
            let w = m + 1
            var lcs = [Int32](repeating: 0, count: (n + 1) * w)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i * w + j] = a[a0 + i] == b[b0 + j] ? lcs[(i + 1) * w + j + 1] + 1 : max(lcs[(i + 1) * w + j], lcs[i * w + j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, a[a0 + i] == b[b0 + j] {
                    script.append(.same(a0 + i, b0 + j)); i += 1; j += 1
                } else if j < m, i == n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j] {
                    script.append(.added(b0 + j)); j += 1
                } else {
                    script.append(.removed(a0 + i)); i += 1
                }
            }
            // Show removals before additions within a change (easier to read).
            script = reorder(script)
        } else {
            script += (a0..<a1).map { .removed($0) }
            script += (b0..<b1).map { .added($0) }
        }
        script += (0..<tail).map { .same(a1 + $0, b1 + $0) }
        return script
    }

    /// Within each run of changes, removals first, then additions.
    static func reorder(_ script: [Edit]) -> [Edit] {
        var out: [Edit] = [], removed: [Edit] = [], added: [Edit] = []
        func flush() { out += removed + added; removed = []; added = [] }
        for e in script {
            switch e {
            case .same: flush(); out.append(e)
            case .removed: removed.append(e)
            case .added: added.append(e)
            }
        }
        flush()
        return out
    }

    /// Groups changes with `context` lines around them; hunks closer than 2×context merge.
    static func hunks(_ script: [Edit], context: Int) -> [[Edit]] {
        let changed = script.indices.filter { if case .same = script[$0] { false } else { true } }
        var out: [[Edit]] = []
        var start = -1, end = -1
        for c in changed {
            let lo = max(0, c - context), hi = min(script.count - 1, c + context)
            if start >= 0, lo <= end + 1 {
                end = hi
            } else {
                if start >= 0 { out.append(Array(script[start...end])) }
                start = lo; end = hi
            }
        }
        if start >= 0 { out.append(Array(script[start...end])) }
        return out
    }

    /// For a hunk with no lines on one side: the number of lines on that side before it.
    static func firstIndex(_ hunk: [Edit], old: Bool, script: [Edit]) -> Int {
        guard let first = hunk.first, let at = script.firstIndex(of: first) else { return 0 }
        var count = 0
        for e in script[..<at] {
            switch e {
            case .same: count += 1
            case .removed: if old { count += 1 }
            case .added: if !old { count += 1 }
            }
        }
        return count
    }
}
