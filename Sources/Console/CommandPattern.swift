// CommandPattern: parses a command declaration ("show cdr [month YYYY-MM] [last <1-1000>]") and expands it.

/// The parsed shape of a declaration: a sequence of terminals, optional groups (`[...]`) and
/// alternatives (`{a|b}`, or `[a|b]` for an optional choice). Each terminal carries its index in the
/// declaration, which picks its help string.
indirect enum CommandPattern: Equatable {
    case terminal(CommandToken, index: Int)
    case sequence([CommandPattern])
    case optional(CommandPattern)
    case choice([CommandPattern])

    /// Every token sequence the pattern accepts, each terminal with its declaration index.
    func paths() -> [[(token: CommandToken, index: Int)]] {
        switch self {
        case .terminal(let t, let i):
            return [[(t, i)]]
        case .sequence(let parts):
            var result: [[(token: CommandToken, index: Int)]] = [[]]
            for part in parts {
                let tails = part.paths()
                var next: [[(token: CommandToken, index: Int)]] = []
                for head in result { for tail in tails { next.append(head + tail) } }
                result = next
            }
            return result
        case .optional(let inner):
            return [[]] + inner.paths()
        case .choice(let options):
            return options.flatMap { $0.paths() }
        }
    }
}

/// Why a declaration could not be read (a programming error in a command table, found by its test).
public struct CommandDeclarationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var declaration: String
    public var reason: String
    public var description: String { "bad command declaration '\(declaration)': \(reason)" }
}

/// Reads a declaration into a pattern; terminals are numbered left to right from 0.
struct CommandPatternParser {
    private let chars: [Character]
    private var pos = 0
    private var terminals = 0
    private let text: String

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    /// The pattern and the number of terminals it declares.
    static func parse(_ text: String) throws(CommandDeclarationError) -> (CommandPattern, Int) {
        var p = CommandPatternParser(text)
        let pattern = try p.sequence(until: nil)
        if p.pos < p.chars.count { throw p.error("unexpected '\(p.chars[p.pos])'") }
        return (pattern, p.terminals)
    }

    private func error(_ reason: String) -> CommandDeclarationError {
        CommandDeclarationError(declaration: text, reason: reason)
    }

    private mutating func skipSpaces() {
        while pos < chars.count, chars[pos] == " " { pos += 1 }
    }

    /// A run of items up to a closing bracket or a `|` (which the caller handles).
    private mutating func sequence(until close: Character?) throws(CommandDeclarationError) -> CommandPattern {
        var items: [CommandPattern] = []
        while true {
            skipSpaces()
            guard pos < chars.count else {
                if close != nil { throw error("missing '\(close!)'") }
                break
            }
            let c = chars[pos]
            if c == "]" || c == "}" || c == "|" {
                if close == nil { throw error("unexpected '\(c)'") }
                break
            }
            if c == "[" {
                pos += 1
                items.append(.optional(try alternatives(close: "]")))
            } else if c == "{" {
                pos += 1
                items.append(try alternatives(close: "}"))
            } else {
                items.append(try terminal())
            }
        }
        if items.isEmpty { throw error("empty group") }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func alternatives(close: Character) throws(CommandDeclarationError) -> CommandPattern {
        var options: [CommandPattern] = []
        while true {
            options.append(try sequence(until: close))
            guard pos < chars.count else { throw error("missing '\(close)'") }
            let c = chars[pos]
            pos += 1
            if c == "|" { continue }
            if c != close { throw error("'\(c)' closes a group opened with the other bracket") }
            break
        }
        return options.count == 1 ? options[0] : .choice(options)
    }

    private mutating func terminal() throws(CommandDeclarationError) -> CommandPattern {
        var word = ""
        while pos < chars.count, !" []{}|".contains(chars[pos]) {
            word.append(chars[pos])
            pos += 1
        }
        let token: CommandToken
        switch word {
        case "WORD": token = .word
        case "NUMBER": token = .number
        case "YYYY-MM": token = .month
        default:
            if word.hasPrefix("<"), word.hasSuffix(">") {
                let inner = word.dropFirst().dropLast().split(separator: "-", omittingEmptySubsequences: false)
                guard inner.count == 2, let lo = CommandToken.integer(String(inner[0])),
                      let hi = CommandToken.integer(String(inner[1])), lo <= hi else {
                    throw error("bad range '\(word)'")
                }
                token = .range(lo, hi)
            } else {
                guard word.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                    throw error("keyword '\(word)' must be lower-case letters, digits and '-'")
                }
                token = .keyword(word)
            }
        }
        defer { terminals += 1 }
        return .terminal(token, index: terminals)
    }
}
