// ConfigPattern: the declared shape of one config statement (keywords, value slots, lists, options).

/// One element of a statement's pattern. Keywords are matched literally; value slots produce arguments.
public indirect enum ConfigPatternElement: Sendable {
    /// A literal word.
    case keyword(String)
    /// A whole number; the range is shown in help (`(1-300)`) and checked by validation.
    case integer(String, ClosedRange<Int>?)
    /// `LOW-HIGH`, two whole numbers.
    case integerRange(String)
    /// One of these words.
    case choice([String])
    /// Any single word (checked by validation); the placeholder is shown in help (`E164`, `HOST`).
    case word(String)
    /// A secret: a word, or `********` for "keep the current one".
    case secret
    /// The rest of the line: `min` or more of the element.
    case list(ConfigPatternElement, min: Int)
    /// Optional trailing elements.
    case optional([ConfigPatternElement])
    /// Exactly one of several alternatives, each starting with a keyword.
    case oneOf([[ConfigPatternElement]])

    /// The element as help shows it: `channels`, `(1-300)`, `(udp|tcp|tls)`, `E164`, `[extension EXT]`.
    public var help: String {
        switch self {
        case .keyword(let k): k
        case .integer(let name, let range): range.map { "(\($0.lowerBound)-\($0.upperBound))" } ?? name
        case .integerRange(let name): name
        case .choice(let words): "(" + words.joined(separator: "|") + ")"
        case .word(let name): name
        case .secret: "PASSWORD"
        case .list(let e, _): e.help + "..."
        case .optional(let es): "[" + es.map(\.help).joined(separator: " ") + "]"
        case .oneOf(let alts): "{" + alts.map { $0.map(\.help).joined(separator: " ") }.joined(separator: "|") + "}"
        }
    }
}

/// A value matched from a pattern slot.
public enum ConfigArgument: Sendable, Hashable {
    case integer(Int)
    case range(Int, Int)
    case word(String)
    case secret(ConfigSecret)
    case list([ConfigArgument])
    /// An optional group's slot that was not given.
    case absent
    /// The alternative taken in a `.oneOf`, with its arguments.
    case alternative(Int, [ConfigArgument])
}

/// A problem found while matching a statement; the parser adds the line and field.
struct ConfigProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The arguments of one matched statement, read by position.
struct ConfigArguments: Sendable {
    var values: [ConfigArgument]

    subscript(_ i: Int) -> ConfigArgument { i < values.count ? values[i] : .absent }

    func int(_ i: Int) -> Int {
        if case .integer(let v) = self[i] { return v }
        return 0
    }

    func word(_ i: Int) -> String {
        if case .word(let w) = self[i] { return w }
        return ""
    }

    func optionalWord(_ i: Int) -> String? {
        if case .word(let w) = self[i] { return w }
        return nil
    }

    func keyword<K: ConfigKeyword>(_ i: Int, as type: K.Type = K.self) -> K {
        K(rawValue: word(i)) ?? K.allCases.first!
    }

    func words(_ i: Int) -> [String] {
        guard case .list(let items) = self[i] else { return [] }
        return items.compactMap { if case .word(let w) = $0 { w } else { nil } }
    }

    func secret(_ i: Int) -> ConfigSecret {
        if case .secret(let s) = self[i] { return s }
        return .keepCurrent
    }

    func range(_ i: Int) -> (Int, Int) {
        if case .range(let a, let b) = self[i] { return (a, b) }
        return (0, 0)
    }
}

/// A word of a rendered statement: plain text, or a secret the serializer writes or masks.
enum ConfigWord: Sendable, Hashable {
    case text(String)
    case secret(ConfigSecret)
}
