// ConsoleService: the box's consoles: a serial tty (reopened after errors), stdin, and the local unix socket.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the session for a new console connection (called on that console's thread).
public typealias ConsoleSessionFactory = @Sendable (_ settings: ConsoleSettings) -> ConsoleSession

/// Runs one console on a serial device in its own thread. When the device cannot be opened or fails
/// (EIO when an adapter is pulled), the reason is logged in plain words and the device is opened
/// again after `retrySeconds`; the console never takes the box down.
public final class ConsoleTTYService: @unchecked Sendable {
    public let path: String
    public let speed: Int
    public let inbox = ConsoleInbox()
    private let stop = StopSignal()
    private var thread: ConsoleThread?

    /// - Parameters:
    ///   - log: receives one line per problem (never a password).
    public init(path: String, speed: Int, settings: ConsoleSettings, clock: ConsoleClock = MonotonicConsoleClock(),
                retrySeconds: Int32 = 5, makeSession: @escaping ConsoleSessionFactory,
                log: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.speed = speed
        let stop = self.stop, inbox = self.inbox
        thread = ConsoleThread { [path, speed] in
            var lastProblem = ""
            while !stop.isSignalled {
                let fd: Int32
                do {
                    fd = try TerminalDevice.open(path: path, speed: speed)
                } catch {
                    let problem = "console: \(error) (trying again every \(retrySeconds) s)"
                    if problem != lastProblem { log(problem); lastProblem = problem }
                    if stop.wait(milliseconds: retrySeconds * 1000) { break }
                    continue
                }
                if !lastProblem.isEmpty { log("console: \(path) is back at \(speed) 8N1") }
                lastProblem = ""
                let session = makeSession(settings)
                let end = ConsoleRunner.serve(fd: fd, session: session, clock: clock, stop: stop, inbox: inbox)
                if end != .stopped { tcdrain(fd) }
                close(fd)
                switch end {
                case .stopped: return
                case .loggedOut: continue
                case .endOfFile: lastProblem = "console: \(path) hung up"; log(lastProblem)
                case .deviceError(let code):
                    lastProblem = "console: \(TerminalError("lost", path: path, code: code))"
                    log(lastProblem)
                }
                if stop.wait(milliseconds: retrySeconds * 1000) { break }
            }
        }
    }

    /// Stops the console thread and waits for it.
    public func shutdown() {
        stop.signal()
        thread?.join()
        thread = nil
    }
}

/// Runs a console on the process's own terminal (stdin/stdout) in raw mode until logout or end of
/// input; the terminal settings are restored afterwards. Blocks the calling thread.
public enum ConsoleStdin {
    public static func run(session: ConsoleSession, clock: ConsoleClock = MonotonicConsoleClock(), stop: StopSignal = StopSignal(),
                           inbox: ConsoleInbox? = nil) -> ConsoleEnd {
        let raw = RawModeGuard(fd: 0)
        defer { raw.restore() }
        if isatty(0) == 1 {
            return ConsoleRunner.serve(fd: 0, session: session, clock: clock, stop: stop, inbox: inbox)
        }
        // Not a terminal (a pipe): read stdin, write stdout.
        return ConsoleRunner.serve(readFD: 0, writeFD: 1, session: session, clock: clock, stop: stop, inbox: inbox)
    }
}

/// The local unix-domain socket `trunkbox console` connects to: one thread accepts, one thread per
/// client runs a session that ends at logout. The socket file is created mode 0600.
public final class ConsoleSocketServer: @unchecked Sendable {
    public let path: String
    public static let maxClients = 4
    private let stop = StopSignal()
    private var thread: ConsoleThread?
    private let listenFD: Int32
    private let lock = ConsoleLock()
    private var live = 0
    private var inboxes: [ObjectIdentifier: ConsoleInbox] = [:]

