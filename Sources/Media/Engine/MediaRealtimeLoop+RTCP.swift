// MediaRealtimeLoop+RTCP: RTCP read on its way through (round trip, the peer's report) and the box's own SR/RR in sessions it terminates (RFC 3550 §6.3, §6.4, A.7; RFC 3711 §3.4).
//
// REALTIME FILE. In steady state the code here does no allocation, takes no lock, does no logging and
// never awaits (see MediaRealtimeLoop.swift; MediaAllocationTests proves it). Reports are written into
// the preallocated `rtcpBuffer`; RTCPScanner reads without allocating.
import CShim
import CSRTP
import Glibc
import MediaCore

extension MediaRealtimeLoop {
    // RTCP bandwidth assumed per leg for the A.7 interval: 5 % of a G.711 call's ~10,900 octets/s.
    static let rtcpBandwidth = 545.0
    // IP and UDP headers counted in the A.7 average size.
    static let rtcpHeaderOverhead = 28

    /// Whether the box terminates the session's media, and so its RTCP: a line session, or one that
    /// transcodes (the far ends' reports describe streams the other end never sees).
    @inline(__always)
    func terminatesRTCP(_ slot: Int) -> Bool {
        sessions[slot].line != nil || legs[slot * 2].transcoder != nil || legs[slot * 2 + 1].transcoder != nil
    }

    /// Reads a compound RTCP packet in clear that arrived on `inLeg`: its SR time (LSR for the box's
    /// next report; when `outLeg` is given, the SR is forwarded there and remembered for that leg's
    /// round trip), and its report blocks (the peer's view of what the box sends it; RTT when the LSR
    /// names an SR that passed the box toward it).
    func observeRTCP(_ p: UnsafeRawBufferPointer, wireLength: Int, from inLeg: UnsafeMutablePointer<MediaLegState>,
                     toward outLeg: UnsafeMutablePointer<MediaLegState>?, now: UInt64) {
        inLeg.pointee.rtcp.compoundReceived(packetSize: wireLength + MediaRealtimeLoop.rtcpHeaderOverhead)
        let sentSSRC: UInt32? = inLeg.pointee.outgoing.started ? inLeg.pointee.outgoing.ssrc : nil
        _ = RTCPScanner.scan(p) { item in
            switch item {
            case .senderInfo(_, let info):
                inLeg.pointee.rtcp.senderReportReceived(info.ntpTimestamp, at: now)
                if let outLeg { outLeg.pointee.rtcp.senderReportSent(info.ntpTimestamp, at: now) }
            case .reportBlock(_, let block):
                inLeg.pointee.rtcp.reportBlockReceived(block, sentSSRC: sentSSRC, at: now)
            case .goodbye:
                break
            }
        }
    }

    /// The NTP time of monotonic `now` (wall clock as it was when the engine started).
    @inline(__always)
    func ntp(_ now: UInt64) -> NTPTimestamp {
        let unix = now &+ ntpOffsetNs
        return NTPTimestamp(unixSeconds: unix / 1_000_000_000, nanoseconds: UInt32(unix % 1_000_000_000))
    }

    /// xorshift64*: SSRCs and the interval's random factor (not for anything secret).
    @inline(__always)
    func nextRandom() -> UInt64 {
        random ^= random >> 12
        random ^= random << 25
        random ^= random >> 27
        return random &* 0x2545_F491_4F6C_DD1D
    }

