// MediaRealtimeState: the per-leg and per-session state the media thread keeps in its preallocated tables.
//
// REALTIME FILE. In steady state the code here does no allocation, takes no lock, does no logging and
// never awaits (see MediaRealtimeLoop.swift; MediaAllocationTests proves it).
import Atomics
import MediaCore

// One leg's live state on the media thread.
struct MediaLegState {
    var rtpFD: Int32 = -1
    var rtcpFD: Int32 = -1
    var remote: MediaAddress?
    var remoteRTCP: MediaAddress?
    var latchedRTP: MediaAddress?
    var latchedRTCP: MediaAddress?
    var latching = true
    var srtpReceive: OpaquePointer?
    var srtpSend: OpaquePointer?
    var secure = false
    var payloadTypeMap = PayloadTypeMap()
    var transcoder: UnsafeMutablePointer<MediaTranscoderState>?
    var telephoneEventPayloadType: UInt8 = 0xFF
    var clockRate: UInt32 = 8000
    var dtmf = TelephoneEventTracker()
    var receiver = RTPReceiverStats(clockRate: 8000)
    var rewriter: RTPStreamRewriter?
    var counters = MediaLegStats()
    var firstReceiveNs: UInt64 = 0
    var lastReceiveNs: UInt64 = 0
    var dtmfOut: MediaDTMFSender?
    var outgoing = MediaOutgoingStream()
    // RTCP with this leg's peer: round trip, its report on us, LSR/DLSR and the report schedule.
    var rtcp = RTCPPeerState()
    // The SSRC of the RTP the peer sends (the source of the box's report block).
    var peerSSRC: UInt32 = 0
    // The box's SSRC in an RR toward the peer before it has sent any RTP there.
    var ownSSRC: UInt32 = 0

    init() {}

    init(_ spec: MediaLegSpec) {
        rtpFD = spec.rtpFD
        rtcpFD = spec.rtcpFD
        apply(spec)
        rewriter = spec.rewriter
        dtmf = TelephoneEventTracker(clockRate: 8000)
        receiver = RTPReceiverStats(clockRate: spec.clockRate)
        counters.clockRate = spec.clockRate
    }

    // The parts an update may change (sockets, statistics and the rewriter stay).
    mutating func apply(_ spec: MediaLegSpec) {
        remote = spec.remote
        remoteRTCP = spec.remoteRTCP
        latchedRTP = nil
        latchedRTCP = nil
        latching = spec.latching
        srtpReceive = spec.srtpReceive
        srtpSend = spec.srtpSend
        secure = spec.secure
        payloadTypeMap = spec.payloadTypeMap
        transcoder = spec.transcoder
        telephoneEventPayloadType = spec.telephoneEventPayloadType
        clockRate = spec.clockRate
        if rewriter == nil { rewriter = spec.rewriter }
    }

    var snapshot: MediaLegStats {
        var s = counters
        s.packetsLost = receiver.cumulativeLost
        s.jitter = receiver.jitter
        s.clockRate = clockRate
        s.latchedAddress = latchedRTP
        s.roundTripMilliseconds = rtcp.roundTripMilliseconds
        s.roundTripMeanMilliseconds = rtcp.meanRoundTripMilliseconds
        s.roundTripSamples = rtcp.roundTripSamples
        if let b = rtcp.peerReport {
            s.peerReport = MediaPeerReport(fractionLost: b.fractionLost, cumulativeLost: b.cumulativeLost, jitter: b.jitter,
                                           clockRate: clockRate)
        }
        return s
    }
}

// An RFC 4733 event being sent out of a leg, inside the stream the leg already sends: same SSRC,
// the next sequence numbers, the timestamp the stream has reached at the event's start. Relayed
// audio toward the leg is held back while the event plays, and the sequence numbers of audio after
// it are shifted by (event packets − held-back packets), so the far end sees no gap.
struct MediaDTMFSender {
    static let intervalNs: UInt64 = 50_000_000
    static let endIntervalNs: UInt64 = 20_000_000
    var request: MediaDTMFRequest
    var startNs: UInt64
    var timestamp: UInt32
    var clockRate: UInt32
    var nextDueNs: UInt64
    var packets = 0
    var endsSent = 0
    // The duration the last packet reported (RFC 4733 durations of one event never go down).
    var reportedSamples: UInt32 = 0
}

// What last went out of a leg as RTP, so the box can continue the stream.
struct MediaOutgoingStream {
    var ssrc: UInt32 = 0
    var sequence: UInt16 = 0
    var timestamp: UInt32 = 0
    var sentNs: UInt64 = 0
    var started = false
    // Added to the sequence number of every relayed packet (wrapping).
    var sequenceShift: UInt16 = 0
    // RTP packets and payload octets sent (an SR's sender info, RFC 3550 §6.4.1), and the packet
    // count at the box's last report (whether it is a sender now).
    var packets: UInt32 = 0
    var payloadOctets: UInt32 = 0
    var packetsAtLastReport: UInt32 = 0
}

// One session's live state.
struct MediaSessionState {
    var active = false
    var id = MediaSessionID(slot: 0, generation: 0)
    var createdNs: UInt64 = 0
    var lastStatsNs: UInt64 = 0
    var timedOut = false
    var oneWayReported = (false, false)
    // The final event could not be queued yet (event queue full); retried every tick.
    var destroyPending = false
    var finalStats = MediaSessionStats()
    // Set for a session bridging leg a with the line (leg b has no sockets).
    var line: UnsafeMutablePointer<LineSessionState>?
}

// State shared between the control side and the media thread (atomics only).
final class MediaRealtimeShared: Sendable {
    let stop = ManagedAtomic<Bool>(false)
    let started = ManagedAtomic<Bool>(false)
    let exited = ManagedAtomic<Bool>(false)
    // errno of pthread_setschedparam / mlockall, -1 while not tried, 0 for success.
    let schedulingError = ManagedAtomic<Int>(-1)
    let lockError = ManagedAtomic<Int>(-1)
    let eventsDropped = ManagedAtomic<UInt64>(0)
    let liveSessions = ManagedAtomic<Int>(0)
    let line = LineShared()
    // epoll_wait returns and timer ticks of the media thread (tests check the thread does not spin).
    let wakeups = ManagedAtomic<UInt64>(0)
    let ticks = ManagedAtomic<UInt64>(0)
    // Whether the media thread's tick timer runs (only while it has sessions).
    let tickArmed = ManagedAtomic<Bool>(false)
}
