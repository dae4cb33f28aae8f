// ConfigParser: config text to GatewayConfig, matching each line against ConfigSchema, collecting every error.

/// A parsed config text: the model and where each statement was written.
public struct ConfigDocument: Sendable, Hashable {
    public var config: GatewayConfig
    public var sourceMap: ConfigSourceMap
}

/// The config language: text in, `GatewayConfig` out, and back (see `ConfigText+Serialize`).
///
/// Lines not indented are top-level statements (`hostname`) or block headers (`console`, `lan`, `wan`,
/// `pbx`, `profile NAME`, `routing`, `numbering`, `line`, `media`, `logging`); indented lines (spaces or
/// tabs) are statements of the last header. `!` or `#` starts a comment. A statement left out keeps its
/// factory default; a block header written twice reopens the block.
public enum ConfigText {
    /// Parses a config text. Throws every syntax error found (line, field, reason), not just the first.
    /// The result is syntactically sound; check it with `ConfigValidator` before using it.
    public static func parse(_ text: String) throws(ConfigError) -> GatewayConfig {
        try parseDocument(text).config
    }

    /// Parses config bytes (a file being imported): refuses bytes that are not UTF-8, naming the line,
    /// instead of replacing them.
    public static func parse(utf8 bytes: some Collection<UInt8>) throws(ConfigError) -> GatewayConfig {
        let array = Array(bytes)
        guard let text = String(validating: array, as: UTF8.self) else {
            // Find the line of the first bad byte: decode line by line.
            var line = 1
            for chunk in array.split(separator: 0x0A, omittingEmptySubsequences: false) {
                if String(validating: chunk, as: UTF8.self) == nil { break }
                line += 1
            }
            throw ConfigError(line: line, field: "", "the line is not valid UTF-8 text")
        }
        return try parse(text)
    }

    /// Parses a config text, keeping the line of every statement (for validation messages).
    public static func parseDocument(_ text: String) throws(ConfigError) -> ConfigDocument {
        var parser = ConfigParser()
        parser.run(text)
        if !parser.issues.isEmpty { throw ConfigError(parser.issues) }
        return ConfigDocument(config: parser.config, sourceMap: parser.sourceMap)
    }
}

struct ConfigParser {
    var config = GatewayConfig.factoryDefault
    var sourceMap = ConfigSourceMap()
    var issues: [ConfigIssue] = []
    /// The open block: nil at top level (indented lines are an error), `.some(nil)` after a broken header.
    var scope: ConfigScope??

    private static let headerWords = ConfigSchema.blockOrder.map(\.keyword)

    mutating func fail(_ line: Int, _ field: String, _ message: String) {
        if issues.count < ConfigLimits.maxIssues { issues.append(ConfigIssue(line: line, field: field, message)) }
    }

