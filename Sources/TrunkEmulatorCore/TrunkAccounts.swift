// TrunkAccounts: Skype Manager's books for every profile: channels in use, US bundle minutes per month,
// Skype Credit, and the call history. Pure: time comes in as seconds since 1970 (UTC).

/// A calendar month in UTC, `2026-11`.
public struct BillingMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public init(year: Int, month: Int) { self.year = year; self.month = month }

    /// The UTC month of `seconds` since 1970 (Howard Hinnant's civil-from-days).
    public init(epochSeconds seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let m = mp < 10 ? mp + 3 : mp - 9
        year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        month = Int(m)
    }

    /// Parses `YYYY-MM`.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              (1...12).contains(m) else { return nil }
        self.init(year: y, month: m)
    }

    public static func < (a: BillingMonth, b: BillingMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
}

public enum CallDirection: String, Sendable, Hashable {
    case outgoing, incoming
}

/// How a call ended, for the report.
public enum CallOutcome: String, Sendable, Hashable, CaseIterable {
    case answered
    case refusedEmergency = "refused: emergency number"
    case refusedChannels = "refused: no free channel"
    case refusedCredit = "refused: no credit"
    case refusedNumber = "refused: number not in 00 form"
    case refusedCallerUnknown = "refused: unknown destination"
    case unanswered = "not answered"
    case failed
}

/// Why the trunk refuses an outgoing call, with the SIP answer.
public struct CallRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var reason: String
    public var outcome: CallOutcome
    public init(status: Int, reason: String, outcome: CallOutcome) { self.status = status; self.reason = reason; self.outcome = outcome }
    public var description: String { "\(status) \(reason)" }
}

/// What the books decided for an accepted outgoing call.
public struct CallGrant: Sendable, Hashable {
    public var profile: String
    public var number: String
    public var billing: BillingClass
    public var callerID: CallerIDDecision
    /// Longest the call may last, in whole minutes, before the credit runs out (nil: unlimited for this call).
    public var maxMinutes: Int?
}

/// One call in the history.
public struct TrunkCallRecord: Sendable, Hashable {
    public var id: Int
    public var profile: String
    public var direction: CallDirection
    public var from: String
    public var to: String
    public var shownCallerID: String?
    public var start: Int64
    public var answer: Int64?
    public var end: Int64
    public var outcome: CallOutcome
    public var status: Int
    public var billing: BillingClass?
    /// Minutes billed: answer to end rounded up to whole minutes per call.
    public var minutes: Int
    public var bundleMinutes: Int
    public var creditMinutes: Int
    public var cost: USD

    public var month: BillingMonth { BillingMonth(epochSeconds: start) }
}

/// One profile's standing.
public struct ProfileBooks: Sendable, Hashable {
    public var profile: EmulatorProfile
    public var credit: USD
    public var bundleMinutesUsed: [BillingMonth: Int] = [:]
    public var channelsInUse = 0

    public func bundleMinutesLeft(in month: BillingMonth) -> Int {
        max(0, profile.bundleMinutesPerMonth - bundleMinutesUsed[month, default: 0])
    }
}

/// The books of every profile plus the history. A value type: the SIP side owns one on its event loop.
public struct TrunkAccounts: Sendable {
    public private(set) var books: [String: ProfileBooks] = [:]
    public private(set) var order: [String] = []
    public private(set) var history: [TrunkCallRecord] = []
    private var nextID = 1

    public init(config: EmulatorConfig) {
        for p in config.profiles {
            books[p.name] = ProfileBooks(profile: p, credit: p.credit)
            order.append(p.name)
        }
    }

    public func profile(named name: String) -> EmulatorProfile? { books[name]?.profile }
    public func profile(sipUser: String) -> EmulatorProfile? { books.values.first { $0.profile.sipUser == sipUser }?.profile }

    /// The profile an incoming call to `target` belongs to: an Online Number (any number form) or a Skype Name.
    public func profile(forIncoming target: String) -> EmulatorProfile? {
        let number = E164.parse(target) ?? E164.parse("+" + target)
        for name in order {
            let p = books[name]!.profile
            if let number, p.onlineNumbers.contains(number) { return p }
            if p.skypeNames.contains(target.lowercased()) { return p }
        }
        return nil
    }

    // MARK: Channels

    /// Takes a channel; false when all the profile's channels carry calls (the trunk answers 503).
    public mutating func takeChannel(_ profile: String) -> Bool {
        guard var b = books[profile], b.channelsInUse < b.profile.channels else { return false }
        b.channelsInUse += 1
        books[profile] = b
        return true
    }

    public mutating func releaseChannel(_ profile: String) {
        guard let b = books[profile], b.channelsInUse > 0 else { return }
        books[profile]!.channelsInUse -= 1
    }

    // MARK: Outgoing calls

