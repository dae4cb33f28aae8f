// RTCPPeerState: what the box knows of one leg's peer through RTCP: round-trip time from LSR/DLSR, the peer's own reception report, the LSR/DLSR to report back and the report schedule (RFC 3550 §6.3, §6.4.1, A.7).
// Realtime: fixed-size fields only; every method is arithmetic on a caller-supplied clock (nanoseconds, any origin) and allocates nothing.

/// One leg's RTCP bookkeeping, driven by a clock the caller passes in (the media thread's monotonic
/// nanoseconds; a manual clock in tests).
///
/// Round-trip time (§6.4.1): every SR that goes toward the peer, whether the box forwards the far
/// side's SR (relayed session) or sends its own (terminated session), is remembered with the time it
/// passed the box, in `slots` slots (the oldest overwritten). A report block from the peer whose LSR
/// names one of them gives RTT = now − that time − DLSR: the round trip between the box and the peer,
/// the peer's holding time taken out.
public struct RTCPPeerState: Sendable {
    /// SRs toward the peer remembered at once (a peer reports on the latest one it received; a few
    /// cover reordering and an SR lost on the way).
    @inlinable public static var slots: Int { 4 }

    @usableFromInline var sentLSR = SIMD4<UInt32>(repeating: 0)
    @usableFromInline var sentAt = SIMD4<UInt64>(repeating: 0)
    @usableFromInline var sentUsed = SIMD4<UInt8>(repeating: 0)
    @usableFromInline var nextSlot = 0

    /// LSR to report to the peer: compact NTP time of the last SR received from it (0: none yet).
    public private(set) var lastSRReceived: UInt32 = 0
    /// When that SR arrived (caller's clock).
    public private(set) var lastSRReceivedAt: UInt64 = 0

    /// The latest round-trip time measured, milliseconds.
    public private(set) var roundTripMilliseconds: Double?
    /// Round-trip samples taken and their sum (for the mean).
    public private(set) var roundTripSamples: UInt32 = 0
    public private(set) var roundTripSumMilliseconds: Double = 0

    /// The peer's latest report block on the stream the box sends it (its loss and jitter as it
    /// receives us), nil until one came.
    public private(set) var peerReport: RTCPReportBlock?

    /// When the next report of the box's own is due (0: not scheduled yet).
    public private(set) var nextReportAt: UInt64 = 0
    /// Reports the box has sent to this peer.
    public private(set) var reportsSent = 0
    /// Running average compound RTCP size in octets, IP and UDP headers included (A.7).
    public private(set) var averageSize: Double = 128

    public init() {}

    /// The mean of the round-trip samples, milliseconds.
    public var meanRoundTripMilliseconds: Double? {
        roundTripSamples == 0 ? nil : roundTripSumMilliseconds / Double(roundTripSamples)
    }

    // MARK: SRs toward the peer

    /// An SR with NTP time `ntp` went toward the peer at `now` (forwarded or the box's own).
    public mutating func senderReportSent(_ ntp: NTPTimestamp, at now: UInt64) {
        let lsr = ntp.compact
        // The same SR seen again (a retransmission) keeps its first time.
        for i in 0..<RTCPPeerState.slots where sentUsed[i] != 0 && sentLSR[i] == lsr { return }
        sentLSR[nextSlot] = lsr
        sentAt[nextSlot] = now
        sentUsed[nextSlot] = 1
        nextSlot = (nextSlot + 1) % RTCPPeerState.slots
    }

    // MARK: what the peer sends

    /// An SR from the peer arrived at `now`: its time is the LSR of the box's next report block.
    public mutating func senderReportReceived(_ ntp: NTPTimestamp, at now: UInt64) {
        lastSRReceived = ntp.compact
        lastSRReceivedAt = now
    }