    mutating func run(_ text: String) {
        guard text.utf8.count <= ConfigLimits.maxTextBytes else {
            fail(1, "", "config is larger than \(ConfigLimits.maxTextBytes) bytes (limit)")
            return
        }
        var number = 0
        // Split on the scalar: in a Swift String "\r\n" is one Character and would not split on "\n".
        for scalars in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            let raw = Substring(scalars)
            number += 1
            if issues.count >= ConfigLimits.maxIssues { return }
            guard number <= ConfigLimits.maxLines else {
                fail(number, "", "config has more than \(ConfigLimits.maxLines) lines (limit)")
                return
            }
            let line = raw.unicodeScalars.last == "\r" ? Substring(raw.unicodeScalars.dropLast()) : raw
            let tokenized: ConfigTokenizedLine
            do throws(ConfigProblem) {
                tokenized = try ConfigTokenizedLine(line)
            } catch {
                // Name the statement when its first word is plain (a keyword, never a value).
                let word = line.drop { $0 == " " || $0 == "\t" }.prefix { $0 != " " && $0 != "\t" }
                let plain = word.utf8.allSatisfy { ConfigSyntax.isAlnum($0) || $0 == UInt8(ascii: "-") }
                fail(number, plain && word.utf8.count <= 32 ? String(word) : "", error.message)
                continue
            }
            guard let first = tokenized.tokens.first?.text else { continue }
            if tokenized.indented {
                statementInBlock(tokenized.tokens, first, number)
            } else {
                topLevel(tokenized.tokens, first, number)
            }
        }
    }

    private mutating func topLevel(_ tokens: [ConfigToken], _ first: String, _ number: Int) {
        if let block = ConfigSchema.blockOrder.first(where: { $0.keyword == first }) {
            openBlock(block, tokens, number)
            return
        }
        scope = nil
        if !ConfigSchema.statements(in: .top, startingWith: first).isEmpty {
            apply(tokens, in: .top, scope: .top, number)
            return
        }
        let owners = ConfigSchema.blocks(having: first)
        if let owner = owners.first {
            let header = ConfigSchema.headerSyntax(owner)
            fail(number, first, "belongs in a \(owner) block: indent it under '\(header)'")
        } else {
            let known = ConfigSchema.keywords(in: .top) + Self.headerWords
            fail(number, first, "unknown keyword '\(first)'" + ConfigSuggestion.hint(first, known))
        }
    }

    private mutating func openBlock(_ block: ConfigBlock, _ tokens: [ConfigToken], _ number: Int) {
        scope = .some(nil)
        if block == .profile {
            guard tokens.count == 2 else {
                fail(number, "profile", tokens.count < 2 ? "missing the profile name (profile NAME)"
                                                         : "takes one name; quote a name with spaces")
                return
            }
            guard config.profiles.count < ConfigLimits.maxProfiles else {
                fail(number, "profile", "more than \(ConfigLimits.maxProfiles) profiles (limit)")
                return
            }
            config.profiles.append(ProfileConfig(name: tokens[1].text))
            let s = ConfigScope.profile(config.profiles.count - 1)
            sourceMap.record(s, ConfigSourceMap.header, line: number)
            scope = s
            return
        }
        guard tokens.count == 1 else {
            fail(number, block.keyword, "takes no value on the header line; its statements go on indented lines below it")
            return
        }
        if block == .line, config.line == nil { config.line = LineConfig() }
        let s = ConfigScope.block(block)
        sourceMap.record(s, ConfigSourceMap.header, line: number)
        scope = s
    }

    private mutating func statementInBlock(_ tokens: [ConfigToken], _ first: String, _ number: Int) {
        guard let open = scope else {
            if Self.headerWords.contains(first) || !ConfigSchema.statements(in: .top, startingWith: first).isEmpty {
                fail(number, first, "is a top-level statement: write it without indentation")
            } else {
                fail(number, first, "indented line is not inside a block (a block starts with an unindented header such as 'profile NAME')")
            }
            return
        }
        guard let s = open else { return }  // the header was refused; its statements would only repeat that
        apply(tokens, in: s.block, scope: s, number)
    }

    private mutating func apply(_ tokens: [ConfigToken], in block: ConfigBlock, scope s: ConfigScope, _ number: Int) {
        let first = tokens[0].text
        var candidates = ConfigSchema.statements(in: block, startingWith: first)
        if candidates.isEmpty {
            let known = ConfigSchema.keywords(in: block)
            if let other = ConfigSchema.blocks(having: first).first {
                let where_ = other == .top ? "is a top-level statement: write it without indentation"
                                           : "belongs in a \(other) block, not in \(block)"
                fail(number, first, where_)
            } else if block != .top, Self.headerWords.contains(first) {
                fail(number, first, "is a block header: write it without indentation")
            } else {
                fail(number, first, "unknown keyword '\(first)' in \(block)" + ConfigSuggestion.hint(first, known))
            }
            return
        }
        if candidates.count > 1 {
            let seconds = candidates.compactMap { $0.keywords.count > 1 ? $0.keywords[1] : nil }
            let second = tokens.count > 1 ? tokens[1].text : ""
            candidates = candidates.filter { $0.keywords.count > 1 && $0.keywords[1] == second }
            guard candidates.count == 1 else {
                let said = second.isEmpty ? "nothing" : "'\(second)'"
                fail(number, first, "expected " + seconds.map { "'\($0)'" }.joined(separator: " or ")
                     + " after '\(first)', not \(said)" + ConfigSuggestion.hint(second, seconds))
                return
            }
        }
        let statement = candidates[0]
        if !statement.repeatable, sourceMap.count(s, statement.field) > 0 {
            fail(number, statement.field, "given twice in this block (first at line \(sourceMap.line(s, statement.field)))")
            return
        }
        do {
            var i = 0
            var args: [ConfigArgument] = []
            try Self.match(statement.pattern, tokens, &i, &args)
            guard i == tokens.count else {
                // Never echo words of a secret line: they may be part of a password typed without quotes.
                throw ConfigProblem(statement.isSecret ? "takes one word (quote a password with spaces)"
                                                       : "unexpected '\(tokens[i].text)' (syntax: \(statement.syntax))")
            }
            try statement.apply(&config, s, ConfigArguments(values: args))
            sourceMap.record(s, statement.field, line: number)
        } catch let problem as ConfigProblem {
            fail(number, statement.field, problem.message)
        } catch {
            fail(number, statement.field, "\(error)")
        }
    }

    /// Matches pattern elements against tokens from `i`, appending one argument per value slot.
    static func match(_ pattern: [ConfigPatternElement], _ tokens: [ConfigToken], _ i: inout Int,
                      _ args: inout [ConfigArgument]) throws(ConfigProblem) {
        for element in pattern {
            switch element {
            case .keyword(let k):
                guard i < tokens.count else { throw ConfigProblem("missing '\(k)'") }
                guard tokens[i].text == k else {
                    throw ConfigProblem("expected '\(k)', not '\(tokens[i].text)'" + ConfigSuggestion.hint(tokens[i].text, [k]))
                }
                i += 1
            case .list(let inner, let min):
                var items: [ConfigArgument] = []
                while i < tokens.count {
                    try match([inner], tokens, &i, &items)
                }
                if items.count < min { throw ConfigProblem("needs at least \(min) \(inner.help) value\(min == 1 ? "" : "s")") }
                args.append(.list(items))
            case .optional(let group):
                if i < tokens.count {
                    try match(group, tokens, &i, &args)
                } else {
                    for e in group {
                        if case .keyword = e { continue }
                        args.append(.absent)
                    }
                }
            case .oneOf(let alternatives):
                let firsts = alternatives.compactMap { alt -> String? in
                    if case .keyword(let k)? = alt.first { return k }
                    return nil
                }
                guard i < tokens.count else { throw ConfigProblem("missing " + firsts.map { "'\($0)'" }.joined(separator: " or ")) }
                guard let index = firsts.firstIndex(of: tokens[i].text) else {
                    throw ConfigProblem("expected " + firsts.map { "'\($0)'" }.joined(separator: " or ")
                                        + ", not '\(tokens[i].text)'" + ConfigSuggestion.hint(tokens[i].text, firsts))
                }
                var inner: [ConfigArgument] = []
                try match(alternatives[index], tokens, &i, &inner)
                args.append(.alternative(index, inner))
            default:
                guard i < tokens.count else { throw ConfigProblem("missing \(element.help)") }
                args.append(try value(element, tokens[i]))
                i += 1
            }
        }
    }

    /// One value slot.
    static func value(_ element: ConfigPatternElement, _ token: ConfigToken) throws(ConfigProblem) -> ConfigArgument {
        let text = token.text
        switch element {
        case .integer(let name, _):
            guard let v = integer(text) else { throw ConfigProblem("'\(text)' is not a whole number (\(name))") }
            return .integer(v)
        case .integerRange(let name):
            let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let a = integer(parts[0]), let b = integer(parts[1]) else {
                throw ConfigProblem("'\(text)' is not a range \(name) (e.g. 10000-20000)")
            }
            return .range(a, b)
        case .choice(let words):
            guard words.contains(text) else {
                throw ConfigProblem("'\(text)' is not one of " + words.joined(separator: ", ") + ConfigSuggestion.hint(text, words))
            }
            return .word(text)
        case .secret:
            return .secret(!token.quoted && text == ConfigSecret.mask ? .keepCurrent : .value(text))
        default:
            return .word(text)
        }
    }

    /// A whole number of at most 9 digits, with an optional leading minus.
    static func integer(_ s: some StringProtocol) -> Int? {
        var digits = Substring(s)
        var negative = false
        if digits.hasPrefix("-") { negative = true; digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.count <= 9, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard let v = Int(digits) else { return nil }
        return negative ? -v : v
    }
}
