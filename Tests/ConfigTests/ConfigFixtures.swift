// ConfigFixtures: loads the config texts under Tests/Fixtures/config and their `! expect:` lines.
import Foundation

enum ConfigFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("config")

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    static func names(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(".conf") }.sorted()
    }

    /// One expectation of a failing fixture: `! expect: error | LINE | FIELD | message part`.
    struct Expectation: Sendable, Hashable, CustomStringConvertible {
        var severity: String
        var line: Int
        var field: String
        var message: String
        var description: String { "\(severity) line \(line) \(field): \(message)" }
    }

    static func expectations(in text: String) -> [Expectation] {
        text.split(separator: "\n").compactMap { line -> Expectation? in
            guard line.hasPrefix("! expect: ") else { return nil }
            let parts = line.dropFirst("! expect: ".count).components(separatedBy: " | ")
            guard parts.count == 4, let n = Int(parts[1]) else { return nil }
            return Expectation(severity: parts[0], line: n, field: parts[2], message: parts[3])
        }
    }

    /// The Architects example (the guide's example company: Sales and Engineering profiles).
    static var architects: String { get throws { try text("architects.conf") } }
}
