// TerminalIOTests: the unix socket server and client, the serial console service on a pty, device errors.
import Testing
@testable import Console
#if canImport(Glibc)
import Glibc
#endif

/// Collects log lines from console threads.
final class LogSink: @unchecked Sendable {
    private let lock = ConsoleLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var lines: [String] { lock.withLock { items } }
}

/// Reads from `fd` until `marker` appears in what was read (or the peer closes, or 10 s pass).
func readUntil(_ fd: Int32, _ marker: String, seen: inout String) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 4096)
    for _ in 0..<100 {
        if seen.contains(marker) { return true }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 100) >= 0 else { return false }
        if p.revents == 0 { continue }
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { return seen.contains(marker) }
        seen += String(decoding: buffer[0..<n], as: UTF8.self)
    }
    return seen.contains(marker)
}

func send(_ fd: Int32, _ s: String) {
    _ = ConsoleRunner.write(fd: fd, Array(s.utf8))
}

func connectUnix(_ path: String) -> Int32 {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, b) in path.utf8.enumerated() { raw[i] = b }
    }
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    if rc != 0 { close(fd); return -1 }
    return fd
}

@Suite(.serialized) struct TerminalIOTests {
    static func factory(_ backend: FakeBackend, _ throttle: LoginThrottle) -> ConsoleSessionFactory {
        nonisolated(unsafe) let b = backend
        return { settings in ConsoleSession(backend: b, throttle: throttle, settings: settings) }
    }

    @Test func socketServerServesSessionsAndClosesOnLogout() throws {
        let path = "/tmp/tb-console-test-\(getpid()).sock"
        let log = LogSink()
        let server = try ConsoleSocketServer(path: path, settings: ConsoleSettings(origin: "socket"),
                                             makeSession: Self.factory(FakeBackend(passwordHash: SessionRig.storedHash), LoginThrottle()),
                                             log: { log.add($0) })
        defer { server.shutdown() }
        var st = stat()
        #expect(stat(path, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600, "socket file is mode 0600")
        let fd = connectUnix(path)
        try #require(fd >= 0)
        defer { close(fd) }
        var seen = ""
        #expect(readUntil(fd, "Password: ", seen: &seen))
        send(fd, "Cupboard42\r")
        #expect(readUntil(fd, "trunkbox# ", seen: &seen))
        send(fd, "show calls\r")
        #expect(readUntil(fd, "no live calls\r\ntrunkbox# ", seen: &seen))
        #expect(!seen.contains("Cupboard42"))
        send(fd, "logout\r")
        var buffer = [UInt8](repeating: 0, count: 256)
        var closed = false
        for _ in 0..<50 {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&p, 1, 100)
            if p.revents != 0, read(fd, &buffer, buffer.count) <= 0 { closed = true; break }
        }
        #expect(closed, "the server closes the connection at logout")
        #expect(log.lines.isEmpty)
    }

    @Test func clientCopiesBothWays() throws {
        let path = "/tmp/tb-console-client-\(getpid()).sock"
        let server = try ConsoleSocketServer(path: path, settings: ConsoleSettings(origin: "socket"),
                                             makeSession: Self.factory(FakeBackend(passwordHash: SessionRig.storedHash), LoginThrottle()),
                                             log: { _ in })
        defer { server.shutdown() }
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        try #require(pipe(&input) == 0 && pipe(&output) == 0)
        send(input[1], "Cupboard42\rshow channels\rlogout\r")
        let status = ConsoleClient.run(path: path, input: input[0], output: output[1])
        close(output[1])
        var seen = ""
        _ = readUntil(output[0], "never", seen: &seen)
        close(input[0]); close(input[1]); close(output[0])
        #expect(status == 0)
        #expect(seen.contains("skype1  1/4\r\nskype2  0/2\r\ntrunkbox# logout\r\n"))
        var reports: [String] = []
        #expect(ConsoleClient.run(path: "/tmp/no-such-console.sock", input: -1, output: -1) { reports.append($0) } == 1)
        #expect(reports.first?.contains("cannot connect to /tmp/no-such-console.sock") == true)
    }

    @Test func serialServiceRunsOnATerminalAndSurvivesItVanishing() throws {
        let pty = try PseudoTerminal.open()
        let log = LogSink()
        let service = ConsoleTTYService(path: pty.slavePath, speed: 115200, settings: ConsoleSettings(origin: "console tty"),
                                        retrySeconds: 1,
                                        makeSession: Self.factory(FakeBackend(passwordHash: SessionRig.storedHash), LoginThrottle()),
                                        log: { log.add($0) })
        defer { service.shutdown() }
        var seen = ""
        #expect(readUntil(pty.masterFD, "Password: ", seen: &seen))
        send(pty.masterFD, "Cupboard42\rshow status\r")
        #expect(readUntil(pty.masterFD, "recent errors: none\r\ntrunkbox# ", seen: &seen))
        var t = termios()
        let slave = open(pty.slavePath, O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        #expect(tcgetattr(slave, &t) == 0)
        #expect(cfgetospeed(&t) == speed_t(B115200))
        #expect(t.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(t.c_cflag & tcflag_t(PARENB) == 0)
        #expect(t.c_lflag & tcflag_t(ICANON) == 0 && t.c_lflag & tcflag_t(ECHO) == 0)
        // Our own slave descriptor stays open until the end: it keeps this pts number allocated, so a
        // terminal that another test opens meanwhile cannot take the number and be reopened by the service.
        defer { close(slave) }
        close(pty.masterFD)                 // the device vanishes
        for _ in 0..<40 where log.lines.count < 2 { usleep(100_000) }
        let lines = log.lines
        #expect(lines.first == "console: \(pty.slavePath) hung up")
        #expect(lines.dropFirst().first?.hasPrefix("console: cannot open \(pty.slavePath): ") == true)
        #expect(lines.dropFirst().first?.hasSuffix("(trying again every 1 s)") == true)
        service.shutdown()                  // before our slave descriptor closes and frees the number
    }

    @Test func missingDevicesAndBadSpeedsAreReportedPlainly() {
        #expect(throws: TerminalError.self) { try TerminalDevice.open(path: "/dev/null", speed: 115200) }
        do {
            _ = try TerminalDevice.open(path: "/dev/ttyS0", speed: 12345)
            Issue.record("speed accepted")
        } catch {
            #expect(error.description.hasPrefix("unsupported speed 12345 for /dev/ttyS0"))
        }
        do {
            _ = try TerminalDevice.open(path: "/dev/no-such-tty", speed: 115200)
            Issue.record("opened")
        } catch {
            #expect(error.description == "cannot open /dev/no-such-tty: No such file or directory")
        }
    }
}