    /// Sends the leg's report when it is due (schedules the first one when there is none yet). A leg
    /// without sockets (the line) sends nothing.
    func rtcpReport(_ leg: UnsafeMutablePointer<MediaLegState>, now: UInt64) {
        guard leg.pointee.rtpFD >= 0 else { return }
        let weSent = leg.pointee.outgoing.packets != leg.pointee.outgoing.packetsAtLastReport
        let peerSent = leg.pointee.receiver.isValid
        let u = Double(nextRandom() >> 11) / Double(1 << 53)
        if leg.pointee.rtcp.nextReportAt == 0 {
            leg.pointee.rtcp.scheduleNextReport(at: now, packetSize: nil, weSent: weSent, peerSent: peerSent,
                                                bandwidth: MediaRealtimeLoop.rtcpBandwidth, random: u, minimumSeconds: rtcpMinimumSeconds)
            return
        }
        guard leg.pointee.rtcp.isReportDue(at: now) else { return }
        let length = rtcpSend(leg, weSent: weSent, now: now)
        leg.pointee.outgoing.packetsAtLastReport = leg.pointee.outgoing.packets
        leg.pointee.rtcp.scheduleNextReport(at: now, packetSize: length + MediaRealtimeLoop.rtcpHeaderOverhead, weSent: weSent,
                                            peerSent: peerSent, bandwidth: MediaRealtimeLoop.rtcpBandwidth, random: u,
                                            minimumSeconds: rtcpMinimumSeconds)
    }

    /// Builds, protects and sends one SR (when the box sent RTP since its last report) or RR out of
    /// the leg's RTCP socket (its RTP socket under rtcp-mux). Returns the compound length in clear
    /// (0 when nothing could go out: no destination, no SRTP keys yet; not counted as a drop, the
    /// leg's counters are about the packets it carries).
    func rtcpSend(_ leg: UnsafeMutablePointer<MediaLegState>, weSent: Bool, now: UInt64) -> Int {
        if leg.pointee.secure && leg.pointee.srtpSend == nil { return 0 }
        let viaRTCP = leg.pointee.rtcpFD >= 0
        guard let destination = viaRTCP ? (leg.pointee.latchedRTCP ?? leg.pointee.remoteRTCP)
                                        : (leg.pointee.latchedRTP ?? leg.pointee.remote) else { return 0 }
        let out = leg.pointee.outgoing
        var info: RTCPSenderInfo?
        if weSent {
            // The RTP timestamp of this instant: the last packet's plus the time since, in the clock.
            let since = UInt64(leg.pointee.clockRate) &* (now &- out.sentNs) / 1_000_000_000
            info = RTCPSenderInfo(ntpTimestamp: ntp(now), rtpTimestamp: out.timestamp &+ UInt32(truncatingIfNeeded: since),
                                  packetCount: out.packets, octetCount: out.payloadOctets)
        }
        var stats = leg.pointee.receiver
        let report = leg.pointee.rtcp.makeReport(ssrc: out.started ? out.ssrc : leg.pointee.ownSSRC, cname: rtcpCName,
                                                 senderInfo: info, peerSSRC: leg.pointee.peerSSRC, stats: &stats, at: now)
        leg.pointee.receiver = stats
        let clear = report.write(into: UnsafeMutableRawBufferPointer(
            start: rtcpBuffer, count: MediaRealtimeLoop.rtcpBufferCapacity - SRTPContext.maximumTrailer - 16))
        guard clear > 0 else {
            leg.pointee.counters.dropped &+= 1
            return 0
        }
        var length = clear
        if let ctx = leg.pointee.srtpSend {
            var len = Int32(length)
            guard srtp_protect_rtcp(ctx, rtcpBuffer, &len).rawValue == 0 else {
                leg.pointee.counters.dropped &+= 1
                return clear
            }
            length = Int(len)
        }
        txOffsets[0] = 0
        txLengths[0] = UInt32(length)
        txAddressLengths[0] = destination.write(sockaddr: txAddresses)
        let fd = viaRTCP ? leg.pointee.rtcpFD : leg.pointee.rtpFD
        if tb_send_batch(fd, 1, rtcpBuffer.assumingMemoryBound(to: UInt8.self), txOffsets, txLengths, txAddresses, txAddressLengths) == 1 {
            leg.pointee.counters.rtcpSent &+= 1
        } else {
            leg.pointee.counters.sendFailures &+= 1
        }
        return clear
    }
}
