// MediaRealtimeLoop+Relay: one receive batch in, SRTP, latching, statistics, payload-type mapping or transcoding and one send batch out (RFC 3550, RFC 3711, RFC 4961).
//
// REALTIME FILE. In steady state the code here does no allocation, takes no lock, does no logging and
// never awaits (see MediaRealtimeLoop.swift; MediaAllocationTests proves it).
import CShim
import CSRTP
import Glibc
import MediaCore

extension MediaRealtimeLoop {

    func receive(slot: Int, side: Int, rtcpSocket: Bool) {
        guard slot < capacity, sessions[slot].active else { return }
        let inLeg = legs + (slot * 2 + side)
        let outLeg = legs + (slot * 2 + (side ^ 1))
        let fd = rtcpSocket ? inLeg.pointee.rtcpFD : inLeg.pointee.rtpFD
        guard fd >= 0 else { return }
        let n = Int(tb_recv_batch(fd, UInt32(batch), rxBuffers, MediaRealtimeLoop.stride, MediaRealtimeLoop.receiveCapacity,
                                  rxAddresses, rxAddressLengths, rxLengths))
        guard n > 0 else {
            // A pending socket error keeps a level-triggered descriptor ready: read it to clear it,
            // so the realtime thread cannot spin on it.
            if n < 0 && errno != EAGAIN && errno != EINTR {
                var error: Int32 = 0
                var size = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            }
            return
        }
        let now = tb_monotonic_ns()
        let id = sessions[slot].id
        var rtpCount = 0
        var rtcpCount = 0
        for j in 0..<n {
            let packet = UnsafeMutableRawPointer(rxBuffers + j * MediaRealtimeLoop.stride)
            var length = Int(rxLengths[j])
            guard length <= MediaRealtimeLoop.receiveCapacity,
                  let source = MediaAddress(sockaddr: rxAddresses + j * 28, length: rxAddressLengths[j]) else {
                inLeg.pointee.counters.dropped &+= 1
                continue
            }
            let wireLength = length
            // An SRTP leg without its keys yet: nothing in, nothing out, never in clear.
            if (inLeg.pointee.secure && inLeg.pointee.srtpReceive == nil) || (outLeg.pointee.secure && outLeg.pointee.srtpSend == nil) {
                inLeg.pointee.counters.dropped &+= 1
                continue
            }
            let isRTCP = rtcpSocket || RTPDemux.isRTCP(UnsafeRawBufferPointer(start: packet, count: length))
            if isRTCP {
                if let ctx = inLeg.pointee.srtpReceive {
                    var len = Int32(length)
                    guard srtp_unprotect_rtcp(ctx, packet, &len).rawValue == 0 else {
                        inLeg.pointee.counters.srtpFailures &+= 1
                        continue
                    }
                    length = Int(len)
                }
                guard length >= 8 else { inLeg.pointee.counters.dropped &+= 1; continue }
                if rtcpSocket {
                    guard latch(id, inLeg, side: side, source: source, rtcp: true, authenticated: inLeg.pointee.srtpReceive != nil, now: now) else { continue }
                } else {
                    guard latch(id, inLeg, side: side, source: source, rtcp: false, authenticated: inLeg.pointee.srtpReceive != nil, now: now) else { continue }
                }
                inLeg.pointee.counters.rtcpReceived &+= 1
                // Read in clear (after unprotect, before protect toward the other leg). A session the
                // box terminates (line, transcoding) consumes it: the box sends its own reports.
                let terminated = terminatesRTCP(slot)
                observeRTCP(UnsafeRawBufferPointer(start: packet, count: length), wireLength: wireLength,
                            from: inLeg, toward: terminated ? nil : outLeg, now: now)
                if terminated { continue }
                // Out of the peer's RTCP socket, or its RTP socket under rtcp-mux.
                let viaRTCP = outLeg.pointee.rtcpFD >= 0
                guard let destination = viaRTCP ? (outLeg.pointee.latchedRTCP ?? outLeg.pointee.remoteRTCP)
                                                : (outLeg.pointee.latchedRTP ?? outLeg.pointee.remote) else {
                    outLeg.pointee.counters.dropped &+= 1
                    continue
                }
                if let ctx = outLeg.pointee.srtpSend {
                    var len = Int32(length)
                    guard srtp_protect_rtcp(ctx, packet, &len).rawValue == 0 else {
                        outLeg.pointee.counters.dropped &+= 1
                        continue
                    }
                    length = Int(len)
                }
                let k = viaRTCP ? batch + rtcpCount : rtpCount
                if viaRTCP { rtcpCount += 1 } else { rtpCount += 1 }
                queue(k, packet: packet, length: length, to: destination, rtcp: true)
                continue
            }
            // RTP.
            if let ctx = inLeg.pointee.srtpReceive {
                var len = Int32(length)
                guard srtp_unprotect(ctx, packet, &len).rawValue == 0 else {
                    inLeg.pointee.counters.srtpFailures &+= 1
                    continue
                }
                length = Int(len)
            }
            guard let header = RTPHeader.parse(UnsafeRawBufferPointer(start: packet, count: length)) else {
                inLeg.pointee.counters.dropped &+= 1
                continue
            }
            guard latch(id, inLeg, side: side, source: source, rtcp: false, authenticated: inLeg.pointee.srtpReceive != nil, now: now) else { continue }
            inLeg.pointee.counters.packetsReceived &+= 1
            inLeg.pointee.counters.bytesReceived &+= UInt64(wireLength)
            if inLeg.pointee.firstReceiveNs == 0 { inLeg.pointee.firstReceiveNs = now }
            inLeg.pointee.lastReceiveNs = now
            inLeg.pointee.peerSSRC = header.ssrc
            let arrival = UInt32(truncatingIfNeeded: (now / 1000) &* UInt64(inLeg.pointee.clockRate) / 1_000_000)
            // Telephone events share the audio stream's sequence numbers (RFC 4733 §2.1), so they
            // enter the loss statistics too.
            inLeg.pointee.receiver.update(sequence: header.sequence, rtpTimestamp: header.timestamp, arrival: arrival)
            if header.payloadType == inLeg.pointee.telephoneEventPayloadType,
               let event = TelephoneEvent.parse(UnsafeRawBufferPointer(start: packet + header.headerLength, count: header.payloadLength)),
               let report = inLeg.pointee.dtmf.receive(event, rtpTimestamp: header.timestamp) {
                _ = emit(.dtmf(id, leg: MediaLeg(rawValue: side)!, event: report.event, durationMs: report.durationMs, ended: report.ended))
            }
            if let lineState = sessions[slot].line {
                lineReceive(lineState, packet: packet, header: header, arrival: arrival, leg: inLeg)
                continue
            }
            // Audio toward a leg that is playing a DTMF event of the box's own is held back.
            if outLeg.pointee.dtmfOut != nil {
                outLeg.pointee.outgoing.sequenceShift &-= 1
                continue
            }
            let outPT: UInt8
            if let t = inLeg.pointee.transcoder, header.payloadType == t.pointee.incomingPayloadType {
                // The legs share no codec: re-encode in place (payload type and length change,
                // timestamp stays), then on down the same path.
                guard let transcoded = transcode(t, packet: packet, header: header) else {
                    inLeg.pointee.counters.transcodeDropped &+= 1
                    continue
                }
                length = transcoded
                outPT = t.pointee.outgoingPayloadType
                inLeg.pointee.counters.packetsTranscoded &+= 1
            } else {
                guard let mapped = inLeg.pointee.payloadTypeMap[header.payloadType] else {
                    inLeg.pointee.counters.dropped &+= 1
                    continue
                }
                outPT = mapped
            }
            let bytes = UnsafeMutableRawBufferPointer(start: packet, count: length)
            if outPT != header.payloadType { RTPWrite.setPayloadType(bytes, outPT) }
            var sent = header
            if outLeg.pointee.rewriter != nil {
                var h = header
                h.payloadType = outPT
                sent = outLeg.pointee.rewriter!.rewrite(packet: bytes, header: h, arrival: arrival)
            }
            if outLeg.pointee.outgoing.sequenceShift != 0 {
                sent.sequence &+= outLeg.pointee.outgoing.sequenceShift
                RTPWrite.setSequence(bytes, sent.sequence)
            }
            outLeg.pointee.outgoing.ssrc = sent.ssrc
            outLeg.pointee.outgoing.sequence = sent.sequence
            outLeg.pointee.outgoing.timestamp = sent.timestamp
            outLeg.pointee.outgoing.sentNs = now
            outLeg.pointee.outgoing.started = true
            outLeg.pointee.outgoing.packets &+= 1
            outLeg.pointee.outgoing.payloadOctets &+= UInt32(truncatingIfNeeded: max(length - header.headerLength, 0))
            guard let destination = outLeg.pointee.latchedRTP ?? outLeg.pointee.remote else {
                outLeg.pointee.counters.dropped &+= 1
                continue
            }
            if let ctx = outLeg.pointee.srtpSend {
                var len = Int32(length)
                guard srtp_protect(ctx, packet, &len).rawValue == 0 else {
                    outLeg.pointee.counters.dropped &+= 1
                    continue
                }
                length = Int(len)
            }
            queue(rtpCount, packet: packet, length: length, to: destination, rtcp: false)
            rtpCount += 1
        }
        if rtpCount > 0 {
            flush(outLeg, fd: outLeg.pointee.rtpFD, first: 0, count: rtpCount)
        }
        if rtcpCount > 0 {
            flush(outLeg, fd: outLeg.pointee.rtcpFD, first: batch, count: rtcpCount)
        }
    }

