// SIPTransactionAction: what a transaction state machine asks its driver to do (RFC 3261 §17, RFC 6026 §8).
import SIPCore

/// One step for the driver, in order: hand a message to the transport or to the TU, run or stop a
/// timer, or tell the TU how the transaction ended.
public enum SIPTransactionAction: Sendable, Hashable {
    /// Hand this message to the transport (a request, a retransmission, a response or an ACK).
    case send(SIPMessage)
    /// Hand these bytes, a response the machine serialized, to the transport, to where the transaction's
    /// responses go. A non-INVITE server transaction sends its final response this way and keeps only
    /// the bytes to answer retransmissions (§17.2.2), so its parsed request and response are freed when
    /// it enters Completed rather than 64*T1 later.
    case sendSerialized([UInt8])
    /// Hand this message to the transaction user (a response on the client side, a request on the server side).
    case passUp(SIPMessage)
    /// Run this timer once; when it expires call `timerFired` with its name. A running timer is never restarted.
    case startTimer(SIPTimerName, after: Duration)
    /// Stop this timer; a firing that races the cancel is ignored by the machine.
    case cancelTimer(SIPTimerName)
    /// Tell the TU the transaction failed because this timer (B, F or H) expired.
    case timeout(SIPTimerName)
    /// Tell the TU the transport reported a fatal error for this transaction.
    case transportError
    /// The transaction is over; every timer it ran has been cancelled in the actions before this one.
    case terminated
}
