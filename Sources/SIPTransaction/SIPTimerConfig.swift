// SIPTimerConfig: the timer values of RFC 3261 §17.1.1.1 and Table 4, with RFC 6026 §8 Timers L and M.

/// T1, T2 and T4 and the durations every transaction timer derives from them. Durations are given to
/// the driver in `startTimer` actions; nothing here reads a clock.
public struct SIPTimerConfig: Sendable, Hashable {
    /// Round-trip time estimate (default 500 ms).
    public var t1: Duration
    /// Longest retransmission interval for non-INVITE requests and INVITE responses (default 4 s).
    public var t2: Duration
    /// Longest time a message stays in the network (default 5 s).
    public var t4: Duration
    /// How long a server INVITE transaction waits for the TU before sending 100 Trying itself
    /// (default 200 ms, §17.2.1). Zero sends 100 Trying at once.
    public var tryingDelay: Duration

    /// The RFC 3261 defaults.
    public static let standard = SIPTimerConfig()

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5),
                tryingDelay: Duration = .milliseconds(200)) {
        precondition(t1 > .zero, "T1 must be positive")
        precondition(t2 >= t1, "T2 must not be shorter than T1")
        precondition(t4 >= .zero && tryingDelay >= .zero, "T4 and the 100 Trying delay must not be negative")
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
        self.tryingDelay = tryingDelay
    }

    /// 64*T1: Timers B, F, H, J (unreliable), L and M.
    public var transactionTimeout: Duration { t1 * 64 }

    public var timerB: Duration { transactionTimeout }
    public var timerF: Duration { transactionTimeout }
    public var timerH: Duration { transactionTimeout }
    public var timerL: Duration { transactionTimeout }
    public var timerM: Duration { transactionTimeout }

    /// At least 32 s on an unreliable transport (and never shorter than the peer's Timer H, 64*T1); 0 on a reliable one.
    public func timerD(reliable: Bool) -> Duration { reliable ? .zero : max(.seconds(32), transactionTimeout) }
    /// T4 on an unreliable transport, 0 on a reliable one.
    public func timerI(reliable: Bool) -> Duration { reliable ? .zero : t4 }
    /// 64*T1 on an unreliable transport, 0 on a reliable one.
    public func timerJ(reliable: Bool) -> Duration { reliable ? .zero : transactionTimeout }
    /// T4 on an unreliable transport, 0 on a reliable one.
    public func timerK(reliable: Bool) -> Duration { reliable ? .zero : t4 }
}