    // Decides whether a packet from `source` is accepted, latching or re-latching the leg.
    @inline(__always)
    func latch(_ id: MediaSessionID, _ leg: UnsafeMutablePointer<MediaLegState>, side: Int, source: MediaAddress,
               rtcp: Bool, authenticated: Bool, now: UInt64) -> Bool {
        guard leg.pointee.latching else { return true }
        let current = rtcp ? leg.pointee.latchedRTCP : leg.pointee.latchedRTP
        if current == source { return true }
        if current != nil && !authenticated && now &- leg.pointee.lastReceiveNs < relatchNs {
            leg.pointee.counters.foreignDropped &+= 1
            return false
        }
        if rtcp { leg.pointee.latchedRTCP = source } else { leg.pointee.latchedRTP = source }
        _ = emit(.latched(id, leg: MediaLeg(rawValue: side)!, address: source, rtcp: rtcp))
        return true
    }

    @inline(__always)
    func queue(_ k: Int, packet: UnsafeMutableRawPointer, length: Int, to destination: MediaAddress, rtcp: Bool) {
        txIsRTCP[k] = rtcp
        txOffsets[k] = UInt32(UnsafeMutableRawPointer(rxBuffers).distance(to: packet))
        txLengths[k] = UInt32(length)
        txAddressLengths[k] = destination.write(sockaddr: txAddresses + k * 28)
    }

    func flush(_ leg: UnsafeMutablePointer<MediaLegState>, fd: Int32, first: Int, count: Int) {
        var sent = 0
        var attempts = 0
        while sent < count && attempts < 4 {
            attempts += 1
            let k = first + sent
            let r = Int(tb_send_batch(fd, UInt32(count - sent), rxBuffers, txOffsets + k, txLengths + k,
                                      txAddresses + k * 28, txAddressLengths + k))
            if r > 0 {
                for i in k..<(k + r) {
                    if txIsRTCP[i] {
                        leg.pointee.counters.rtcpSent &+= 1
                    } else {
                        leg.pointee.counters.packetsSent &+= 1
                        leg.pointee.counters.bytesSent &+= UInt64(txLengths[i])
                    }
                }
                sent += r
            } else if r < 0 && errno == EINTR {
                continue
            } else if r < 0 && errno != EAGAIN {
                // A datagram the kernel refuses (e.g. unreachable): skip it, send the rest.
                leg.pointee.counters.sendFailures &+= 1
                sent += 1
            }
        }
        if sent < count { leg.pointee.counters.sendFailures &+= UInt64(count - sent) }
    }
}
