// Fixtures: loads the readable .sip fixtures under Tests/Fixtures.
import Foundation

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static func names(in folder: String, ext: String = "sip") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(".\(ext)") }.sorted()
    }

    struct TortureCase: Sendable, CustomStringConvertible {
        var name: String
        var section: String
        var expect: String
        var uas: String
        var description: String { "\(name) (RFC 4475 §\(section))" }
    }

    /// MANIFEST.tsv of the RFC 4475 messages.
    static let torture: [TortureCase] = {
        guard let text = try? String(contentsOf: root.appendingPathComponent("rfc4475/MANIFEST.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 5 else { return nil }
            return TortureCase(name: cols[0], section: cols[1], expect: cols[3], uas: cols[4])
        }
    }()
}