    /// Every check of an outgoing call after authentication, in the service's order: emergency → number
    /// form → channel → money. On success a channel is held until `finish`.
    public mutating func authorizeOutgoing(profile name: String, requestUser: String, offeredCallerID: String?,
                                           at now: Int64) -> Result<CallGrant, CallRefusal> {
        guard let b = books[name] else {
            return .failure(CallRefusal(status: 403, reason: "no such profile", outcome: .failed))
        }
        if TrunkPolicy.isEmergency(requestUser) {
            return .failure(CallRefusal(status: 403, reason: "Skype Connect does not carry emergency calls", outcome: .refusedEmergency))
        }
        guard let number = TrunkPolicy.dialledNumber(requestUser) else {
            return .failure(CallRefusal(status: 484, reason: "dial in international form 00<country><number>", outcome: .refusedNumber))
        }
        let billing = TrunkPolicy.billingClass(number)
        let maxMinutes = affordableMinutes(b, billing: billing, month: BillingMonth(epochSeconds: now))
        if maxMinutes == 0 {
            return .failure(CallRefusal(status: 402, reason: "no Skype Credit left on profile \(name)", outcome: .refusedCredit))
        }
        guard takeChannel(name) else {
            return .failure(CallRefusal(status: 503, reason: "all \(b.profile.channels) channels of profile \(name) are in use",
                                        outcome: .refusedChannels))
        }
        return .success(CallGrant(profile: name, number: number, billing: billing,
                                  callerID: TrunkPolicy.presentedCallerID(offered: offeredCallerID, profile: b.profile),
                                  maxMinutes: maxMinutes))
    }

    /// Whole minutes the profile can pay for now (bundle minutes left plus what the credit buys); nil when
    /// the rate is zero (free).
    func affordableMinutes(_ b: ProfileBooks, billing: BillingClass, month: BillingMonth) -> Int? {
        let rate = billing == .usCanada ? b.profile.rateUS : b.profile.rateOther
        let bundle = billing == .usCanada ? b.bundleMinutesLeft(in: month) : 0
        guard rate.micros > 0 else { return nil }
        let bought = b.credit.micros > 0 ? Int(b.credit.micros / rate.micros) : 0
        return bundle + bought
    }

    /// Minutes billed for a call answered at `answer` and ended at `end`: rounded up per call, 0 when unanswered.
    public static func billedMinutes(answer: Int64?, end: Int64) -> Int {
        guard let answer, end > answer else { return 0 }
        return Int((end - answer + 59) / 60)
    }

    /// Charges `minutes` for an outgoing call of `billing` class started in `month`: bundle minutes first
    /// (US/Canada), the rest from credit at the rate. Returns (bundle, credit minutes, cost).
    public mutating func charge(profile name: String, minutes: Int, billing: BillingClass,
                                month: BillingMonth) -> (bundle: Int, credit: Int, cost: USD) {
        guard var b = books[name], minutes > 0 else { return (0, 0, .zero) }
        var fromBundle = 0
        if billing == .usCanada {
            fromBundle = min(minutes, b.bundleMinutesLeft(in: month))
            b.bundleMinutesUsed[month, default: 0] += fromBundle
        }
        let fromCredit = minutes - fromBundle
        let rate = billing == .usCanada ? b.profile.rateUS : b.profile.rateOther
        let cost = rate * fromCredit
        b.credit = b.credit - cost
        books[name] = b
        return (fromBundle, fromCredit, cost)
    }

    /// Records a finished call (either direction), releasing its channel when it held one and charging
    /// an answered outgoing call.
    @discardableResult
    public mutating func finish(profile: String, direction: CallDirection, from: String, to: String, shownCallerID: String?,
                                billing: BillingClass?, start: Int64, answer: Int64?, end: Int64, outcome: CallOutcome,
                                status: Int, heldChannel: Bool) -> TrunkCallRecord {
        if heldChannel { releaseChannel(profile) }
        let minutes = Self.billedMinutes(answer: answer, end: end)
        var charged: (bundle: Int, credit: Int, cost: USD) = (0, 0, .zero)
        if direction == .outgoing, let billing {
            charged = charge(profile: profile, minutes: minutes, billing: billing, month: BillingMonth(epochSeconds: start))
        }
        let record = TrunkCallRecord(id: nextID, profile: profile, direction: direction, from: from, to: to,
                                     shownCallerID: shownCallerID, start: start, answer: answer, end: end, outcome: outcome,
                                     status: status, billing: billing, minutes: minutes, bundleMinutes: charged.bundle,
                                     creditMinutes: charged.credit, cost: charged.cost)
        nextID += 1
        history.append(record)
        return record
    }

    /// Records a refused call (no channel was held, nothing charged).
    @discardableResult
    public mutating func refused(profile: String, direction: CallDirection, from: String, to: String, at now: Int64,
                                 refusal: CallRefusal) -> TrunkCallRecord {
        finish(profile: profile, direction: direction, from: from, to: to, shownCallerID: nil, billing: nil, start: now,
               answer: nil, end: now, outcome: refusal.outcome, status: refusal.status, heldChannel: false)
    }
}
