// TrunkReport: the monthly call history per profile, as Skype Manager showed it (calls and minutes by
// direction, US bundle minutes used, credit spent, calls by outcome), and the call-history lines.

public struct ProfileMonthSummary: Sendable, Hashable {
    public var profile: String
    public var month: BillingMonth
    public var outgoingCalls = 0
    public var outgoingMinutes = 0
    public var incomingCalls = 0
    public var incomingMinutes = 0
    public var bundleMinutesUsed = 0
    public var bundleMinutesIncluded = 0
    public var creditSpent = USD.zero
    public var creditLeft = USD.zero
    public var outcomes: [CallOutcome: Int] = [:]
}

public enum TrunkReport {
    /// One summary per profile (config order) for `month`.
    public static func summaries(_ accounts: TrunkAccounts, month: BillingMonth) -> [ProfileMonthSummary] {
        accounts.order.map { name in
            let b = accounts.books[name]!
            var s = ProfileMonthSummary(profile: name, month: month)
            s.bundleMinutesIncluded = b.profile.bundleMinutesPerMonth
            s.creditLeft = b.credit
            for r in accounts.history where r.profile == name && r.month == month {
                s.outcomes[r.outcome, default: 0] += 1
                switch r.direction {
                case .outgoing:
                    s.outgoingCalls += 1
                    s.outgoingMinutes += r.minutes
                case .incoming:
                    s.incomingCalls += 1
                    s.incomingMinutes += r.minutes
                }
                s.bundleMinutesUsed += r.bundleMinutes
                s.creditSpent = s.creditSpent + r.cost
            }
            return s
        }
    }

    /// The printed report.
    public static func text(_ accounts: TrunkAccounts, month: BillingMonth) -> String {
        var lines = ["Skype Connect call history report for \(month) (UTC)"]
        for s in summaries(accounts, month: month) {
            let p = accounts.books[s.profile]!.profile
            lines.append("profile \(s.profile) (SIP user \(p.sipUser)):")
            lines.append("  outgoing: \(s.outgoingCalls) calls, \(s.outgoingMinutes) min")
            lines.append("  incoming: \(s.incomingCalls) calls, \(s.incomingMinutes) min")
            lines.append("  US bundle minutes: \(s.bundleMinutesUsed) of \(s.bundleMinutesIncluded) used")
            lines.append("  Skype Credit: \(s.creditSpent) spent, \(s.creditLeft) left")
            let outcomes = CallOutcome.allCases.compactMap { o in s.outcomes[o].map { "\(o.rawValue) \($0)" } }
            lines.append("  outcomes: " + (outcomes.isEmpty ? "no calls" : outcomes.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }

    /// One history line per call of `month`.
    public static func historyLines(_ accounts: TrunkAccounts, month: BillingMonth) -> [String] {
        accounts.history.filter { $0.month == month }.map { r in
            var line = "#\(r.id) \(r.profile) \(r.direction.rawValue) \(r.from) -> \(r.to): \(r.outcome.rawValue) (\(r.status))"
            if let shown = r.shownCallerID { line += ", shown as \(shown)" }
            if r.answer != nil { line += ", \(r.minutes) min" }
            if r.direction == .outgoing, r.minutes > 0 {
                line += r.bundleMinutes > 0 ? ", \(r.bundleMinutes) min from US bundle" : ""
                line += r.creditMinutes > 0 ? ", \(r.creditMinutes) min from credit (\(r.cost.format(decimals: 3)))" : ""
            }
            return line
        }
    }
}
