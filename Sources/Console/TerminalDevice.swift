// TerminalDevice: opening a serial tty (or pty) in raw mode with termios, and raw mode for stdin.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on a console device, with the plain-language reason.
public struct TerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}

/// Terminal settings of a console: raw mode, 8 data bits, no parity, one stop bit, the given speed.
public enum TerminalDevice {
    /// The speeds a serial console may be set to.
    public static let speeds: [Int: speed_t] = [
        9600: speed_t(B9600), 19200: speed_t(B19200), 38400: speed_t(B38400), 57600: speed_t(B57600),
        115200: speed_t(B115200), 230400: speed_t(B230400),
    ]

    /// Opens `path` read-write (not as the controlling terminal) and sets raw 8N1 at `speed` baud.
    public static func open(path: String, speed: Int) throws(TerminalError) -> Int32 {
        guard let baud = speeds[speed] else { throw TerminalError("unsupported speed \(speed) for", path: path, code: EINVAL) }
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        if fd < 0 { throw TerminalError("cannot open", path: path) }
        do {
            try configure(fd: fd, path: path, baud: baud)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Sets raw 8N1 at `baud` on an open terminal.
    static func configure(fd: Int32, path: String, baud: speed_t) throws(TerminalError) {
        var t = termios()
        if tcgetattr(fd, &t) != 0 { throw TerminalError("cannot read terminal settings of", path: path) }
        cfmakeraw(&t)
        t.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        t.c_cflag |= tcflag_t(CS8) | tcflag_t(CREAD) | tcflag_t(CLOCAL)
        t.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        if cfsetispeed(&t, baud) != 0 || cfsetospeed(&t, baud) != 0 {
            throw TerminalError("cannot set the speed of", path: path)
        }
        if tcsetattr(fd, TCSANOW, &t) != 0 { throw TerminalError("cannot set terminal settings of", path: path) }
    }
}

/// Puts an interactive terminal (stdin) in raw mode and restores its settings afterwards.
public final class RawModeGuard {
    private let fd: Int32
    private var saved = termios()
    private var active = false

    /// Switches `fd` to raw mode if it is a terminal; does nothing otherwise.
    public init(fd: Int32 = 0) {
        self.fd = fd
        guard isatty(fd) == 1, tcgetattr(fd, &saved) == 0 else { return }
        var raw = saved
        cfmakeraw(&raw)
        if tcsetattr(fd, TCSAFLUSH, &raw) == 0 { active = true }
    }

    /// Whether raw mode was switched on.
    public var isActive: Bool { active }

    /// Restores the saved settings (also done on deinit).
    public func restore() {
        guard active else { return }
        tcsetattr(fd, TCSAFLUSH, &saved)
        active = false
    }

    deinit { restore() }
}
