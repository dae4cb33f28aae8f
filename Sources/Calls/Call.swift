// Call: one call through the box: its two legs (dialog, peer, media), where it is in its life, and what its record will say.
import CallMedia
import Config
import Media
import NIOCore
import SIPCore
import SIPStack
import SIPTransaction
import Store

/// One side of a call as the box sees it: the PBX or the trunk.
struct CallLeg {
    /// Which network the leg is on.
    var side: SIPSide
    /// Where the box sends this leg's requests (the peer's signalling address, latched at the start).
    var peer: SIPDestination
    /// The dialog, once the peer's tag is known.
    var dialog: SIPDialog?
    /// The last SDP the box sent on this leg, and the last one the peer sent.
    var localSDP: SDPSession?
    var remoteSDP: SDPSession?
    /// The box's media sockets' address on this leg.
    var mediaAddress: MediaAddress?
    /// SRTP on this leg: an SDES offer was sent or received on it, or its policy requires SRTP. Until
    /// both keys are known the media engine passes nothing from or to it.
    var isSecure: Bool {
        if sendKey != nil || receiveKey != nil || b2b?.srtp == .required { return true }
        if let sdp = remoteSDP ?? localSDP, let m = sdp.media.first(where: { $0.port != 0 }) { return m.isSecure }
        return false
    }
    /// The leg's media sockets (owned by the media engine once the session exists).
    var sockets: MediaSocketPair?
    /// The box's SDP side of the leg (address, port, SRTP policy, codecs).
    var b2b: B2BLeg?
    /// SRTP keys the box sends with and the peer sends with on this leg (nil: plain RTP).
    var sendKey: SRTPKey?
    var receiveKey: SRTPKey?
    /// What the media engine was last told about this leg (to skip identical updates).
    var applied: String?
}

/// Where a call is in its life.
enum CallPhase: Equatable, CustomStringConvertible {
    /// The INVITE went out on the second leg; no answer yet.
    case calling
    /// A provisional answer came back (ringing, early media).
    case early
    /// The 2xx went to the first leg; waiting for its ACK.
    case answered
    /// Both legs confirmed.
    case confirmed
    /// Hanging up: waiting for the second leg to end or the record to be written.
    case ending
    case ended

    var description: String {
        switch self {
        case .calling: "calling"
        case .early: "ringing"
        case .answered: "answered"
        case .confirmed: "up"
        case .ending: "ending"
        case .ended: "ended"
        }
    }
}

/// RFC 3262 on the first leg: one reliable provisional in flight at a time, retransmitted until its
/// PRACK; later ones wait; a 2xx waits too while an unacknowledged one carried SDP (§3).
struct ReliableProvisionals {
    /// The RSeq of the next reliable provisional.
    var nextRSeq: UInt32 = UInt32.random(in: 1...0x7FFF_FFFF)
    /// The provisional waiting for its PRACK, its RSeq, and whether it carried SDP.
    var unacked: (response: SIPMessage, rseq: UInt32, hasSDP: Bool)?
    var interval: TimeAmount = .milliseconds(500)
    var sentAt: NIODeadline = .now()
    var timer: Scheduled<Void>?
    /// A provisional to send once the one in flight is PRACKed (only the latest is kept).
    var queued: SIPMessage?
    /// The 2xx held until the PRACK (RFC 3262 §3: not before a provisional with SDP is acknowledged).
    var heldFinal: SIPMessage?
}

/// A target refresh (re-INVITE) the box is relaying from one leg to the other.
struct PendingReinvite {
    /// The leg that sent it (0 = first leg, 1 = second leg) and its server transaction.
    var from: Int
    var serverKey: SIPTransactionKey
    var inbound: SIPInbound
    /// The offer as received.
    var offer: SDPSession?
    /// The re-INVITE the box sent on the other leg (for its ACK).
    var sent: SIPMessage?
}

