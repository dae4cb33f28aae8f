// SIPTargetList: the ordered targets of one location, with fail-over and a blacklist of failed targets (RFC 3263 §4.3).

/// The targets a location produced, in the order to try them, plus memory of which failed. A
/// failed target is skipped until `blacklistDuration` seconds after its failure; times are
/// whatever monotonic seconds the caller uses (the list reads no clock).
public struct SIPTargetList: Hashable, Sendable {
    public let targets: [SIPTarget]
    /// The smallest TTL, in seconds, of the DNS records behind the targets; locate again once it has
    /// passed. Nil when no DNS record was involved (a numeric host).
    public var timeToLive: UInt32?
    /// Seconds a failed target stays skipped; 0 or less never skips.
    public var blacklistDuration: Double
    private var blacklistedUntil: [SIPTarget: Double] = [:]

    public init(_ targets: [SIPTarget], timeToLive: UInt32? = nil, blacklistDuration: Double = 32) {
        self.targets = targets
        self.timeToLive = timeToLive
        self.blacklistDuration = blacklistDuration
    }

    /// True while `target` is skipped because of a failure.
    public func isBlacklisted(_ target: SIPTarget, at now: Double) -> Bool {
        guard let until = blacklistedUntil[target] else { return false }
        return now < until
    }

    /// The targets not skipped at `now`, in order.
    public func available(at now: Double) -> [SIPTarget] {
        targets.filter { !isBlacklisted($0, at: now) }
    }

    /// Where a new request goes first: the first target not skipped, or nil when all are.
    public func first(at now: Double) -> SIPTarget? {
        targets.first { !isBlacklisted($0, at: now) }
    }

    /// Records that `target` failed (timeout, connection refused, 503 without Retry-After, ...).
    public mutating func markFailed(_ target: SIPTarget, at now: Double) {
        guard blacklistDuration > 0, targets.contains(target) else { return }
        blacklistedUntil[target] = now + blacklistDuration
    }

    /// Forgets a failure once `target` answered again.
    public mutating func markSucceeded(_ target: SIPTarget) {
        blacklistedUntil[target] = nil
    }

    /// Records that `target` failed and returns where the same request goes next: the next target
    /// after it in the list that is not skipped, or nil when the list is exhausted for this request
    /// (RFC 3263 §4.3).
    public mutating func next(afterFailureOf target: SIPTarget, at now: Double) -> SIPTarget? {
        markFailed(target, at: now)
        guard let index = targets.firstIndex(of: target) else { return first(at: now) }
        return targets[(index + 1)...].first { !isBlacklisted($0, at: now) }
    }

    /// The earliest time after `now` at which a skipped target becomes usable again, nil if none is skipped.
    public func nextRecovery(after now: Double) -> Double? {
        blacklistedUntil.values.filter { $0 > now }.min()
    }

    /// Carries the skips of an earlier list over to the same targets in this one, for when the
    /// location is refreshed after its TTL.
    public mutating func inheritBlacklist(from previous: SIPTargetList) {
        for (target, until) in previous.blacklistedUntil where targets.contains(target) {
            blacklistedUntil[target] = max(blacklistedUntil[target] ?? until, until)
        }
    }
}
