// BoardProfileError: why a board profile file was refused, with the file line it concerns.

/// A problem in a board profile; `line` is 1-based, nil for the file as a whole.
public struct BoardProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int?
    public var message: String

    public init(line: Int?, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        line.map { "line \($0): \(message)" } ?? message
    }
}
