// LoginThrottle: back-off after each failed console login and a lockout after too many, shared by all consoles.

/// Counts failed logins across every console of the box. After the n-th failure in a row the next
/// attempt waits `min(2^(n-1), 30)` seconds; the `maxFailures`-th failure locks every console for
/// `lockoutSeconds`. A success (or the end of a lockout) starts the count again. Time is passed in.
public final class LoginThrottle: @unchecked Sendable {
    public let maxFailures: Int
    public let lockoutSeconds: Int64
    private let lock = ConsoleLock()
    private var failures = 0
    private var notBefore = ConsoleInstant(milliseconds: Int64.min)
    private var lockedUntil: ConsoleInstant?

    /// What a login attempt may do now.
    public enum State: Sendable, Equatable {
        case open
        /// Back-off after a failure: no attempt before this time.
        case wait(until: ConsoleInstant)
        case locked(until: ConsoleInstant)
    }

    public init(maxFailures: Int = 5, lockoutSeconds: Int64 = 300) {
        self.maxFailures = max(1, maxFailures)
        self.lockoutSeconds = max(1, lockoutSeconds)
    }

    public func state(now: ConsoleInstant) -> State {
        lock.withLock {
            if let until = lockedUntil {
                if now < until { return .locked(until: until) }
                lockedUntil = nil
                failures = 0
            }
            return now < notBefore ? .wait(until: notBefore) : .open
        }
    }

    /// Records a failed attempt and says what follows.
    @discardableResult
    public func failure(now: ConsoleInstant) -> State {
        lock.withLock {
            failures += 1
            if failures >= maxFailures {
                let until = now.adding(seconds: lockoutSeconds)
                lockedUntil = until
                return .locked(until: until)
            }
            let delay = Int64(min(1 << min(failures - 1, 5), 30))
            notBefore = now.adding(seconds: delay)
            return .wait(until: notBefore)
        }
    }

    /// Records a successful login.
    public func success() {
        lock.withLock {
            failures = 0
            notBefore = ConsoleInstant(milliseconds: Int64.min)
            lockedUntil = nil
        }
    }

    /// Failed attempts since the last success.
    public var failureCount: Int { lock.withLock { failures } }
}
