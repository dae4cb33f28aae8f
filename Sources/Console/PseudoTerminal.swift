// PseudoTerminal: opens a pty pair (master fd, slave path) for tests and for driving a console by program.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pseudo-terminal master and the path of its slave (`/dev/pts/N`). The console is run on the
/// slave like on a serial port; whoever holds the master types and reads the screen.
public struct PseudoTerminal: Sendable {
    public let masterFD: Int32
    public let slavePath: String

    /// Opens `/dev/ptmx`, unlocks the slave and finds its number (Linux ioctls; `posix_openpt` and
    /// friends are not visible to Swift's Glibc module).
    public static func open() throws(TerminalError) -> PseudoTerminal {
        let fd = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        if fd < 0 { throw TerminalError("cannot open", path: "/dev/ptmx") }
        #if os(Linux)
        let TIOCSPTLCK: UInt = 0x4004_5431   // _IOW('T', 0x31, int)
        let TIOCGPTN: UInt = 0x8004_5430     // _IOR('T', 0x30, unsigned int)
        var unlock: Int32 = 0
        var number: Int32 = 0
        guard ioctl(fd, TIOCSPTLCK, &unlock) == 0, ioctl(fd, TIOCGPTN, &number) == 0 else {
            let e = TerminalError("cannot unlock the slave of", path: "/dev/ptmx")
            close(fd)
            throw e
        }
        return PseudoTerminal(masterFD: fd, slavePath: "/dev/pts/\(number)")
        #else
        close(fd)
        throw TerminalError("pseudo-terminals are only set up on Linux:", path: "/dev/ptmx", code: ENOSYS)
        #endif
    }
}
