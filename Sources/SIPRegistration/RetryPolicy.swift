// RetryPolicy: how long to wait before trying a failed registration again (RFC 3261 §21.5.4 and §20.33 Retry-After).

/// Back-off after a failed registration round (all targets tried, or a final refusal):
///
///     delay(n) = min(base * 2^(n-1), maximum) * (1 - jitter * r)      r in 0 ..< 1 from the random source
///
/// `n` counts consecutive failed rounds (reset by a 2xx); `base` is `failureInterval` for transient
/// failures (time-outs, transport errors, 5xx, other refusals) and `forbiddenInterval` for failures that
/// need a person (wrong credentials, unknown user, 6xx). Jitter only shortens the delay, so `maximum`
/// stays a true upper bound. With the defaults a time-out streak waits about 60, 120, 240, ... 1800 s,
/// a wrong password about 300, 600, 1200, 1800, 1800 s.
///
/// A Retry-After from a 503, 500 or 480 is honoured instead: never earlier than asked, lengthened by up
/// to `jitter` of itself so boxes refused together do not return together, and clamped to
/// `maximumRetryAfter` against absurd values.
public struct RetryPolicy: Sendable, Hashable {
    /// First wait after a transient failure.
    public var failureInterval: Duration
    /// First wait after the registrar refused the credentials or the user.
    public var forbiddenInterval: Duration
    /// The cap on the exponential back-off.
    public var maximumInterval: Duration
    /// The fraction of each delay varied at random, 0 to 1.
    public var jitter: Double
    /// The longest Retry-After honoured.
    public var maximumRetryAfter: Duration

    public init(
        failureInterval: Duration = .seconds(60),
        forbiddenInterval: Duration = .seconds(300),
        maximumInterval: Duration = .seconds(1800),
        jitter: Double = 0.2,
        maximumRetryAfter: Duration = .seconds(3600)
    ) {
        self.failureInterval = failureInterval
        self.forbiddenInterval = forbiddenInterval
        self.maximumInterval = maximumInterval
        self.jitter = jitter
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// The wait after the `failures`-th consecutive failed round; `random` is in 0 ..< 1.
    public func delay(afterFailures failures: Int, forbidden: Bool, random: Double) -> Duration {
        let cap = max(maximumInterval.wholeMilliseconds, 1000)
        var ms = max((forbidden ? forbiddenInterval : failureInterval).wholeMilliseconds, 1000)
        var doublings = max(failures, 1) - 1
        while doublings > 0 && ms < cap {
            ms *= 2
            doublings -= 1
        }
        ms = min(ms, cap)
        let shortened = Double(ms) * (1 - clampedJitter * Self.unit(random))
        return .milliseconds(Int64(shortened.rounded()))
    }

    /// The wait for a Retry-After of `seconds`; `random` is in 0 ..< 1.
    public func delay(retryAfter seconds: UInt32, random: Double) -> Duration {
        let asked = max(Int64(seconds), 1) * 1000
        let lengthened = Double(asked) * (1 + clampedJitter * Self.unit(random))
        return .milliseconds(min(Int64(lengthened.rounded()), max(maximumRetryAfter.wholeMilliseconds, 1000)))
    }

    private var clampedJitter: Double { jitter.isFinite ? min(max(jitter, 0), 1) : 0 }

    private static func unit(_ r: Double) -> Double { r.isFinite ? min(max(r, 0), 1) : 0 }
}
