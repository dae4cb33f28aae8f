// ConsoleClock: monotonic time for the console (back-off, lockout, idle logout), injectable for tests.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point on a monotonic clock, in milliseconds.
public struct ConsoleInstant: Sendable, Comparable, Hashable, CustomStringConvertible {
    public var milliseconds: Int64
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func seconds(_ s: Int64) -> ConsoleInstant { ConsoleInstant(milliseconds: s * 1000) }
    public static func < (a: ConsoleInstant, b: ConsoleInstant) -> Bool { a.milliseconds < b.milliseconds }
    public func adding(seconds: Int64) -> ConsoleInstant { ConsoleInstant(milliseconds: milliseconds &+ seconds &* 1000) }
    public func adding(milliseconds ms: Int64) -> ConsoleInstant { ConsoleInstant(milliseconds: milliseconds &+ ms) }
    public var description: String { "\(milliseconds) ms" }
}

/// Where the console reads the time.
public protocol ConsoleClock: Sendable {
    func now() -> ConsoleInstant
}

/// CLOCK_MONOTONIC.
public struct MonotonicConsoleClock: ConsoleClock {
    public init() {}
    public func now() -> ConsoleInstant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ConsoleInstant(milliseconds: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}
