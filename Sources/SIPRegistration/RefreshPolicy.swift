// RefreshPolicy: when to refresh a registration before the granted expiry runs out (RFC 3261 §10.2.4).

/// When to send the refreshing REGISTER, counted from the 2xx that granted `g` seconds:
///
///     refresh after = max(g / 2, g - margin), but never later than g - 5 s when g >= 10 s
///
/// With the default margin of 64 s (two UDP transaction time-outs, Timer F = 64 * T1 = 32 s) a refresh
/// whose first target never answers can still fail over to a second target before the binding lapses.
/// Long expiries refresh `margin` before the end (3600 s -> after 3536 s); short ones refresh half way
/// (60 s -> after 30 s), so a registrar that grants little time is not hammered.
public struct RefreshPolicy: Sendable, Hashable {
    /// How long before expiry to refresh when that is later than half way; at least 5 s is sensible.
    public var margin: Duration
    /// The least time left before expiry when a refresh is sent (for expiries of 10 s and more).
    public static let minimumLead: Duration = .seconds(5)

    public init(margin: Duration = .seconds(64)) {
        self.margin = margin
    }

    /// The delay from the 2xx to the refresh for a granted expiry of `granted` seconds.
    public func refreshDelay(granted: UInt32) -> Duration {
        let g = Int64(granted) * 1000
        let lead = RefreshPolicy.minimumLead.wholeMilliseconds
        var t = max(g / 2, g - max(margin.wholeMilliseconds, 0))
        if g >= 2 * lead { t = min(t, g - lead) }
        return .milliseconds(t)
    }
}
