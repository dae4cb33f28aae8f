// StoreFiles: the POSIX file steps the store relies on: private modes, atomic replace, fsync of file and directory.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File system helpers. Every failure is a `StoreError.io` naming the step, the path and `errno`.
enum StoreFiles {
    /// Owner read/write only: the mode of every file the store writes (it holds SIP secrets).
    static let privateMode: mode_t = 0o600

    /// The suffixes SQLite gives the files that belong to a database file.
    static let companionSuffixes = ["-wal", "-shm", "-journal"]

    static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// True when something (file, directory, link) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The permission bits of `path`, or nil when it does not exist.
    static func permissions(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// The directory part of `path` ("." for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// Creates `path` as an empty file with mode 0600 unless it exists. Returns true when it created it.
    @discardableResult
    static func createPrivateFile(_ path: String) throws(StoreError) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, privateMode)
        if fd < 0 {
            let code = errno
            if code == EEXIST { return false }
            throw .io(operation: "create", path: path, errno: code)
        }
        defer { close(fd) }
        // The umask may have removed bits; fchmod sets exactly 0600 whatever it was.
        guard fchmod(fd, privateMode) == 0 else { throw .io(operation: "chmod", path: path, errno: errno) }
        return true
    }

    /// Sets mode 0600 on `path` if it exists.
    static func makePrivate(_ path: String) throws(StoreError) {
        if chmod(path, privateMode) != 0 {
            let code = errno
            if code == ENOENT { return }
            throw .io(operation: "chmod", path: path, errno: code)
        }
    }

    /// Sets mode 0600 on a database file and on whichever of its -wal/-shm/-journal files exist.
    static func makeDatabaseFilesPrivate(_ path: String) throws(StoreError) {
        try makePrivate(path)
        for suffix in companionSuffixes { try makePrivate(path + suffix) }
    }

    /// Runs `body` with the process umask set to 077, restoring the old mask afterwards. The umask is
    /// per process: call this only where no other thread creates files (the store opens at start-up).
    static func withPrivateUmask<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let old = umask(0o077)
        defer { umask(old) }
        return try body()
    }

    /// fsync on a directory, so a rename or create inside it survives a power cut.
    static func syncDirectory(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open directory", path: path, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync directory", path: path, errno: errno) }
    }

    static func moveFile(_ from: String, to: String) throws(StoreError) {
        guard rename(from, to) == 0 else { throw .io(operation: "rename", path: "\(from) to \(to)", errno: errno) }
    }

    static func remove(_ path: String) throws(StoreError) {
        if unlink(path) != 0 && errno != ENOENT { throw .io(operation: "remove", path: path, errno: errno) }
    }

    /// The whole file, or nil when it does not exist.
    static func readFile(_ path: String) throws(StoreError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw .io(operation: "open", path: path, errno: code)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "read", path: path, errno: errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Replaces `path` with `bytes` so that after a crash or power cut it holds either the old or the
    /// new content, whole: write a temporary file (mode 0600), fsync it, rename it over `path`, fsync
    /// the directory.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(StoreError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, privateMode)
        guard fd >= 0 else { throw .io(operation: "create", path: temporary, errno: errno) }
        do throws(StoreError) {
            guard fchmod(fd, privateMode) == 0 else { throw .io(operation: "chmod", path: temporary, errno: errno) }
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw .io(operation: "write", path: temporary, errno: errno)
                }
                written += count
            }
            guard fsync(fd) == 0 else { throw .io(operation: "fsync", path: temporary, errno: errno) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        try moveFile(temporary, to: path)
        try syncDirectory(directory(of: path))
    }
}
