// ConsoleRunner: runs a ConsoleSession over a file descriptor with poll(): reads keys, ticks time, writes output.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a console loop ended.
public enum ConsoleEnd: Sendable, Equatable {
    /// The session logged out and closes on logout.
    case loggedOut
    /// The other side closed (a socket client left, a pty master closed).
    case endOfFile
    /// The device failed (EIO when a USB serial adapter is pulled, EBADF, ...): the errno.
    case deviceError(Int32)
    /// `StopSignal` was given.
    case stopped
}

/// Text posted to a session from other threads (SIP trace lines), shown at its next wake-up.
public final class ConsoleInbox: @unchecked Sendable {
    private let lock = ConsoleLock()
    private var items: [(text: String, trace: Bool)] = []
    let wake = StopSignal()

    public init() {}

    /// Queues text for the console (at most 1,000 pending items; older ones are dropped). A trace line
    /// (`trace: true`) is shown only if that console turned `debug sip` on.
    public func post(_ text: String, trace: Bool = false) {
        lock.withLock {
            items.append((text, trace))
            if items.count > 1000 { items.removeFirst(items.count - 1000) }
        }
        var b: UInt8 = 1
        _ = write(wake.writeFD, &b, 1)
    }

    func take() -> [(text: String, trace: Bool)] {
        var drain = [UInt8](repeating: 0, count: 64)
        while read(wake.readFD, &drain, drain.count) > 0 {}
        return lock.withLock {
            defer { items = [] }
            return items
        }
    }
}

/// The poll() loop of one console.
public enum ConsoleRunner {
    /// Serves `session` on `fd` (read and write) until logout, end of file, a device error or `stop`.
    /// Blocks the calling thread; call it on the console's own thread.
    public static func serve(fd: Int32, session: ConsoleSession, clock: ConsoleClock,
                             stop: StopSignal, inbox: ConsoleInbox? = nil) -> ConsoleEnd {
        serve(readFD: fd, writeFD: fd, session: session, clock: clock, stop: stop, inbox: inbox)
    }

    /// Serves `session` reading keys from `readFD` and writing to `writeFD` (stdin and stdout).
    public static func serve(readFD fd: Int32, writeFD: Int32, session: ConsoleSession, clock: ConsoleClock,
                             stop: StopSignal, inbox: ConsoleInbox? = nil) -> ConsoleEnd {
        if case .some(let end) = write(fd: writeFD, session.start(now: clock.now())) { return end }
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            if session.isClosed { return .loggedOut }
            if stop.isSignalled { return .stopped }
            var timeout: Int32 = 1000
            if let deadline = session.nextDeadline() {
                let ms = deadline.milliseconds - clock.now().milliseconds
                timeout = Int32(max(0, min(1000, ms)))
            }
            var fds = [
                pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: stop.readFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: inbox?.wake.readFD ?? -1, events: Int16(POLLIN), revents: 0),
            ]
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 {
                if errno == EINTR { continue }
                return .deviceError(errno)
            }
            if stop.isSignalled { return .stopped }
            var output: [UInt8] = []
            if let inbox, fds[2].revents & Int16(POLLIN) != 0 {
                for item in inbox.take() { output += session.notify(item.text, trace: item.trace) }
            }
            let revents = fds[0].revents
            if revents & Int16(POLLIN) != 0 {
                let got = read(fd, &buffer, buffer.count)
                if got == 0 { return .endOfFile }
                if got < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return errno == EIO ? .endOfFile : .deviceError(errno)
                }
                // Line by line, with what other threads posted in between: the trace a command caused
                // shows right after it, even when the installer typed ahead.
                var start = 0
                for i in 0..<got where buffer[i] == 0x0D || buffer[i] == 0x0A {
                    output += session.feed(buffer[start...i], now: clock.now())
                    start = i + 1
                    if let inbox {
                        for item in inbox.take() { output += session.notify(item.text, trace: item.trace) }
                    }
                }
                if start < got { output += session.feed(buffer[start..<got], now: clock.now()) }
            } else if revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                return revents & Int16(POLLNVAL) != 0 ? .deviceError(EBADF) : .endOfFile
            }
            output += session.tick(now: clock.now())
            if case .some(let end) = write(fd: writeFD, output) { return end }
        }
    }

    /// Writes all of `bytes`; returns how the loop ends if the descriptor failed.
    static func write(fd: Int32, _ bytes: [UInt8]) -> ConsoleEnd? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, 1000)
                    continue
                }
                return errno == EPIPE || errno == EIO ? .endOfFile : .deviceError(errno)
            }
            offset += n
        }
        return nil
    }
}
