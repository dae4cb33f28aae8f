// MediaRealtimeLoop+DTMF: RFC 4733 events the box originates inside a leg's outgoing stream (RFC 4733 §2.5.1).
//
// REALTIME FILE. In steady state the code here does no allocation, takes no lock, does no logging and
// never awaits (see MediaRealtimeLoop.swift; MediaAllocationTests proves it).
import CShim
import CSRTP
import Glibc
import MediaCore

extension MediaRealtimeLoop {
    func startDTMF(_ id: MediaSessionID, _ leg: MediaLeg, _ request: MediaDTMFRequest) {
        let slot = Int(id.slot)
        guard slot < capacity, sessions[slot].active, sessions[slot].id == id else {
            _ = emit(.commandFailed(id, .unknownSession))
            return
        }
        let out = legs + (slot * 2 + leg.rawValue)
        guard out.pointee.outgoing.started else {
            _ = emit(.commandFailed(id, .noOutgoingStream))
            return
        }
        guard out.pointee.dtmfOut == nil else {
            _ = emit(.commandFailed(id, .dtmfBusy))
            return
        }
        // The stream out of `leg` carries the other leg's audio, so its clock is that leg's.
        let rate = legs[slot * 2 + (leg.rawValue ^ 1)].clockRate
        let now = tb_monotonic_ns()
        let elapsed = UInt64(rate) * (now &- out.pointee.outgoing.sentNs) / 1_000_000_000
        out.pointee.dtmfOut = MediaDTMFSender(
            request: request, startNs: now,
            timestamp: out.pointee.outgoing.timestamp &+ UInt32(truncatingIfNeeded: elapsed),
            clockRate: rate, nextDueNs: now)
        sendDTMFPacket(id, leg, out, now: now)
    }

    // Sends the next packet of the leg's DTMF event if it is due.
    func sendDTMFPacket(_ id: MediaSessionID, _ leg: MediaLeg, _ out: UnsafeMutablePointer<MediaLegState>, now: UInt64) {
        guard var sender = out.pointee.dtmfOut, now >= sender.nextDueNs else { return }
        let elapsed = UInt64(sender.clockRate) * (now &- sender.startNs) / 1_000_000_000
        let interval = UInt64(sender.clockRate) * MediaDTMFSender.intervalNs / 1_000_000_000
        // A fixed-length event announces the tone up to its next packet; an open-ended one only what has
        // sounded so far (at least one 20 ms packet time), so its end never has to take anything back.
        let soFar = sender.request.openEnded ? max(elapsed, UInt64(sender.clockRate) / 50) : elapsed + interval
        let duration = UInt32(min(soFar, UInt64(sender.request.durationSamples)))
        let end = duration >= sender.request.durationSamples
        let sequence = out.pointee.outgoing.sequence &+ 1
        let packet = UnsafeMutableRawBufferPointer(start: dtmfBuffer, count: 16)
        RTPWrite.writeHeader(RTPHeader(marker: sender.packets == 0, payloadType: sender.request.payloadType,
                                       sequence: sequence, timestamp: sender.timestamp,
                                       ssrc: out.pointee.outgoing.ssrc, payloadLength: 4), into: packet)
        TelephoneEvent(event: sender.request.event, end: end, volume: sender.request.volume,
                       duration: UInt16(clamping: duration))
            .write(into: UnsafeMutableRawBufferPointer(rebasing: packet[12..<16]))
        out.pointee.outgoing.sequence = sequence
        out.pointee.outgoing.sequenceShift &+= 1
        out.pointee.outgoing.packets &+= 1
        out.pointee.outgoing.payloadOctets &+= 4
        var length = 16
        var ok = !(out.pointee.secure && out.pointee.srtpSend == nil)
        if ok, let ctx = out.pointee.srtpSend {
            var len = Int32(length)
            ok = srtp_protect(ctx, dtmfBuffer, &len).rawValue == 0
            length = Int(len)
        }
        if ok, let destination = out.pointee.latchedRTP ?? out.pointee.remote {
            txOffsets[0] = 0
            txLengths[0] = UInt32(length)
            txAddressLengths[0] = destination.write(sockaddr: txAddresses)
            if tb_send_batch(out.pointee.rtpFD, 1, dtmfBuffer, txOffsets, txLengths, txAddresses, txAddressLengths) == 1 {
                out.pointee.counters.packetsSent &+= 1
                out.pointee.counters.bytesSent &+= UInt64(length)
            } else {
                out.pointee.counters.sendFailures &+= 1
            }
        } else {
            out.pointee.counters.dropped &+= 1
        }
        sender.packets += 1
        sender.reportedSamples = max(sender.reportedSamples, duration)
        if end {
            sender.endsSent += 1
            sender.nextDueNs = now &+ MediaDTMFSender.endIntervalNs
        } else {
            sender.nextDueNs = now &+ MediaDTMFSender.intervalNs
        }
        if sender.endsSent >= 3 {
            out.pointee.dtmfOut = nil
            _ = emit(.dtmfSent(id, leg: leg, event: sender.request.event))
        } else {
            out.pointee.dtmfOut = sender
        }
    }
}
