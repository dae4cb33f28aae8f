// ConfigCandidate: the configuration an installer edits in configure mode, one statement at a time, like a router's candidate config.
import Config

/// The candidate: the full config text (secrets included), changed line by line from the console and
/// checked after every change, so it is always a text the parser accepts. Nothing here touches the
/// running configuration; `ConfigService.commit` does.
///
/// Editing rules: a statement that may appear once in its block replaces the one there; a repeatable
/// statement (`online-number`, `route`, ...) adds an item, or replaces the item with the same first value;
/// `no STATEMENT [VALUE...]` removes the statement (it returns to its default) or the matching items; a
/// block header (`profile sales`, `line`) opens the block, creating it when it is missing; `no profile
/// sales` removes the whole block.
public struct ConfigCandidate: Sendable, Equatable {
    /// Where a configure-mode line applies: top level, or inside one block (profiles by name).
    public enum Context: Sendable, Hashable, CustomStringConvertible {
        case top
        case block(ConfigBlock)
        case profile(String)

        /// The header line that opens this block in the text.
        public var header: String? {
            switch self {
            case .top: nil
            case .block(let b): b.keyword
            case .profile(let name): "profile " + ConfigCandidate.quoted(name)
            }
        }

        var block: ConfigBlock {
            switch self {
            case .top: .top
            case .block(let b): b
            case .profile: .profile
            }
        }

        public var description: String { header ?? "top level" }
    }

    /// What a line did.
    public enum Outcome: Sendable, Equatable {
        /// The candidate changed (or a statement was re-set to the same value).
        case changed
        /// The line opened a block: later lines go into it.
        case entered(Context)
        /// The line was refused; the candidate is unchanged. The message names the field and the reason.
        case refused(String)
    }

    /// The candidate text, canonical (as the serializer writes it), secrets included.
    public private(set) var text: String
    /// The text it started from (the running config when configure mode began).
    public let base: String

    /// Starts a candidate from a config text (normally the running one).
    public init(from text: String) {
        self.text = text
        self.base = text
    }

    /// Whether the candidate differs from where it started.
    public var isModified: Bool { text != base }

    /// Replaces the whole candidate (import); refused when the text does not parse.
    public mutating func replace(with newText: String) -> Outcome {
        do throws(ConfigError) {
            text = ConfigText.serialize(try ConfigText.parse(newText))
            return .changed
        } catch {
            return .refused(error.issues.prefix(5).map(\.description).joined(separator: "\n"))
        }
    }

    /// Applies one configure-mode line in `context`.
    public mutating func apply(_ line: String, in context: Context) -> Outcome {
        var words = Self.words(line)
        guard !words.isEmpty else { return .changed }
        var negate = false
        if words[0] == "no" {
            negate = true
            words.removeFirst()
            guard !words.isEmpty else { return .refused("% 'no' needs a statement to remove") }
        }
        var sections = Section.split(text)
        let first = words[0]

        // A block header, at top level only.
        if context == .top, let block = ConfigSchema.blockOrder.first(where: { $0.keyword == first }) {
            let target: Context
            if block == .profile {
                guard words.count == 2 else { return .refused("% profile: give one name (profile NAME)") }
                target = .profile(words[1])
            } else {
                guard words.count == 1 else { return .refused("% \(first): a block header takes no value") }
                target = .block(block)
            }
            if negate {
                let before = sections.count
                sections.removeAll { $0.opens(target) }
                guard sections.count < before else { return .refused("% \(target) is not in the configuration") }
                return commitText(sections, context: context)
            }
            if !sections.contains(where: { $0.opens(target) }) {
                sections.append(Section(header: target.header!, children: []))
                let outcome = commitText(sections, context: context)
                if case .refused = outcome { return outcome }
            }
            return .entered(target)
        }

        let block = context.block
        let statements = ConfigSchema.statements(in: block).filter { $0.keywords.first == first }
        guard !statements.isEmpty else {
            let known = Set(ConfigSchema.statements(in: block).compactMap(\.keywords.first)).sorted()
            return .refused("% unknown statement '\(first)' in \(context)" + Self.nearest(first, known))
        }
        // The statement whose keywords the line starts with (the longest match: `gpio hook` before `gpio`).
        let statement = statements
            .filter { words.starts(with: $0.keywords) }
            .max { $0.keywords.count < $1.keywords.count } ?? statements[0]
        let keyLength = statement.keywords.count
        // Lines of the same statement: the same keywords; for a repeatable one also the same first value.
        let identity = statement.repeatable && words.count > keyLength ? Array(words.prefix(keyLength + 1)) : Array(words.prefix(keyLength))

        func matches(_ existing: String) -> Bool {
            let w = Self.words(existing)
            if negate { return w.starts(with: words) }
            return w.starts(with: identity)
        }

        if context == .top {
            let before = sections.count
            sections.removeAll { $0.children.isEmpty && !$0.isBlockHeader && matches($0.header) }
            if negate {
                guard sections.count < before else { return .refused("% no '\(words.joined(separator: " "))' to remove") }
            } else {
                sections.insert(Section(header: line.trimmed, children: []), at: sections.firstIndex { $0.isBlockHeader } ?? sections.count)
            }
            return commitText(sections, context: context)
        }

        guard let index = sections.firstIndex(where: { $0.opens(context) }) else {
            return .refused("% \(context) is not in the configuration")
        }
        let before = sections[index].children.count
        sections[index].children.removeAll { matches($0) }
        if negate {
            guard sections[index].children.count < before else { return .refused("% no '\(words.joined(separator: " "))' to remove in \(context)") }
        } else {
            sections[index].children.append(line.trimmed)
        }
        return commitText(sections, context: context)
    }

