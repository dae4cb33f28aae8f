// ConsoleHelpItem: one line of `?` help (a possible next token and what it means) and its rendering.

/// A possible next token with its help text, as listed by `?`. Keywords can be completed with TAB;
/// arguments (`WORD`, `<1-60>`) and `<cr>` are only listed.
public struct ConsoleHelpItem: Sendable, Equatable, Hashable {
    public var token: String
    public var help: String
    public var isKeyword: Bool

    public init(token: String, help: String, isKeyword: Bool) {
        self.token = token
        self.help = help
        self.isKeyword = isKeyword
    }

    /// The `<cr>` item: the line is complete as typed.
    public static let endOfLine = ConsoleHelpItem(token: "<cr>", help: "", isKeyword: false)

    /// Sorts keywords alphabetically, then arguments, then `<cr>`, dropping repeated tokens.
    public static func ordered(_ items: [ConsoleHelpItem]) -> [ConsoleHelpItem] {
        var seen = Set<String>()
        let unique = items.filter { seen.insert($0.token).inserted }
        func rank(_ i: ConsoleHelpItem) -> Int { i.token == "<cr>" ? 2 : (i.isKeyword ? 0 : 1) }
        return unique.enumerated().sorted { a, b in
            let ra = rank(a.element), rb = rank(b.element)
            if ra != rb { return ra < rb }
            if ra == 0 { return a.element.token < b.element.token }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The help listing as lines: two spaces, the token padded to the widest, two spaces, the help.
    public static func render(_ items: [ConsoleHelpItem]) -> [String] {
        let width = items.map(\.token.count).max() ?? 0
        return items.map { item in
            item.help.isEmpty
                ? "  " + item.token
                : "  " + item.token + String(repeating: " ", count: width - item.token.count) + "  " + item.help
        }
    }
}
