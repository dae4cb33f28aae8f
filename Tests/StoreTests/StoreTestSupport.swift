// StoreTestSupport: a scratch directory per test, file byte surgery, and fixed UTC instants.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Store

/// A fresh directory under /tmp, removed (with the files in it) when released.
final class ScratchDirectory {
    let path: String

    init() {
        var template = Array("/tmp/store-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit {
        for name in files() { unlink(path + "/" + name) }
        rmdir(path)
    }

    /// The database path inside the directory.
    var db: String { path + "/trunkbox.db" }

    /// Names of the files in the directory, sorted.
    func files() -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

enum Bytes {
    static func read(_ path: String) throws -> [UInt8] {
        try #require(try StoreFiles.readFile(path))
    }

    /// Writes `bytes` over the file (creating it), not atomically: test surgery only.
    static func replace(_ path: String, with bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// Overwrites `count` bytes at `offset` with `value`.
    static func overwrite(_ path: String, offset: Int, count: Int, with value: UInt8) {
        let fd = open(path, O_WRONLY)
        precondition(fd >= 0)
        let junk = [UInt8](repeating: value, count: count)
        _ = junk.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
        close(fd)
    }

    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : -1
    }
}

/// Fixed instants, so tests never read the clock.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0, ms: Int = 0) -> UTCTime {
    UTCTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: ms)!
}

let factory = "hostname trunkbox\n! factory defaults\n"
let t0 = utc(2026, 11, 29, 12, 0, 0)

/// Opens a store in `dir` with the test factory defaults at `t0` (or `now`).
func openStore(_ dir: ScratchDirectory, now: UTCTime = t0, check: IntegrityCheck = .full) throws -> (store: Store, report: StoreOpenReport) {
    try Store.open(at: dir.db, factoryDefaults: factory, options: StoreOptions(integrityCheck: check), now: now)
}
