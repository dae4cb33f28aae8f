// CallRecord: one call's record (CDR): who, when, outcome, billing class and per-leg media quality.

/// Which way a call went through the box.
public enum CallDirection: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// PBX to trunk (or to the analog line).
    case outgoing
    /// Trunk (or analog line) to PBX.
    case incoming

    /// The stored and exported name (`outgoing`, `incoming`).
    public var description: String { rawValue }

    public static func < (lhs: CallDirection, rhs: CallDirection) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How a call ended, from the caller's point of view.
public enum CallDisposition: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Answered (whatever ended it afterwards).
    case answered
    /// The far end was busy (486, 600).
    case busy
    /// Rang out or timed out unanswered (408, 480).
    case noAnswer = "no-answer"
    /// The caller hung up first (CANCEL, 487).
    case cancelled
    /// Refused by the box itself: ACL, no free channel, emergency number without a line (403, 486, 503).
    case refused
    /// Any other failure (4xx, 5xx, 6xx from the far end, transport error).
    case failed

    /// The stored and exported name (`no-answer`, ...).
    public var description: String { rawValue }

    public static func < (lhs: CallDisposition, rhs: CallDisposition) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a call's minutes are charged to on the Skype Connect side.
public enum BillingClass: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Counts against the profile's US minute bundles (calls to US and Canada numbers).
    case usBundle = "us-bundle"
    /// Paid from Skype credit (other destinations, and US/Canada minutes beyond the bundles).
    case credit
    /// Not charged (incoming calls, calls to business Skype Names, calls over the analog line).
    case free

    /// The stored and exported name (`us-bundle`, `credit`, `free`).
    public var description: String { rawValue }
}

/// Media counters for one leg of a call, as the media layer reports them when the call ends.
public struct CallLegStats: Sendable, Equatable {
    public var packetsSent: Int
    public var packetsReceived: Int
    public var packetsLost: Int
    /// Interarrival jitter (RFC 3550 §6.4.1), milliseconds.
    public var jitterMilliseconds: Double
    /// Estimated mean opinion score (1.0 to 5.0), nil when too little audio flowed to estimate one.
    public var mos: Double?
    /// Round-trip time between the box and the leg's far end from RTCP (RFC 3550 §6.4.1), milliseconds
    /// (the mean of the call's samples); nil when none was measured (no RTCP, or a record written
    /// before the box measured it).
    public var roundTripMilliseconds: Double?

    public init(packetsSent: Int, packetsReceived: Int, packetsLost: Int, jitterMilliseconds: Double, mos: Double?,
                roundTripMilliseconds: Double? = nil) {
        self.packetsSent = packetsSent
        self.packetsReceived = packetsReceived
        self.packetsLost = packetsLost
        self.jitterMilliseconds = jitterMilliseconds
        self.mos = mos
        self.roundTripMilliseconds = roundTripMilliseconds
    }
}

/// One call record. Billing rule (the usual trunk rule): the billable time of an answered call is
/// answer to end rounded **up** to the whole second, and each call's minutes are its billable seconds
/// rounded **up** to the whole minute (61 s is 2 minutes); unanswered calls bill 0. Monthly minutes
/// are the sum of the per-call minutes, never the rounded sum of seconds.
public struct CallRecord: Sendable, Equatable {
    /// Assigned by the store on insert (nil before).
    public var id: Int64?
    /// The gateway's identifier of the call (e.g. the PBX leg's Call-ID).
    public var callID: String
    public var profile: String
    public var direction: CallDirection
    /// Calling number or identity as the box saw it.
    public var caller: String
    /// Called number after normalisation.
    public var called: String
    /// The Online Number involved (incoming: the number dialled; outgoing: the caller ID sent), if any.
    public var onlineNumber: String?
    /// The PBX extension involved (incoming: where it was delivered; outgoing: who called), if any.
    public var pbxExtension: String?
    public var start: UTCTime
    public var answer: UTCTime?
    public var end: UTCTime
    public var disposition: CallDisposition
    /// The final SIP status of the call set-up (200 for an answered call), 100 to 699.
    public var sipCause: Int
    public var billing: BillingClass
    public var codec: String?
    public var srtp: Bool
    /// The PBX-side leg.
    public var pbxLeg: CallLegStats?
    /// The trunk-side leg (the analog line for a line call).
    public var trunkLeg: CallLegStats?
    /// Analog-line calls: the echo canceller's return loss enhancement over the call, in dB (how much of
    /// the line's echo of the far end it removed); nil for other calls, or when the far end never talked.
    public var echoERLEDB: Double?

