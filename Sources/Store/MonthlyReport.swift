// MonthlyReport: a month's call figures: calls and minutes per profile and direction, US bundle use, calls by outcome.

/// The monthly call-history report, computed from the call records that started in `month` (UTC).
/// Minutes follow `CallRecord`'s rule: per call, rounded up to the whole minute.
public struct MonthlyReport: Sendable, Equatable {
    /// Minutes in one Skype Connect US minute bundle, per month.
    public static let minutesPerBundle = 5_000

    /// Calls of one profile in one direction.
    public struct Line: Sendable, Equatable {
        public let profile: String
        public let direction: CallDirection
        public let calls: Int
        public let answeredCalls: Int
        public let billableSeconds: Int
        /// Sum of the per-call minutes.
        public let minutes: Int
        /// Of `minutes`, those charged to US bundles and to credit.
        public let usBundleMinutes: Int
        public let creditMinutes: Int
    }

    /// One profile's US bundle use against its allowance.
    public struct BundleUse: Sendable, Equatable {
        public let profile: String
        public let bundles: Int
        /// `bundles` × 5,000.
        public let allowanceMinutes: Int
        public let usedMinutes: Int
        /// Minutes left this month (0 when used up).
        public var remainingMinutes: Int { max(0, allowanceMinutes - usedMinutes) }
        /// Minutes beyond the allowance (Skype Connect charges these to credit).
        public var minutesOverAllowance: Int { max(0, usedMinutes - allowanceMinutes) }
    }

    public let month: CallMonth
    /// Sorted by profile, then direction (outgoing first).
    public let lines: [Line]
    /// One per profile that has bundles or used bundle minutes, sorted by profile.
    public let bundleUse: [BundleUse]
    /// Calls per disposition, every disposition listed (zero included), in `CallDisposition` order.
    public let outcomes: [(disposition: CallDisposition, calls: Int)]

    public var totalCalls: Int { lines.reduce(0) { $0 + $1.calls } }
    public var totalMinutes: Int { lines.reduce(0) { $0 + $1.minutes } }

    public static func == (lhs: MonthlyReport, rhs: MonthlyReport) -> Bool {
        lhs.month == rhs.month && lhs.lines == rhs.lines && lhs.bundleUse == rhs.bundleUse
            && lhs.outcomes.map(\.disposition) == rhs.outcomes.map(\.disposition) && lhs.outcomes.map(\.calls) == rhs.outcomes.map(\.calls)
    }
}