/// One call. Lives on the event loop; the controller owns every call.
final class Call {
    let number: Int
    let direction: CallDirection
    let profile: String
    /// legs[0] called the box (server side of the first INVITE); legs[1] is the leg the box called.
    var legs: [CallLeg]
    /// The first INVITE as received and its server transaction.
    let firstInvite: SIPInbound
    let firstKey: SIPTransactionKey
    /// The To tag the box answers the first leg with.
    let firstTag: String
    /// The INVITE the box sent on the second leg (Via-less: the transaction layer adds it) and its transaction.
    var secondInvite: SIPMessage?
    var secondKey: SIPTransactionKey?
    /// The Via branch of the second leg's INVITE as sent (its CANCEL carries the same).
    var secondBranch: String?
    /// Digest state toward the trunk (the profile's credentials); answers 401/407 once per challenge.
    var digest: DigestClient?
    var authAttempts = 0
    /// Redirects followed so far (at most 3).
    var redirects = 0
    /// The session interval asked of the second leg (RFC 4028), and the refresh timer of both legs.
    var sessionExpires = CallController.sessionExpiresSeconds
    var refreshTimer: Scheduled<Void>?
    var phase: CallPhase = .calling
    /// The first INVITE had no SDP: the box made the offer on both legs (the first leg answers in its ACK).
    var delayedOffer = false
    /// The first leg cancelled before the second leg sent anything back: send CANCEL at the first 1xx.
    var cancelWanted = false
    var cancelSent = false
    /// The 2xx the box sent on the first leg, retransmitted over UDP until its ACK (§13.3.1.4).
    var firstFinal: SIPMessage?
    var retransmit: Scheduled<Void>?
    /// Where that 2xx goes: the server transaction it answers and its leg (whose ACK ends it).
    var finalKey: SIPTransactionKey?
    var finalLeg = 0
    /// Gives up when nobody answers.
    var ringTimer: Scheduled<Void>?
    var retransmitInterval: TimeAmount = .milliseconds(500)
    var retransmitDeadline: NIODeadline?
    /// The ACK the box sent for the second leg's 2xx (resent when the 2xx is retransmitted).
    var secondAck: SIPMessage?
    /// Reliable provisional responses (RFC 3262) on the first leg, when its INVITE required 100rel.
    var reliable: ReliableProvisionals?
    /// The RSeq values of the second leg's reliable provisionals the box has PRACKed.
    var prackedRSeq: Set<UInt32> = []
    var reinvite: PendingReinvite?
    /// The ACK of the last relayed re-INVITE's 2xx (leg, CSeq), sent again if that 2xx is retransmitted.
    var lastReinviteAck: (leg: Int, cseq: UInt32, ack: SIPMessage)?
    /// The offer forwarded and not yet answered (first INVITE or re-INVITE).
    var pendingOffer: PendingOffer?
    /// Payload types negotiated on both legs: `legA` is the leg index whose numbers are `pairs.legA`.
    var payloadTypes: (legA: Int, pairs: PayloadTypePairs)?
    /// Set when the legs share no codec and the relay transcodes.
    var transcoding: CallTranscoding?
    /// An answer has been applied to the media (until then the relay passes nothing between the legs).
    var negotiated = false
    var media: MediaSessionID?
    /// Ports the call holds, returned to the allocator when it ends.
    var ports: [UInt16] = []
    var mediaStats: MediaSessionStats?
    /// Hold state as last seen in either leg's SDP.
    var onHold = false

    // What the record says.
    let caller: String
    let called: String
    var onlineNumber: String?
    var pbxExtension: String?
    let start: UTCTime
    var answer: UTCTime?
    var end: UTCTime?
    var disposition: CallDisposition = .failed
    var cause = 0
    var billing: BillingClass
    var codec: String?
    var srtp = false
    var recordWritten = false

    init(number: Int, direction: CallDirection, profile: String, first: CallLeg, second: CallLeg, firstInvite: SIPInbound,
         firstKey: SIPTransactionKey, firstTag: String, caller: String, called: String, billing: BillingClass, start: UTCTime) {
        self.number = number
        self.direction = direction
        self.profile = profile
        self.legs = [first, second]
        self.firstInvite = firstInvite
        self.firstKey = firstKey
        self.firstTag = firstTag
        self.caller = caller
        self.called = called
        self.billing = billing
        self.start = start
    }

    /// Index of the PBX leg.
    var pbxLeg: Int { direction == .outgoing ? 0 : 1 }
    var trunkLeg: Int { 1 - pbxLeg }

    /// One line for `show calls`.
    func summary(now: UTCTime) -> String {
        let since = answer ?? start
        let seconds = max(0, (now.millisecondsSince1970 - since.millisecondsSince1970) / 1000)
        var line = "#\(number) \(direction) \(profile) \(caller) -> \(called)"
        if let pbxExtension { line += " (ext \(pbxExtension))" }
        let secs = seconds % 60
        line += " \(phase)\(onHold ? " on hold" : "") \(seconds / 60)m\(secs < 10 ? "0" : "")\(secs)s"
        if let codec { line += " \(codec)" }
        if srtp { line += " SRTP" }
        if let stats = mediaStats {
            // The worse of the two legs' MOS (what the media relay received from each side).
            let scores = [CallController.mos(stats.a, codec: codec, otherLeg: stats.b),
                          CallController.mos(stats.b, codec: codec, otherLeg: stats.a)].compactMap { $0 }
            if let worst = scores.min() { line += " MOS \((worst * 10).rounded() / 10)" }
        }
        return line
    }
}
