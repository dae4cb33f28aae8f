// SIPRunningTimers: the timers a transaction has asked its driver to run (RFC 3261 §17), so each transition cancels exactly those.

// A set of timer names kept beside a state machine. Starting or cancelling through it appends the
// matching action; a firing for a timer not in the set is stale (it raced a cancel) and is ignored.
// A timer once cancelled is never started again in the same transaction: drivers rely on that to
// cancel lazily (a late firing of a cancelled timer can never be mistaken for a new one).
struct SIPRunningTimers: Sendable, Hashable {
    private var bits: UInt16 = 0
    private var cancelled: UInt16 = 0

    private static func bit(_ timer: SIPTimerName) -> UInt16 { 1 << UInt16(timer.rawValue) }

    var isEmpty: Bool { bits == 0 }

    func contains(_ timer: SIPTimerName) -> Bool { bits & Self.bit(timer) != 0 }

    mutating func start(_ timer: SIPTimerName, after duration: Duration, into actions: inout [SIPTransactionAction]) {
        precondition(!contains(timer), "\(timer) started twice")
        precondition(cancelled & Self.bit(timer) == 0, "\(timer) restarted after a cancel")
        bits |= Self.bit(timer)
        actions.append(.startTimer(timer, after: duration))
    }

    mutating func cancel(_ timer: SIPTimerName, into actions: inout [SIPTransactionAction]) {
        guard contains(timer) else { return }
        bits &= ~Self.bit(timer)
        cancelled |= Self.bit(timer)
        actions.append(.cancelTimer(timer))
    }

    mutating func cancelAll(into actions: inout [SIPTransactionAction]) {
        for timer in SIPTimerName.allCases { cancel(timer, into: &actions) }
    }

    // Takes a timer that fired out of the set; false when it was not running.
    mutating func fired(_ timer: SIPTimerName) -> Bool {
        guard contains(timer) else { return false }
        bits &= ~Self.bit(timer)
        return true
    }
}
