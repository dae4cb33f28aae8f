// CommandMatcher: parsing, `?` help and TAB completion of typed lines, all derived from a command table.

/// Matches typed lines against the declared commands of one mode. Keywords may be abbreviated to any
/// unique prefix; an exact keyword beats a prefix, a prefix beats a typed argument, and a typed argument
/// (`<1-60>`, `YYYY-MM`) beats a free `WORD`.
public struct CommandMatcher: Sendable {
    struct Path: Sendable {
        let command: Int
        let tokens: [(token: CommandToken, index: Int)]
    }

    /// The result of parsing a whole line.
    public enum Outcome: Sendable, Equatable {
        /// Nothing but spaces was typed.
        case empty
        case command(ParsedCommand)
        /// One line starting with "% " saying what is wrong and, when one is close, the right command.
        case error(String)
    }

    /// The result of TAB.
    public enum Completion: Sendable, Equatable {
        /// Type these characters at the cursor.
        case insert(String)
        /// Several keywords fit: list them.
        case candidates([String])
        /// Nothing to complete.
        case none
    }

    public let specs: [CommandSpec]
    let paths: [Path]

    public init(_ specs: [CommandSpec]) {
        self.specs = specs
        var all: [Path] = []
        for (i, spec) in specs.enumerated() {
            for p in spec.paths { all.append(Path(command: i, tokens: p)) }
        }
        self.paths = all
    }