    public init(path: String, settings: ConsoleSettings, clock: ConsoleClock = MonotonicConsoleClock(),
                makeSession: @escaping ConsoleSessionFactory, log: @escaping @Sendable (String) -> Void) throws(TerminalError) {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw TerminalError("socket path too long:", path: path, code: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in pathBytes.enumerated() { raw[i] = b }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw TerminalError("cannot create socket for", path: path) }
        unlink(path)
        let oldMask = umask(0o177)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(oldMask)
        if rc != 0 { let e = TerminalError("cannot bind", path: path); close(fd); throw e }
        chmod(path, 0o600)
        if listen(fd, 4) != 0 { let e = TerminalError("cannot listen on", path: path); close(fd); throw e }
        listenFD = fd
        let stop = self.stop
        thread = ConsoleThread { [weak self] in
            while !stop.isSignalled {
                var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: stop.readFD, events: Int16(POLLIN), revents: 0)]
                if poll(&fds, 2, 1000) < 0, errno != EINTR { log("console: poll on \(path) failed"); return }
                if stop.isSignalled { return }
                guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
                let client = accept(fd, nil, nil)
                if client < 0 { continue }
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                guard let self, self.admit() else {
                    _ = ConsoleRunner.write(fd: client, Array("% Too many console clients\r\n".utf8))
                    close(client)
                    continue
                }
                var clientSettings = settings
                clientSettings.closeOnLogout = true
                let counter = self
                let inbox = ConsoleInbox()
                self.lock.withLock { self.inboxes[ObjectIdentifier(inbox)] = inbox }
                _ = ConsoleThread(detached: true) { [clientSettings] in
                    let session = makeSession(clientSettings)
                    _ = ConsoleRunner.serve(fd: client, session: session, clock: clock, stop: stop, inbox: inbox)
                    close(client)
                    counter.lock.withLock { counter.inboxes[ObjectIdentifier(inbox)] = nil }
                    counter.leave()
                }
            }
        }
    }

    private func admit() -> Bool {
        lock.withLock {
            guard live < Self.maxClients else { return false }
            live += 1
            return true
        }
    }

    private func leave() { lock.withLock { live -= 1 } }

    /// Clients connected now.
    public var clientCount: Int { lock.withLock { live } }

    /// Shows `text` on every connected client (a trace line only where `debug sip` is on).
    public func post(_ text: String, trace: Bool = false) {
        for inbox in lock.withLock({ Array(inboxes.values) }) { inbox.post(text, trace: trace) }
    }

    /// Stops accepting, ends every client session (waiting up to two seconds for them) and removes
    /// the socket file.
    public func shutdown() {
        stop.signal()
        thread?.join()
        thread = nil
        for _ in 0..<200 where clientCount > 0 { usleep(10_000) }
        close(listenFD)
        unlink(path)
    }
}

/// The client side of `trunkbox console`: puts the local terminal in raw mode and copies bytes both
/// ways until the box closes the session.
public enum ConsoleClient {
    /// Connects to `path` and runs until the session ends; returns a process exit status.
    public static func run(path: String, input: Int32 = 0, output: Int32 = 1,
                           report: (String) -> Void = { _ in }) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { report("console: socket path too long"); return 2 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in pathBytes.enumerated() { raw[i] = b }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { report("console: \(TerminalError("cannot create socket for", path: path))"); return 1 }
        defer { close(fd) }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            report("console: \(TerminalError("cannot connect to", path: path)) (is trunkbox running?)")
            return 1
        }
        let raw = RawModeGuard(fd: input)
        defer { raw.restore() }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var inputOpen = true
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inputOpen ? input : -1, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                return 1
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { return 0 }
                if ConsoleRunner.write(fd: output, Array(buffer[0..<n])) != nil { return 1 }
            }
            if fds[1].revents & Int16(POLLIN | POLLHUP) != 0 {
                let n = read(input, &buffer, buffer.count)
                if n <= 0 {
                    inputOpen = false
                    shutdown(fd, Int32(SHUT_WR))
                    continue
                }
                if ConsoleRunner.write(fd: fd, Array(buffer[0..<n])) != nil { return 1 }
            }
        }
    }
}
