// ControlCommand: the emulator's control-socket line protocol. One command a line; the answer is some
// lines of text ending with a line `.`.
//
//     call +12026555376 from +442071234567     an incoming call to an Online Number (or a Skype Name)
//     dtmf 3 123#                              the far end of call 3 sends DTMF (RFC 4733)
//     hangup all | hangup 3                    the trunk hangs up (BYE, or CANCEL while ringing)
//     status                                   registrations, channels, live calls, credit
//     report 2026-11                           the monthly call history report
//     history 2026-11                          one line per call

public enum ControlCommand: Sendable, Equatable {
    case call(to: String, from: String)
    case dtmf(call: Int, digits: String)
    case hangupAll
    case hangup(call: Int)
    case status
    case report(BillingMonth)
    case history(BillingMonth)

    public static func parse(_ line: String) -> Result<ControlCommand, ControlCommandError> {
        let w = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        switch (w.first, w.count) {
        case ("call", 4) where w[2] == "from":
            return .success(.call(to: w[1], from: w[3]))
        case ("dtmf", 3):
            guard let n = Int(w[1]) else { break }
            guard w[2].allSatisfy({ "0123456789*#ABCD".contains($0) }) else {
                return .failure(ControlCommandError("dtmf digits are 0-9 * # A-D"))
            }
            return .success(.dtmf(call: n, digits: w[2]))
        case ("hangup", 2):
            if w[1] == "all" { return .success(.hangupAll) }
            if let n = Int(w[1]) { return .success(.hangup(call: n)) }
        case ("status", 1):
            return .success(.status)
        case ("report", 2), ("history", 2):
            guard let m = BillingMonth(parsing: w[1]) else { return .failure(ControlCommandError("the month is YYYY-MM, e.g. 2026-11")) }
            return .success(w[0] == "report" ? .report(m) : .history(m))
        default:
            break
        }
        return .failure(ControlCommandError(
            "unknown command; try: call NUMBER from NUMBER | dtmf CALL DIGITS | hangup all|CALL | status | report YYYY-MM | history YYYY-MM"))
    }
}

public struct ControlCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ text: String) { description = text }
}
