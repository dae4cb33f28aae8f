// LastGoodCopy: the running config kept outside the database (atomic replace), so a damaged store can start from it.

/// The file holds a one-line header and the exact text:
/// `trunkbox-last-good 1 id=<version> sha256=<hex> bytes=<count>\n<text>`.
/// The header lets a reader refuse a damaged copy instead of running half a config.
public struct LastGoodCopy: Sendable, Equatable {
    /// The store version the text came from (in the store that wrote it).
    public let versionID: Int64
    public let text: String
    public let sha256: String

    static let magic = "trunkbox-last-good 1"

    public init(versionID: Int64, text: String) {
        self.versionID = versionID
        self.text = text
        self.sha256 = StoreDigest.sha256Hex(text)
    }

    /// The file contents.
    var encoded: [UInt8] {
        Array("\(Self.magic) id=\(versionID) sha256=\(sha256) bytes=\(text.utf8.count)\n".utf8) + Array(text.utf8)
    }

    /// Writes the copy atomically (temporary file, fsync, rename, fsync of the directory), mode 0600.
    func write(to path: String) throws(StoreError) {
        try StoreFiles.writeAtomically(path, encoded)
    }

    /// Why a copy on disk cannot be used.
    public enum ReadResult: Sendable, Equatable {
        case missing
        case damaged(String)
        case valid(LastGoodCopy)
    }

    /// Reads and checks the copy at `path`: header, byte count and SHA-256 must all agree.
    public static func read(from path: String) -> ReadResult {
        let bytes: [UInt8]
        do throws(StoreError) {
            guard let read = try StoreFiles.readFile(path) else { return .missing }
            bytes = read
        } catch {
            return .damaged(error.description)
        }
        guard let newline = bytes.firstIndex(of: 0x0A) else { return .damaged("no header line") }
        let header = String(decoding: bytes[..<newline], as: UTF8.self)
        let body = Array(bytes[(newline + 1)...])
        let prefix = magic + " "
        guard header.hasPrefix(prefix) else { return .damaged("unknown header") }
        var fields: [String: String] = [:]
        for part in header.dropFirst(prefix.count).split(separator: " ") {
            guard let eq = part.firstIndex(of: "=") else { return .damaged("malformed header") }
            fields[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        guard let idText = fields["id"], let id = Int64(idText), let hash = fields["sha256"],
              let countText = fields["bytes"], let count = Int(countText) else { return .damaged("malformed header") }
        guard body.count == count else { return .damaged("holds \(body.count) bytes, header says \(count)") }
        guard StoreDigest.sha256Hex(body) == hash else { return .damaged("SHA-256 does not match") }
        guard let text = String(validating: body, as: UTF8.self) else { return .damaged("not UTF-8") }
        return .valid(LastGoodCopy(versionID: id, text: text))
    }
}
