// SIPTimerName: the transaction timers of RFC 3261 §17 (Table 4), RFC 6026 §8 (L, M) and the 100 Trying delay of §17.2.1.

/// A transaction timer. A state machine asks its driver to run one (`startTimer`) or stop it
/// (`cancelTimer`) by name, and the driver hands the name back through `timerFired` when it expires.
/// Timer C (proxy INVITE timeout) is not here: the box is a user agent on both sides, never a proxy.
public enum SIPTimerName: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// INVITE request retransmission, unreliable transports only (§17.1.1.2): T1, doubling.
    case a
    /// INVITE client transaction timeout in Calling (§17.1.1.2): 64*T1.
    case b
    /// Wait for response retransmissions in Completed (§17.1.1.2): 32 s unreliable, 0 reliable.
    case d
    /// Non-INVITE request retransmission, unreliable transports only (§17.1.2.2): T1, doubling to T2.
    case e
    /// Non-INVITE client transaction timeout (§17.1.2.2): 64*T1.
    case f
    /// INVITE final response retransmission, unreliable transports only (§17.2.1): T1, doubling to T2.
    case g
    /// Wait for the ACK in Completed (§17.2.1): 64*T1.
    case h
    /// Wait for ACK retransmissions in Confirmed (§17.2.1): T4 unreliable, 0 reliable.
    case i
    /// Wait for non-INVITE request retransmissions in Completed (§17.2.2): 64*T1 unreliable, 0 reliable.
    case j
    /// Wait for non-INVITE response retransmissions in Completed (§17.1.2.2): T4 unreliable, 0 reliable.
    case k
    /// Wait in Accepted for INVITE retransmissions and 2xx resent by the TU (RFC 6026 §8.7): 64*T1.
    case l
    /// Wait in Accepted for 2xx retransmissions and forked 2xx (RFC 6026 §8.4): 64*T1.
    case m
    /// The delay after which a server INVITE transaction sends 100 Trying itself (§17.2.1): 200 ms.
    case trying

    public var description: String {
        switch self {
        case .a: return "Timer A"
        case .b: return "Timer B"
        case .d: return "Timer D"
        case .e: return "Timer E"
        case .f: return "Timer F"
        case .g: return "Timer G"
        case .h: return "Timer H"
        case .i: return "Timer I"
        case .j: return "Timer J"
        case .k: return "Timer K"
        case .l: return "Timer L"
        case .m: return "Timer M"
        case .trying: return "100 Trying timer"
        }
    }
}
