// ChannelBook: live channel counts per trunk profile (one channel per call, in or out).

/// Channels in use per profile, keyed by profile name. Each trunk call, incoming or outgoing, holds one
/// channel from `take` to `release`. A value type with no locking: its owner serialises access.
/// Counts never go negative: releasing a channel a profile does not hold is ignored and counted in
/// `releaseErrors` (a bug in the caller's bookkeeping, worth a log line).
public struct ChannelBook: Sendable, Hashable {
    var counts: [String: Int] = [:]
    /// Channels in use across all profiles.
    public private(set) var total = 0
    /// Releases that found nothing to release.
    public private(set) var releaseErrors = 0

    public init() {}

    /// Takes a channel of `profile` when fewer than `limit` are in use; false (nothing taken) otherwise.
    /// A `limit` of 0 or less never grants one.
    public mutating func take(_ profile: String, limit: Int) -> Bool {
        let used = counts[profile, default: 0]
        guard used < limit else { return false }
        counts[profile] = used + 1
        total += 1
        return true
    }

    /// Gives back a channel of `profile`. Returns false, and counts a release error, when it holds none.
    @discardableResult
    public mutating func release(_ profile: String) -> Bool {
        guard let used = counts[profile], used > 0 else {
            releaseErrors += 1
            return false
        }
        counts[profile] = used > 1 ? used - 1 : nil
        total -= 1
        return true
    }

    /// Channels of `profile` in use.
    public func inUse(_ profile: String) -> Int {
        counts[profile, default: 0]
    }

    /// Channels of `profile` still free under `limit` (0 when at or over it).
    public func free(_ profile: String, limit: Int) -> Int {
        max(0, limit - inUse(profile))
    }
}