    public init(id: Int64? = nil, callID: String, profile: String, direction: CallDirection, caller: String, called: String,
                onlineNumber: String? = nil, pbxExtension: String? = nil, start: UTCTime, answer: UTCTime?, end: UTCTime,
                disposition: CallDisposition, sipCause: Int, billing: BillingClass, codec: String? = nil, srtp: Bool = false,
                pbxLeg: CallLegStats? = nil, trunkLeg: CallLegStats? = nil, echoERLEDB: Double? = nil) {
        self.id = id
        self.callID = callID
        self.profile = profile
        self.direction = direction
        self.caller = caller
        self.called = called
        self.onlineNumber = onlineNumber
        self.pbxExtension = pbxExtension
        self.start = start
        self.answer = answer
        self.end = end
        self.disposition = disposition
        self.sipCause = sipCause
        self.billing = billing
        self.codec = codec
        self.srtp = srtp
        self.pbxLeg = pbxLeg
        self.trunkLeg = trunkLeg
        self.echoERLEDB = echoERLEDB
    }

    /// Answer to end in whole seconds, rounded up; 0 when unanswered.
    public var billableSeconds: Int {
        guard let answer else { return 0 }
        let millis = max(0, end.millisecondsSince1970 - answer.millisecondsSince1970)
        return Int((millis + 999) / 1000)
    }

    /// Billable seconds rounded up to whole minutes.
    public var billableMinutes: Int { Self.minutes(billableSeconds: billableSeconds) }

    static func minutes(billableSeconds: Int) -> Int { (billableSeconds + 59) / 60 }

    /// Checks the record before it is stored; the error names the field.
    func validate() throws(StoreError) {
        if callID.isEmpty { throw .invalidCallRecord("call ID is empty") }
        if profile.isEmpty { throw .invalidCallRecord("profile is empty") }
        if end < start { throw .invalidCallRecord("end \(end) is before start \(start)") }
        if let answer, answer < start || answer > end {
            throw .invalidCallRecord("answer \(answer) is outside start \(start) to end \(end)")
        }
        if (disposition == .answered) != (answer != nil) {
            throw .invalidCallRecord(disposition == .answered ? "disposition is answered but there is no answer time"
                                                               : "disposition is \(disposition.rawValue) but there is an answer time")
        }
        if let erle = echoERLEDB, !erle.isFinite || !(-100...100).contains(erle) {
            throw .invalidCallRecord("echo ERLE \(erle) dB is outside -100 to 100")
        }
        if !(100...699).contains(sipCause) { throw .invalidCallRecord("SIP cause \(sipCause) is not a SIP status (100 to 699)") }
        for (name, leg) in [("PBX leg", pbxLeg), ("trunk leg", trunkLeg)] {
            guard let leg else { continue }
            if leg.packetsSent < 0 || leg.packetsReceived < 0 || leg.packetsLost < 0 {
                throw .invalidCallRecord("\(name) packet counts must not be negative")
            }
            if !leg.jitterMilliseconds.isFinite || leg.jitterMilliseconds < 0 {
                throw .invalidCallRecord("\(name) jitter must be a non-negative number")
            }
            if let mos = leg.mos, !(1.0...5.0).contains(mos) { throw .invalidCallRecord("\(name) MOS \(mos) is outside 1 to 5") }
            if let rtt = leg.roundTripMilliseconds, !rtt.isFinite || rtt < 0 {
                throw .invalidCallRecord("\(name) round-trip time must be a non-negative number")
            }
        }
    }
}