    // Parses the edited text; keeps it (canonical) when it parses, else reports why.
    private mutating func commitText(_ sections: [Section], context: Context) -> Outcome {
        let edited = sections.map(\.text).joined()
        do throws(ConfigError) {
            text = ConfigText.serialize(try ConfigText.parse(edited))
            return .changed
        } catch {
            let issue = error.first
            return .refused("% \(issue.field.isEmpty ? "" : issue.field + ": ")\(issue.message)")
        }
    }

    // MARK: Text

    /// One unindented line and the indented lines under it.
    struct Section: Equatable {
        var header: String
        var children: [String]

        var isBlockHeader: Bool {
            guard let first = ConfigCandidate.words(header).first else { return false }
            return ConfigSchema.blockOrder.contains { $0.keyword == first }
        }

        func opens(_ context: Context) -> Bool {
            guard let h = context.header else { return false }
            return ConfigCandidate.words(header) == ConfigCandidate.words(h)
        }

        var text: String {
            var out = header + "\n"
            for c in children { out += " " + c + "\n" }
            return out
        }

        static func split(_ text: String) -> [Section] {
            var out: [Section] = []
            for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
                let line = String(raw)
                let trimmed = line.trimmed
                if trimmed.isEmpty || trimmed.hasPrefix("!") || trimmed.hasPrefix("#") { continue }
                if line.first == " " || line.first == "\t" {
                    if out.isEmpty { out.append(Section(header: "", children: [])) }
                    out[out.count - 1].children.append(trimmed)
                } else {
                    out.append(Section(header: trimmed, children: []))
                }
            }
            return out
        }
    }

    /// The words of a line: split on blanks, a double-quoted word kept whole (quotes removed).
    static func words(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inQuotes = false
        var started = false
        for c in line {
            if c == "\"" { inQuotes.toggle(); started = true; continue }
            if !inQuotes && (c == " " || c == "\t") {
                if started { out.append(current); current = ""; started = false }
                continue
            }
            if !inQuotes && (c == "!" || c == "#") && !started { break }
            current.append(c)
            started = true
        }
        if started { out.append(current) }
        return out
    }

    static func quoted(_ word: String) -> String {
        word.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" }) ? "\"" + word + "\"" : word
    }

    static func nearest(_ word: String, _ known: [String]) -> String {
        func distance(_ a: String, _ b: String) -> Int {
            let a = Array(a), b = Array(b)
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var previous = row[0]
                row[0] = i
                for j in stride(from: 1, through: b.count, by: 1) {
                    let current = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = current
                }
            }
            return row[b.count]
        }
        guard let best = known.min(by: { distance(word, $0) < distance(word, $1) }), distance(word, best) <= 3 else { return "" }
        return ". Did you mean '\(best)'?"
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