    /// Splits a line into words at spaces and tabs.
    public static func words(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// Whether the line ends in a space (so `?` and TAB look at the next word, not the last one).
    static func endsInSpace(_ text: String) -> Bool {
        text.isEmpty || text.last == " " || text.last == "\t"
    }

    /// The keywords that can start a command in this mode.
    public var firstKeywords: Set<String> {
        Set(paths.compactMap { $0.tokens.first?.token.keyword })
    }

    // MARK: Resolution

    enum Failure {
        case ambiguous(index: Int, choices: [String])
        case unknown(index: Int, invalid: [(CommandToken, String)])
    }

    enum Resolution {
        case alive([Int])
        case failed(Failure)
    }

    /// Walks the words left to right keeping the paths that still match.
    func resolve(_ words: [String]) -> Resolution {
        var alive = Array(paths.indices)
        for (i, w) in words.enumerated() {
            var best = -1
            var matches: [(path: Int, rank: Int)] = []
            var invalid: [(CommandToken, String)] = []
            for p in alive where paths[p].tokens.count > i {
                let token = paths[p].tokens[i].token
                let m = token.match(w)
                if case .invalid(let reason) = m, !invalid.contains(where: { $0.0 == token }) { invalid.append((token, reason)) }
                if m.rank >= 0 {
                    matches.append((p, m.rank))
                    best = max(best, m.rank)
                }
            }
            if best < 0 { return .failed(.unknown(index: i, invalid: invalid)) }
            // Several keywords sharing the prefix stay alive: later words may pick one ("conf t").
            alive = matches.filter { $0.rank == best }.map(\.path)
        }
        return .alive(alive)
    }

    // MARK: Parsing

    /// Parses a complete line.
    public func parse(_ line: String) -> Outcome {
        parse(Self.words(line), depth: 0)
    }

    private func parse(_ words: [String], depth: Int) -> Outcome {
        if words.isEmpty { return .empty }
        switch resolve(words) {
        case .failed(let failure):
            return .error(message(failure, words: words, depth: depth))
        case .alive(let alive):
            if let ambiguity = ambiguity(alive, count: words.count) {
                return .error(message(ambiguity, words: words, depth: depth))
            }
            if let p = alive.first(where: { paths[$0].tokens.count == words.count }) {
                let path = paths[p]
                let matched = zip(path.tokens, words).map { (token: $0.token, text: $1) }
                return .command(ParsedCommand(action: specs[path.command].action, words: matched))
            }
            var keywords = Set<String>(), arguments: [String] = []
            for p in alive where paths[p].tokens.count > words.count {
                let t = paths[p].tokens[words.count].token
                if let k = t.keyword { keywords.insert(k) } else if !arguments.contains(t.display) { arguments.append(t.display) }
            }
            let next = keywords.sorted() + arguments
            let shown = next.prefix(6).joined(separator: ", ") + (next.count > 6 ? ", ..." : "")
            return .error("% Incomplete command '\(words.joined(separator: " "))': next comes \(shown)")
        }
    }

    /// The first of the `count` typed words that still means different keywords on the alive paths.
    private func ambiguity(_ alive: [Int], count: Int) -> Failure? {
        for i in 0..<count {
            var keywords: [String] = []
            for p in alive where paths[p].tokens.count > i {
                if let k = paths[p].tokens[i].token.keyword, !keywords.contains(k) { keywords.append(k) }
            }
            if keywords.count > 1 { return .ambiguous(index: i, choices: keywords.sorted()) }
        }
        return nil
    }

    /// The canonical words of the first `count` matched words (keywords in full, arguments as typed).
    private func canonicalPrefix(_ words: [String], count: Int) -> [String] {
        guard count > 0, case .alive(let alive) = resolve(Array(words.prefix(count))), let p = alive.first else { return [] }
        return (0..<count).map { paths[p].tokens[$0].token.keyword ?? words[$0] }
    }

    private func message(_ failure: Failure, words: [String], depth: Int) -> String {
        switch failure {
        case .ambiguous(let i, let choices):
            let typed = words.prefix(i + 1).joined(separator: " ")
            return "% Ambiguous command: '\(typed)' could be \(choices.joined(separator: ", "))"
        case .unknown(let i, let invalid):
            let word = words[i]
            let before = canonicalPrefix(words, count: i)
            var keywords: [String] = []
            var hasNext = false
            if case .alive(let alive) = resolve(Array(words.prefix(i))) {
                for p in alive where paths[p].tokens.count > i {
                    hasNext = true
                    if let k = paths[p].tokens[i].token.keyword, !keywords.contains(k) { keywords.append(k) }
                }
            }
            if let (token, reason) = invalid.first, invalid.count == 1 || keywords.isEmpty {
                return "% Invalid value '\(word)' for \(token.display) after '\(before.joined(separator: " "))': \(reason)"
            }
            if !hasNext {
                return "% Unexpected '\(word)' after '\(before.joined(separator: " "))': the command ends there"
            }
            let what = i == 0 ? "command" : "word"
            var text = "% Unknown \(what) '\(word)'"
            if i > 0 { text += " after '\(before.joined(separator: " "))'" }
            if let k = EditDistance.nearest(word, in: keywords) {
                var corrected = before + [k]
                let rest = Array(words.dropFirst(i + 1))
                if depth < 4, case .command(let c) = parse(corrected + rest, depth: depth + 1) {
                    corrected = [c.canonical]
                }
                return text + ". Did you mean '\(corrected.joined(separator: " "))'?"
            }
            return text + ". Type '?' for the choices."
        }
    }

    // MARK: Help and completion

    /// What `?` lists for the text left of the cursor: the next tokens (or the tokens the last partial
    /// word can become), or an error line when the words before are wrong.
    public func help(_ textBeforeCursor: String) -> Result<[ConsoleHelpItem], HelpError> {
        let words = Self.words(textBeforeCursor)
        let trailing = Self.endsInSpace(textBeforeCursor)
        let fixed = trailing ? words : Array(words.dropLast())
        guard case .alive(let alive) = resolve(fixed) else {
            if case .error(let m) = parse(fixed, depth: 0) { return .failure(HelpError(message: m)) }
            return .failure(HelpError(message: "% Invalid input"))
        }
        if trailing, let ambiguous = ambiguity(alive, count: fixed.count) {
            return .failure(HelpError(message: message(ambiguous, words: fixed, depth: 0)))
        }
        let position = fixed.count
        var items: [ConsoleHelpItem] = []
        var complete = false
        for p in alive {
            let path = paths[p]
            if path.tokens.count == position { complete = true; continue }
            guard path.tokens.count > position else { continue }
            let (token, index) = path.tokens[position]
            if !trailing, token.match(words[position]).rank < 0 { continue }
            items.append(ConsoleHelpItem(token: token.display, help: specs[path.command].help[index], isKeyword: token.keyword != nil))
        }
        if trailing, complete { items.append(.endOfLine) }
        if items.isEmpty {
            if case .error(let m) = parse(words, depth: 0) { return .failure(HelpError(message: m)) }
            return .failure(HelpError(message: "% Nothing matches '\(words.last ?? "")'"))
        }
        return .success(ConsoleHelpItem.ordered(items))
    }

    /// What TAB does with the text left of the cursor.
    public func complete(_ textBeforeCursor: String) -> Completion {
        let words = Self.words(textBeforeCursor)
        let trailing = Self.endsInSpace(textBeforeCursor)
        let fixed = trailing ? words : Array(words.dropLast())
        guard case .alive(let alive) = resolve(fixed) else { return .none }
        var keywords: [String] = []
        for p in alive where paths[p].tokens.count > fixed.count {
            if let k = paths[p].tokens[fixed.count].token.keyword, !keywords.contains(k) { keywords.append(k) }
        }
        return Self.completion(partial: trailing ? "" : words.last!, keywords: keywords)
    }

    /// TAB's answer given the partial word and the keywords possible at its place.
    public static func completion(partial: String, keywords: [String]) -> Completion {
        let lower = partial.lowercased()
        let fits = keywords.filter { $0.hasPrefix(lower) }.sorted()
        if fits.isEmpty { return .none }
        if fits.count == 1 { return .insert(String(fits[0].dropFirst(partial.count)) + " ") }
        var common = fits[0]
        for f in fits.dropFirst() {
            while !f.hasPrefix(common) { common.removeLast() }
        }
        if common.count > partial.count { return .insert(String(common.dropFirst(partial.count))) }
        return .candidates(fits)
    }
}

/// Why `?` could not list anything: the one-line message to show.
public struct HelpError: Error, Sendable, Equatable {
    public var message: String
}
