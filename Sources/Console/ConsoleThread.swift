// ConsoleThread: an OS thread per console (pthread), and a pipe to wake a poll() loop for stopping.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a detached or joinable pthread running a closure.
public final class ConsoleThread: @unchecked Sendable {
    private var thread = pthread_t()
    private var started = false

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread; a detached thread cannot be joined and frees itself at its end.
    public init(detached: Bool = false, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            let box = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
            box.body()
            return nil
        }, box)
        if rc == 0 {
            if detached { pthread_detach(thread) } else { started = true }
        } else {
            Unmanaged<Box>.fromOpaque(box).release()
        }
    }

    /// Whether the thread could be created.
    public var isRunning: Bool { started }

    /// Waits for the thread to finish.
    public func join() {
        guard started else { return }
        pthread_join(thread, nil)
        started = false
    }
}

/// A self-pipe: `signal()` from any thread makes its read end readable, which ends a poll() wait.
public final class StopSignal: @unchecked Sendable {
    let readFD: Int32
    let writeFD: Int32
    private let lock = ConsoleLock()
    private var stopped = false

    public init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        if readFD >= 0 { close(readFD) }
        if writeFD >= 0 { close(writeFD) }
    }

    /// Asks every loop waiting on this signal to stop.
    public func signal() {
        lock.withLock { stopped = true }
        var b: UInt8 = 1
        _ = write(writeFD, &b, 1)
    }

    public var isSignalled: Bool { lock.withLock { stopped } }

    /// Waits up to `milliseconds` for the signal; returns whether it was given.
    func wait(milliseconds: Int32) -> Bool {
        if isSignalled { return true }
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, milliseconds)
        return isSignalled
    }
}
