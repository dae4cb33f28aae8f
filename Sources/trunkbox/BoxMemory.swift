// BoxMemory: what the box's process holds (resident memory, the C heap, SQLite's share, open files), for
// `show status`: a box on a wall for years must show an installer whether it grows.
import CShim
import Foundation

struct BoxMemory: Equatable {
    var residentBytes: UInt64
    var heapInUse: UInt64
    var heapFree: UInt64
    var sqliteBytes: UInt64
    var openFiles: Int

    /// Reads the running process's figures (/proc/self/statm, glibc's mallinfo2, SQLite, /proc/self/fd).
    static func current() -> BoxMemory {
        var inUse: UInt64 = 0, free: UInt64 = 0, mapped: UInt64 = 0
        tb_heap_usage(&inUse, &free, &mapped)
        var resident: UInt64 = 0
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = UInt64(fields[1]) { resident = pages * UInt64(sysconf(Int32(_SC_PAGESIZE))) }
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return BoxMemory(residentBytes: resident, heapInUse: inUse, heapFree: free,
                         sqliteBytes: UInt64(max(0, tb_sqlite_memory_used())), openFiles: max(0, files - 1))
    }

    /// One `show status` line: "memory: resident 42.1 MB, heap 3.4 MB in use (SQLite 1.2 MB), 0.9 MB free in the heap, 57 open files".
    var text: String {
        "memory: resident \(Self.megabytes(residentBytes)), heap \(Self.megabytes(heapInUse)) in use (SQLite \(Self.megabytes(sqliteBytes))), "
            + "\(Self.megabytes(heapFree)) free in the heap, \(openFiles) open files"
    }

    static func megabytes(_ bytes: UInt64) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
