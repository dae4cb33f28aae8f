// ControlSocket: the emulator's control socket (a unix stream socket, mode 0600): one command a line, each
// answer ends with a line holding only `.`. Drive it with e.g.
//   python3 -c 'import socket,sys;s=socket.socket(socket.AF_UNIX);s.connect(sys.argv[1]);s.sendall((sys.argv[2]+"\n").encode());print(s.recv(65536).decode())' SOCK 'status'
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class ControlSocket: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let handle: @Sendable (String) -> String
    private let lock = NSLock()
    private var stopped = false

    public init(path: String, handle: @escaping @Sendable (String) -> String) throws {
        unlink(path)
        let s = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw EmulatorError("cannot create the control socket (errno \(errno))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { close(s); throw EmulatorError("control socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { p in for (i, b) in bytes.enumerated() { p[i] = b }; p[bytes.count] = 0 }
        let old = umask(0o077)
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        umask(old)
        guard r == 0, listen(s, 8) == 0 else { close(s); throw EmulatorError("cannot listen on \(path) (errno \(errno))") }
        self.path = path
        self.fd = s
        self.handle = handle
        let t = Thread { [self] in self.acceptLoop() }
        t.name = "emulator-control"
        t.start()
    }

    public func shutdown() {
        lock.withLock { stopped = true }
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        unlink(path)
    }

    private func acceptLoop() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            let t = Thread { [self] in self.serve(c) }
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(c, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            pending += buffer[0..<n]
            while let nl = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<nl], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                pending.removeSubrange(...nl)
                if line.isEmpty { continue }
                if line == "quit" { return }
                let answer = Array((handle(line) + "\n.\n").utf8)
                var off = 0
                while off < answer.count {
                    let w = answer[off...].withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
                    guard w > 0 else { return }
                    off += w
                }
            }
        }
    }
}
