// ConfigSchema: the declared grammar of the config language, for the parser, the serializer, `?` help and TAB completion.

/// The config language's statements, declared once (in `ConfigSchema+Statements.swift`): each with its
/// block, pattern, help text and model binding. The parser matches lines against it, the serializer writes
/// in its order, and the console asks it for `?` help and TAB completion in configure mode:
///
///     ConfigSchema.help(in: .profile)        // [("channels (1-300)", "Channels bought ..."), ...]
///     ConfigSchema.completions(for: ["srtp", "re"], in: .profile)   // ["required"]
///     ConfigSchema.completions(for: [""], in: .top)                 // ["console", "hostname", ...]
///     ConfigSchema.help(after: ["channels", ""], in: .profile)      // [("(1-300)", "Channels bought ...")]
///     ConfigSchema.help(after: ["channels", "10", ""], in: .profile) // [("<cr>", "end of the statement")]
///
/// Words are matched exactly; abbreviations (`sh run`) are the console's business: it can expand a
/// unique prefix with `completions`.
public enum ConfigSchema {
    /// One help line: the statement's syntax (`channels (1-300)`) and what it does.
    public struct Help: Sendable, Hashable {
        public var syntax: String
        public var help: String
        public var repeatable: Bool
    }

    /// The blocks in the order the serializer writes them (after `hostname`).
    public static let blockOrder: [ConfigBlock] = [.console, .lan, .wan, .pbx, .profile, .routing, .numbering, .line, .media, .logging]

    /// Header syntax of a block at top level: `profile NAME`, `lan`.
    public static func headerSyntax(_ block: ConfigBlock) -> String {
        block == .profile ? "profile NAME" : block.keyword
    }

    /// What a block holds, for help at top level.
    public static func headerHelp(_ block: ConfigBlock) -> String {
        switch block {
        case .top: ""
        case .console: "Serial console: device, speed, idle time-out"
        case .lan: "SIP listener toward the PBX: address, ports, transports"
        case .wan: "SIP listener toward the trunk: address, ports, transports"
        case .pbx: "The PBX: address, ACL, digest credentials"
        case .profile: "A Skype Connect SIP Profile (repeat for each profile)"
        case .routing: "Outgoing routes, emergency numbers, default profile"
        case .numbering: "Number normalisation: country code, prefixes"
        case .line: "The analog line: ALSA device, board, GPIO pins, incoming extension, fallback"
        case .media: "RTP port range, codec order"
        case .logging: "Log level and syslog"
        }
    }

    /// Statements that go in a block, in serialization order.
    public static func statements(in block: ConfigBlock) -> [ConfigStatement] {
        byBlock[block] ?? []
    }

    /// Help lines for a block: its statements; at top level also the block headers.
    public static func help(in block: ConfigBlock) -> [Help] {
        var out = statements(in: block).map { Help(syntax: $0.syntax, help: $0.help, repeatable: $0.repeatable) }
        if block == .top {
            out += blockOrder.map { Help(syntax: headerSyntax($0), help: headerHelp($0), repeatable: $0 == .profile) }
        }
        return out
    }

    /// Keywords that carry a secret anywhere (masked in displays and diffs).
    public static let secretKeywords: Set<String> = Set(table.filter(\.isSecret).compactMap(\.keywords.first))

    /// Words that can follow `words` in `block` (the last element is the word being typed, empty after a
    /// space), sorted. Only literal words are offered (keywords and choices), never values.
    public static func completions(for words: [String], in block: ConfigBlock) -> [String] {
        guard let partial = words.last else { return [] }
        var out = Set<String>()
        for (_, element) in following(Array(words.dropLast()), in: block) {
            for w in literals(element) where w.hasPrefix(partial) { out.insert(w) }
        }
        return out.sorted()
    }

    /// What `?` shows after `words` (the last element is the word being typed, empty after a space): each
    /// keyword or choice that fits the typed part, each value slot (`(1-300)`, `E164`) with the help of
    /// its statement, and `<cr>` when the line is already complete. Sorted by syntax, no repeats.
    public static func help(after words: [String], in block: ConfigBlock) -> [Help] {
        guard let partial = words.last else { return [] }
        var out: [String: Help] = [:]
        for (statement, element) in following(Array(words.dropLast()), in: block) {
            let text = statement?.help ?? (block == .top ? headerHelp(for: element) : "")
            let repeatable = statement?.repeatable ?? false
            guard let element else {
                if partial.isEmpty { out["<cr>"] = Help(syntax: "<cr>", help: "end of the statement", repeatable: false) }
                continue
            }
            let words = literals(element)
            if words.isEmpty {
                let syntax = element.help
                if out[syntax] == nil { out[syntax] = Help(syntax: syntax, help: text, repeatable: repeatable) }
            } else {
                for w in words where w.hasPrefix(partial) && out[w] == nil { out[w] = Help(syntax: w, help: text, repeatable: repeatable) }
            }
        }
        return out.values.sorted { $0.syntax < $1.syntax }
    }