    /// A report block from the peer arrived at `now`. `sentSSRC` is the source the box sends the peer
    /// (nil: not known yet, any block is taken as about it); a block about another source is ignored.
    /// Returns the round-trip sample it gave, if its LSR names a remembered SR and the result is not
    /// negative.
    @discardableResult
    public mutating func reportBlockReceived(_ block: RTCPReportBlock, sentSSRC: UInt32?, at now: UInt64) -> Double? {
        if let sentSSRC, block.ssrc != sentSSRC { return nil }
        peerReport = block
        guard block.lastSR != 0 else { return nil }
        for i in 0..<RTCPPeerState.slots where sentUsed[i] != 0 && sentLSR[i] == block.lastSR {
            guard now >= sentAt[i] else { return nil }
            // DLSR is in 1/65536 s (`>>` binds tighter than `*` in Swift: the parentheses matter).
            let dlsrNs = (UInt64(block.delaySinceLastSR) &* 1_000_000_000) >> 16
            let elapsed = now - sentAt[i]
            guard elapsed >= dlsrNs else { return nil }
            let rtt = Double(elapsed - dlsrNs) / 1_000_000
            roundTripMilliseconds = rtt
            roundTripSamples &+= 1
            roundTripSumMilliseconds += rtt
            return rtt
        }
        return nil
    }

    // MARK: the box's own reports

    /// LSR and DLSR for a report block sent at `now` (both 0 before any SR from the peer).
    public func lastSRFields(at now: UInt64) -> (lastSR: UInt32, delaySinceLastSR: UInt32) {
        guard lastSRReceived != 0, now >= lastSRReceivedAt else { return (0, 0) }
        let delay = ((now - lastSRReceivedAt) << 16) / 1_000_000_000
        return (lastSRReceived, UInt32(clamping: delay))
    }

    /// The compound report the box sends the peer at `now`: SR when `senderInfo` is set (the box sent
    /// RTP since its last report), RR otherwise, with a report block on the peer's source `peerSSRC`
    /// from `stats` when that source is valid (A.3 loss and A.8 jitter; advances the A.3 interval),
    /// LSR/DLSR from the peer's last SR; then SDES CNAME. The SR is remembered for the round trip.
    public mutating func makeReport(ssrc: UInt32, cname: RTCPCName, senderInfo: RTCPSenderInfo?, peerSSRC: UInt32,
                                    stats: inout RTPReceiverStats, at now: UInt64) -> RTCPCompoundReport {
        var report = RTCPCompoundReport(ssrc: ssrc, cname: cname, senderInfo: senderInfo)
        if stats.isValid {
            let lsr = lastSRFields(at: now)
            report.appendReportBlock(RTCPReportBlock(ssrc: peerSSRC, stats: &stats, lastSR: lsr.lastSR, delaySinceLastSR: lsr.delaySinceLastSR))
        }
        if let senderInfo { senderReportSent(senderInfo.ntpTimestamp, at: now) }
        return report
    }

    /// Sets the next report time after a report of `packetSize` octets (IP and UDP included) went out
    /// at `now` (or, with `packetSize` nil, schedules the first one): RFC 3550 A.7 for a two-member
    /// session with `bandwidth` octets/s of RTCP, randomised by `random` (0..<1), never below
    /// `minimumSeconds` (halved for the first report) before randomisation.
    public mutating func scheduleNextReport(at now: UInt64, packetSize: Int?, weSent: Bool, peerSent: Bool,
                                            bandwidth: Double, random: Double,
                                            minimumSeconds: Double = RTCPInterval.minimumSeconds) {
        if let packetSize {
            averageSize = RTCPInterval.updatedAverageSize(averageSize, packetSize: packetSize)
            reportsSent += 1
        }
        let seconds = RTCPInterval.seconds(members: 2, senders: (weSent ? 1 : 0) + (peerSent ? 1 : 0), bandwidth: bandwidth,
                                           weSent: weSent, averageSize: averageSize, initial: reportsSent == 0,
                                           random: random, minimumSeconds: minimumSeconds)
        nextReportAt = now &+ UInt64(max(seconds, 0.001) * 1_000_000_000)
        if nextReportAt == 0 { nextReportAt = 1 }
    }

    /// Notes a received compound packet's size for the average (A.7 counts both directions).
    public mutating func compoundReceived(packetSize: Int) {
        averageSize = RTCPInterval.updatedAverageSize(averageSize, packetSize: packetSize)
    }

    /// Whether a report is due at `now` (false before the first is scheduled).
    public func isReportDue(at now: UInt64) -> Bool { nextReportAt != 0 && now >= nextReportAt }
}
