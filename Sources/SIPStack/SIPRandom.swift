// SIPRandom: the kernel's CSPRNG read 4 KiB at a time into a per-thread pool, for tags, branches and
// other per-message random values (one read of /dev/urandom per 512 draws instead of a getrandom call per draw).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOPosix

/// A cryptographically secure generator: the same source as `SystemRandomNumberGenerator` (the
/// kernel's CSPRNG, here through /dev/urandom: Swift's Glibc module does not expose getrandom),
/// fetched in blocks of 4 KiB into a pool kept per thread, so generating a
/// To tag or a branch for each message costs no system call. Any thread may use it; threads never
/// share a pool, so no value is handed out twice.
public struct SIPRandom: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        let pool: SIPRandomPool
        if let current = SIPRandomPool.perThread.currentValue {
            pool = current
        } else {
            pool = SIPRandomPool()
            SIPRandomPool.perThread.currentValue = pool
        }
        return pool.next()
    }
}

// Touched only by the thread it belongs to (ThreadSpecificVariable).
final class SIPRandomPool: @unchecked Sendable {
    static let perThread = ThreadSpecificVariable<SIPRandomPool>()
    static let words = 512

    private var buffer = [UInt64](repeating: 0, count: SIPRandomPool.words)
    private var index = SIPRandomPool.words

    func next() -> UInt64 {
        if index == Self.words { refill() }
        let value = buffer[index]
        buffer[index] = 0  // a value handed out is not kept in memory
        index += 1
        return value
    }

    // Opened once for the process; -1 when it cannot be (then SystemRandomNumberGenerator fills the pool).
    private static let urandom: Int32 = open("/dev/urandom", O_RDONLY | O_CLOEXEC)

    private func refill() {
        let fd = Self.urandom
        let filled = fd >= 0 && buffer.withUnsafeMutableBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = read(fd, raw.baseAddress! + done, raw.count - done)
                if n > 0 {
                    done += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
        if !filled {
            var system = SystemRandomNumberGenerator()
            for i in buffer.indices { buffer[i] = system.next() }
        }
        index = 0
    }
}