    /// Top-level header help for the first word of a header pattern.
    private static func headerHelp(for element: ConfigPatternElement?) -> String {
        if case .keyword(let k)? = element, let b = blockOrder.first(where: { $0.keyword == k }) { return headerHelp(b) }
        if case .word? = element { return headerHelp(.profile) }
        return ""
    }

    /// The literal words an element accepts (none for value slots).
    private static func literals(_ element: ConfigPatternElement?) -> [String] {
        switch element {
        case .keyword(let k)?: [k]
        case .choice(let words)?: words
        case .list(.choice(let words), _)?: words
        default: []
        }
    }

    /// For every statement (and, at top level, block header) the typed words can begin: the element that
    /// may come next, or nil where the statement may end.
    private static func following(_ typed: [String], in block: ConfigBlock) -> [(ConfigStatement?, ConfigPatternElement?)] {
        var patterns: [(ConfigStatement?, [ConfigPatternElement])] = statements(in: block).map { ($0, $0.pattern) }
        if block == .top {
            patterns += blockOrder.map { (nil, $0 == .profile ? [.keyword("profile"), .word("NAME")] : [.keyword($0.keyword)]) }
        }
        var out: [(ConfigStatement?, ConfigPatternElement?)] = []
        for (statement, pattern) in patterns {
            for sequence in flatten(pattern) {
                guard let position = consume(sequence, typed) else { continue }
                if position < sequence.count {
                    out.append((statement, sequence[position]))
                    if case .list(_, let min) = sequence[position], typed.count - position >= min {
                        out.append((statement, nil))
                    }
                } else {
                    out.append((statement, nil))
                }
            }
        }
        return out
    }

    /// A pattern as plain element sequences (optional groups and alternatives expanded; a list stays last).
    private static func flatten(_ pattern: [ConfigPatternElement]) -> [[ConfigPatternElement]] {
        var results: [[ConfigPatternElement]] = [[]]
        for e in pattern {
            switch e {
            case .optional(let group):
                results = results + results.map { $0 + group }
            case .oneOf(let alternatives):
                results = results.flatMap { r in alternatives.map { r + $0 } }
            default:
                results = results.map { $0 + [e] }
            }
        }
        return results
    }

    /// Where in a flattened pattern the typed words leave off, or nil when they do not fit it.
    private static func consume(_ sequence: [ConfigPatternElement], _ typed: [String]) -> Int? {
        var i = 0
        for w in typed {
            guard i < sequence.count else { return nil }
            switch sequence[i] {
            case .keyword(let k): if k != w { return nil }
            case .choice(let words): if !words.contains(w) { return nil }
            case .list(let inner, _):
                if case .choice(let words) = inner, !words.contains(w) { return nil }
                continue  // a list takes the rest of the line
            default: break
            }
            i += 1
        }
        return i
    }

    /// The blocks with a statement starting with this keyword, for "belongs in a profile block" hints.
    static func blocks(having keyword: String) -> [ConfigBlock] {
        ConfigBlock.allCases.filter { byKeyword[$0]?[keyword] != nil }
    }

    /// Statements of a block that start with a keyword (one, or several sharing it: `route`, `gpio`).
    static func statements(in block: ConfigBlock, startingWith keyword: String) -> [ConfigStatement] {
        byKeyword[block]?[keyword] ?? []
    }

    /// First keywords of a block's statements, for suggestions.
    static func keywords(in block: ConfigBlock) -> [String] {
        firstKeywords[block] ?? []
    }

    static let byBlock: [ConfigBlock: [ConfigStatement]] = Dictionary(grouping: table, by: \.block)
    static let byKeyword: [ConfigBlock: [String: [ConfigStatement]]] = byBlock.mapValues { Dictionary(grouping: $0) { $0.keywords.first ?? "" } }
    static let firstKeywords: [ConfigBlock: [String]] = byBlock.mapValues { statements in
        var seen = Set<String>()
        return statements.compactMap(\.keywords.first).filter { seen.insert($0).inserted }
    }
}
