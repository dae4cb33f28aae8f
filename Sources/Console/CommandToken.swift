// CommandToken: one word of a declared console command: a keyword or a typed argument.

/// A terminal of a command declaration. Keywords are written in lower case in declarations; arguments
/// are written as `WORD`, `NUMBER`, `<low-high>` or `YYYY-MM`.
public enum CommandToken: Sendable, Equatable, Hashable {
    /// A literal word, matched case-insensitively and by unique prefix.
    case keyword(String)
    /// Any single word (a profile name, a host name).
    case word
    /// A non-negative decimal integer.
    case number
    /// A decimal integer within `low...high`.
    case range(Int, Int)
    /// A calendar month written `YYYY-MM`.
    case month

    /// How the token is shown in help and error messages.
    public var display: String {
        switch self {
        case .keyword(let k): return k
        case .word: return "WORD"
        case .number: return "NUMBER"
        case .range(let lo, let hi): return "<\(lo)-\(hi)>"
        case .month: return "YYYY-MM"
        }
    }

    /// The keyword text, or nil for an argument.
    public var keyword: String? {
        if case .keyword(let k) = self { return k }
        return nil
    }

    /// How well `word` matches this token, or why it does not.
    func match(_ word: String) -> TokenMatch {
        switch self {
        case .keyword(let k):
            let w = word.lowercased()
            if w == k { return .exactKeyword }
            if k.hasPrefix(w) { return .prefixKeyword }
            return .none
        case .word:
            return .anyWord
        case .number:
            return Self.integer(word) != nil ? .argument : .invalid("expected a number")
        case .range(let lo, let hi):
            guard let n = Self.integer(word) else { return .invalid("expected a number from \(lo) to \(hi)") }
            return (lo...hi).contains(n) ? .argument : .invalid("expected a number from \(lo) to \(hi)")
        case .month:
            return ConsoleMonth(word) != nil ? .argument : .invalid("expected a month as YYYY-MM")
        }
    }

    /// A decimal integer of at most 9 digits (no sign), so it never overflows.
    static func integer(_ word: String) -> Int? {
        let u = Array(word.utf8)
        guard !u.isEmpty, u.count <= 9, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return u.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}

/// The result of matching one typed word against one token; larger ranks win.
enum TokenMatch: Equatable {
    case none
    case invalid(String)
    case anyWord
    case argument
    case prefixKeyword
    case exactKeyword

    var rank: Int {
        switch self {
        case .none, .invalid: return -1
        case .anyWord: return 0
        case .argument: return 1
        case .prefixKeyword: return 2
        case .exactKeyword: return 3
        }
    }
}

/// A calendar month (`YYYY-MM`) as typed on the console.
public struct ConsoleMonth: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init?(year: Int, month: Int) {
        guard (1970...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM` (exactly four digits, a dash, two digits; month 01 to 12).
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 7, u[4] == 0x2D,
              let y = CommandToken.integer(String(decoding: u[0..<4], as: UTF8.self)),
              let m = CommandToken.integer(String(decoding: u[5..<7], as: UTF8.self)) else { return nil }
        self.init(year: y, month: m)
    }

    public var description: String {
        let y = String(year)
        return y + "-" + (month < 10 ? "0" : "") + String(month)
    }
}
