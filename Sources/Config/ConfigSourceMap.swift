// ConfigSourceMap: which line of a config text each statement came from, for issues that name lines.

/// Lines of the statements of one parsed text, keyed by scope, field and occurrence (the index of the
/// item for repeatable statements, e.g. the 3rd `online-number` of a profile is occurrence 2).
public struct ConfigSourceMap: Sendable, Hashable {
    struct Key: Hashable, Sendable {
        var scope: ConfigScope
        var field: String
        var occurrence: Int
    }

    var lines: [Key: Int] = [:]
    var counts: [Key: Int] = [:]

    public init() {}

    /// Field name used for a block's header line.
    static let header = ""

    /// Records a statement; returns its occurrence index.
    @discardableResult
    mutating func record(_ scope: ConfigScope, _ field: String, line: Int) -> Int {
        let countKey = Key(scope: scope, field: field, occurrence: -1)
        let n = counts[countKey, default: 0]
        counts[countKey] = n + 1
        lines[Key(scope: scope, field: field, occurrence: n)] = line
        return n
    }

    /// How many times a field was written in a scope.
    func count(_ scope: ConfigScope, _ field: String) -> Int {
        counts[Key(scope: scope, field: field, occurrence: -1), default: 0]
    }

    /// The line of a block's header (first one when a block was opened twice), if it was written.
    public func headerLine(_ scope: ConfigScope) -> Int? {
        lines[Key(scope: scope, field: Self.header, occurrence: 0)]
    }

    /// The line of the `occurrence`-th statement `field` in `scope`; falls back to the field's first
    /// occurrence, then the block header, then line 1, so an issue always names a line.
    public func line(_ scope: ConfigScope, _ field: String, occurrence: Int = 0) -> Int {
        if let l = lines[Key(scope: scope, field: field, occurrence: occurrence)] { return l }
        if let l = lines[Key(scope: scope, field: field, occurrence: 0)] { return l }
        if let l = headerLine(scope) { return l }
        return 1
    }

    /// Whether the statement was written at all.
    public func contains(_ scope: ConfigScope, _ field: String) -> Bool {
        lines[Key(scope: scope, field: field, occurrence: 0)] != nil
    }
}
