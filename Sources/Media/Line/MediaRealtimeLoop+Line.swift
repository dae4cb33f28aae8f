// MediaRealtimeLoop+Line: the analog line on the media thread: its own period clock, ALSA capture and playback through the PCM's poll descriptors, jitter buffer, decode/conceal, encode and RTP out.
//
// REALTIME FILE. In steady state the code here does no allocation, takes no lock, does no logging and
// never awaits (see MediaRealtimeLoop.swift; LineAllocationTests proves it).
//
// Pacing: the line moves exactly one period per expiration of its own timerfd (the period), never
// more, whatever the device does. The PCM's poll descriptors are in the epoll set but disarmed; they
// are armed (EPOLLONESHOT) only when a period is due and the device could not take or give it yet
// (EAGAIN, a partial transfer), so a slow card is served as soon as it is ready, and a card that is
// always ready (alsa-lib's `file` plugin over `null`) wakes the thread no more than the clock does.
import CALSA
import CBCG729
import CShim
import CSRTP
import Glibc
import MediaCore

// The line's device and clock as the media thread keeps them.
struct LineDeviceState {
    // 8 kHz samples per period; 0 while the line clock is not running.
    var periodSamples = 0
    var device: LineDeviceSpec?
    var deviceFrames = 0
    var captureArmed = false
    var playbackArmed = false
    // Capture periods due but not read yet (at most 2), and frames of the current one already read.
    var captureDue = 0
    var captureOffset = 0
    // The playback period not yet fully written, and frames of it already written.
    var playbackPending = false
    var playbackOffset = 0
    // The slot of the session bridging the line, or -1.
    var sessionSlot = -1
    // Events that could not be queued yet (event queue full), retried every period.
    var faultPending: LineAudioFault?
    var releasedPending = false
    var firstWriteDone = false
    // The line's telephony DSP (owned by the control side; MediaRealtimeLoop+LineDSP).
    var dsp: Unmanaged<LineDSPStage>?
}

// The line's preallocated buffers (made in the loop's init).
struct LineBuffers {
    static let deviceCapacity = 4096        // 20 ms at 192 kHz fits
    static let pcmCapacity = 160            // 20 ms at 8 kHz
    let deviceIn = UnsafeMutablePointer<Int16>.allocate(capacity: deviceCapacity)
    let deviceOut = UnsafeMutablePointer<Int16>.allocate(capacity: deviceCapacity)
    let zeros = UnsafeMutablePointer<Int16>.allocate(capacity: 2 * deviceCapacity)
    let playback8k = UnsafeMutablePointer<Int16>.allocate(capacity: pcmCapacity)
    let capture8k = UnsafeMutablePointer<Int16>.allocate(capacity: pcmCapacity)
    let pollScratch = UnsafeMutablePointer<pollfd>.allocate(capacity: LinePCM.maximumPollDescriptors)
    let captureRegistered = UnsafeMutablePointer<Bool>.allocate(capacity: LinePCM.maximumPollDescriptors)
    let playbackRegistered = UnsafeMutablePointer<Bool>.allocate(capacity: LinePCM.maximumPollDescriptors)
    let txOffset = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    let txLength = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    let txAddress = UnsafeMutablePointer<UInt8>.allocate(capacity: 28)
    let txAddressLength = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)

    init() {
        deviceIn.initialize(repeating: 0, count: LineBuffers.deviceCapacity)
        deviceOut.initialize(repeating: 0, count: LineBuffers.deviceCapacity)
        zeros.initialize(repeating: 0, count: 2 * LineBuffers.deviceCapacity)
        playback8k.initialize(repeating: 0, count: LineBuffers.pcmCapacity)
        capture8k.initialize(repeating: 0, count: LineBuffers.pcmCapacity)
        pollScratch.initialize(repeating: pollfd(fd: -1, events: 0, revents: 0), count: LinePCM.maximumPollDescriptors)
        captureRegistered.initialize(repeating: false, count: LinePCM.maximumPollDescriptors)
        playbackRegistered.initialize(repeating: false, count: LinePCM.maximumPollDescriptors)
        txOffset.initialize(to: 0)
        txLength.initialize(to: 0)
        txAddress.initialize(repeating: 0, count: 28)
        txAddressLength.initialize(to: 0)
    }

    func deallocate() {
        deviceIn.deallocate(); deviceOut.deallocate(); zeros.deallocate()
        playback8k.deallocate(); capture8k.deallocate(); pollScratch.deallocate()
        captureRegistered.deallocate(); playbackRegistered.deallocate()
        txOffset.deallocate(); txLength.deallocate(); txAddress.deallocate(); txAddressLength.deallocate()
    }
}

extension MediaRealtimeLoop {
    static let lineTimerToken: UInt64 = 1 << 62 | 2
    static let lineCaptureToken: UInt64 = 1 << 62 | 16
    static let linePlaybackToken: UInt64 = 1 << 62 | 32

    // MARK: commands

    func lineClock(periodSamples: Int, periodNs: UInt64) {
        line.periodSamples = min(periodSamples, LineBuffers.pcmCapacity)
        _ = tb_timerfd_set(lineTimerFD, periodNs)
    }

    func lineAttach(_ spec: LineDeviceSpec) {
        if line.device != nil { lineUnregister() }
        line.device = spec
        line.deviceFrames = min(Int(spec.format.periodFrames), LineBuffers.deviceCapacity)
        line.captureDue = 0
        line.captureOffset = 0
        line.playbackPending = false
        line.playbackOffset = 0
        line.captureArmed = false
        line.playbackArmed = false
        line.faultPending = nil
        for i in 0..<spec.capturePollCount {
            lineBuffers.captureRegistered[i] = tb_epoll_add_events(epollFD, spec.capturePoll[i].fd, MediaRealtimeLoop.lineCaptureToken + UInt64(i), 0) == 0
        }
        for i in 0..<spec.playbackPollCount {
            lineBuffers.playbackRegistered[i] = tb_epoll_add_events(epollFD, spec.playbackPoll[i].fd, MediaRealtimeLoop.linePlaybackToken + UInt64(i), 0) == 0
        }
        shared.line.up.store(true, ordering: .relaxed)
        // Playback starts once the prefill is written (its start threshold); capture starts now.
        guard linePrefill() else { return }
        let rc = snd_pcm_start(spec.capture)
        if rc < 0 && rc != -EBADFD {
            lineFault(LineAudioFault(stage: .capture, code: -rc))
            return
        }
        _ = emit(.lineAudioUp(spec.format))
    }

    func lineDetach() {
        lineUnregister()
        if !emit(.lineAudioReleased) { line.releasedPending = true }
    }

    // Forgets the device (the control side closes it): its descriptors leave the epoll set.
    func lineUnregister() {
        guard let spec = line.device else { return }
        for i in 0..<spec.capturePollCount where lineBuffers.captureRegistered[i] {
            _ = tb_epoll_del(epollFD, spec.capturePoll[i].fd)
            lineBuffers.captureRegistered[i] = false
        }
        for i in 0..<spec.playbackPollCount where lineBuffers.playbackRegistered[i] {
            _ = tb_epoll_del(epollFD, spec.playbackPoll[i].fd)
            lineBuffers.playbackRegistered[i] = false
        }
        line.device = nil
        line.playbackPending = false
        line.captureDue = 0
        shared.line.up.store(false, ordering: .relaxed)
    }

    func lineFault(_ fault: LineAudioFault) {
        lineUnregister()
        if !emit(.lineAudioDown(fault)) { line.faultPending = fault }
    }

    // MARK: the clock

    func lineTimer(_ now: UInt64) {
        let expirations = tb_timerfd_drain(lineTimerFD)
        guard line.periodSamples > 0, expirations > 0 else { return }
        shared.line.clockPeriods.wrappingIncrement(by: expirations, ordering: .relaxed)
        var moves = expirations
        if moves > 4 {
            shared.line.clockOverruns.wrappingIncrement(by: moves - 4, ordering: .relaxed)
            moves = 4
        }
        if let fault = line.faultPending, emit(.lineAudioDown(fault)) { line.faultPending = nil }
        if line.releasedPending, emit(.lineAudioReleased) { line.releasedPending = false }
        var k: UInt64 = 0
        while k < moves {
            linePeriod(now)
            k += 1
        }
        if line.sessionSlot >= 0, let ls = sessions[line.sessionSlot].line {
            shared.line.store(ls.pointee.jitter.stats)
        }
    }

    // One period: one toward playback, one from capture.
    func linePeriod(_ now: UInt64) {
        let n = line.periodSamples
        linePlayout(lineBuffers.playback8k, count: n)
        lineDSPPlayback(lineBuffers.playback8k, count: n)
        if let spec = line.device {
            if line.playbackPending { shared.line.playbackLate.wrappingIncrement(ordering: .relaxed) }
            if spec.format.rate == 8000 {
                lineBuffers.deviceOut.update(from: lineBuffers.playback8k, count: n)
            } else if let adapter = spec.adapter {
                let w = Int(adapter.toDevice(adapter.context, lineBuffers.playback8k, Int32(n), lineBuffers.deviceOut, Int32(line.deviceFrames)))
                if w < line.deviceFrames { (lineBuffers.deviceOut + max(0, w)).update(repeating: 0, count: line.deviceFrames - max(0, w)) }
            }
            line.playbackPending = true
            line.playbackOffset = 0
            lineWrite(now)
        }
        if line.device != nil {
            if line.captureDue >= 2 {
                shared.line.captureLate.wrappingIncrement(ordering: .relaxed)
            } else {
                line.captureDue += 1
            }
            lineRead(now)
        } else {
            lineBuffers.capture8k.update(repeating: 0, count: n)
            lineCaptured(lineBuffers.capture8k, now: now)
        }
        shared.line.periodsMoved.wrappingIncrement(ordering: .relaxed)
    }

    // MARK: the device

    func linePrefill() -> Bool {
        guard let spec = line.device else { return false }
        var left = spec.prefillFrames
        var tries = 0
        while left > 0 && tries < 4 {
            tries += 1
            let r = snd_pcm_writei(spec.playback, lineBuffers.zeros, snd_pcm_uframes_t(left))
            if r > 0 {
                left -= r
            } else if r == -Int(EAGAIN) || r == 0 {
                break
            } else if r == -Int(EPIPE) || r == -Int(ESTRPIPE) {
                if snd_pcm_recover(spec.playback, Int32(r), 1) < 0 { lineFault(LineAudioFault(stage: .playback, code: Int32(-r))); return false }
            } else {
                lineFault(LineAudioFault(stage: .playback, code: Int32(-r)))
                return false
            }
        }
        if !line.firstWriteDone {
            line.firstWriteDone = true
            shared.line.firstWriteNs.store(tb_monotonic_ns(), ordering: .relaxed)
        }
        return true
    }

    func lineWrite(_ now: UInt64) {
        var tries = 0
        while line.playbackPending && tries < 4, let spec = line.device {
            tries += 1
            let r = snd_pcm_writei(spec.playback, lineBuffers.deviceOut + line.playbackOffset,
                                   snd_pcm_uframes_t(line.deviceFrames - line.playbackOffset))
            if r > 0 {
                line.playbackOffset += r
                if line.playbackOffset >= line.deviceFrames {
                    line.playbackPending = false
                    shared.line.periodsWritten.wrappingIncrement(ordering: .relaxed)
                } else {
                    // The device buffer is full: the rest when it has room.
                    lineArm(playback: true)
                    return
                }
            } else if r == 0 || r == -Int(EAGAIN) {
                lineArm(playback: true)
                return
            } else if r == -Int(EPIPE) || r == -Int(ESTRPIPE) {
                shared.line.playbackXruns.wrappingIncrement(ordering: .relaxed)
                guard snd_pcm_recover(spec.playback, Int32(r), 1) >= 0 else {
                    lineFault(LineAudioFault(stage: .playback, code: Int32(-r)))
                    return
                }
                guard linePrefill() else { return }
            } else {
                lineFault(LineAudioFault(stage: .playback, code: Int32(-r)))
                return
            }
        }
    }

    func lineRead(_ now: UInt64) {
        var tries = 0
        while line.captureDue > 0 && tries < 4, let spec = line.device {
            tries += 1
            let r = snd_pcm_readi(spec.capture, lineBuffers.deviceIn + line.captureOffset,
                                  snd_pcm_uframes_t(line.deviceFrames - line.captureOffset))
            if r > 0 {
                line.captureOffset += r
                guard line.captureOffset >= line.deviceFrames else { continue }
                line.captureOffset = 0
                line.captureDue -= 1
                shared.line.periodsRead.wrappingIncrement(ordering: .relaxed)
                let n = line.periodSamples
                if spec.format.rate == 8000 {
                    lineBuffers.capture8k.update(from: lineBuffers.deviceIn, count: n)
                } else if let adapter = spec.adapter {
                    let w = Int(adapter.fromDevice(adapter.context, lineBuffers.deviceIn, Int32(line.deviceFrames), lineBuffers.capture8k, Int32(n)))
                    if w < n { (lineBuffers.capture8k + max(0, w)).update(repeating: 0, count: n - max(0, w)) }
                }
                lineCaptured(lineBuffers.capture8k, now: now)
            } else if r == 0 || r == -Int(EAGAIN) {
                lineArm(playback: false)
                return
            } else if r == -Int(EPIPE) || r == -Int(ESTRPIPE) {
                shared.line.captureXruns.wrappingIncrement(ordering: .relaxed)
                line.captureOffset = 0
                guard snd_pcm_recover(spec.capture, Int32(r), 1) >= 0 else {
                    lineFault(LineAudioFault(stage: .capture, code: Int32(-r)))
                    return
                }
                _ = snd_pcm_start(spec.capture)
            } else {
                lineFault(LineAudioFault(stage: .capture, code: Int32(-r)))
                return
            }
        }
    }

    // Arms the direction's poll descriptors for one report.
    func lineArm(playback: Bool) {
        guard let spec = line.device else { return }
        if playback {
            guard !line.playbackArmed else { return }
            line.playbackArmed = true
            for i in 0..<spec.playbackPollCount where lineBuffers.playbackRegistered[i] {
                _ = tb_epoll_arm_oneshot(epollFD, spec.playbackPoll[i].fd, MediaRealtimeLoop.linePlaybackToken + UInt64(i), UInt32(spec.playbackPoll[i].events))
            }
        } else {
            guard !line.captureArmed else { return }
            line.captureArmed = true
            for i in 0..<spec.capturePollCount where lineBuffers.captureRegistered[i] {
                _ = tb_epoll_arm_oneshot(epollFD, spec.capturePoll[i].fd, MediaRealtimeLoop.lineCaptureToken + UInt64(i), UInt32(spec.capturePoll[i].events))
            }
        }
    }

    // A PCM poll descriptor reported (it was armed because a period was waiting on the device).
    func linePollReady(token: UInt64, mask: UInt32, now: UInt64) {
        guard let spec = line.device else { return }
        let playback = token >= MediaRealtimeLoop.linePlaybackToken
        let index = Int(token - (playback ? MediaRealtimeLoop.linePlaybackToken : MediaRealtimeLoop.lineCaptureToken))
        let fds = playback ? spec.playbackPoll : spec.capturePoll
        let count = playback ? spec.playbackPollCount : spec.capturePollCount
        guard index < count else { return }
        if playback { line.playbackArmed = false } else { line.captureArmed = false }
        for i in 0..<count {
            lineBuffers.pollScratch[i] = fds[i]
            lineBuffers.pollScratch[i].revents = i == index ? Int16(truncatingIfNeeded: mask) : 0
        }
        var revents: UInt16 = 0
        _ = snd_pcm_poll_descriptors_revents(playback ? spec.playback : spec.capture, lineBuffers.pollScratch, UInt32(count), &revents)
        if playback {
            if revents & UInt16(POLLOUT | POLLERR) != 0 { lineWrite(now) } else if line.playbackPending { lineArm(playback: true) }
        } else {
            if revents & UInt16(POLLIN | POLLERR) != 0 { lineRead(now) } else if line.captureDue > 0 { lineArm(playback: false) }
        }
    }

    // MARK: toward the line: jitter buffer, decode, conceal

    func linePlayout(_ out: UnsafeMutablePointer<Int16>, count: Int) {
        guard line.sessionSlot >= 0, let s = sessions[line.sessionSlot].line else {
            out.update(repeating: 0, count: count)
            return
        }
        var guardCount = 0
        while s.pointee.fifoCount < count && guardCount < 64 {
            guardCount += 1
            let room = s.pointee.fifoCapacity - s.pointee.fifoCount
            let dst = s.pointee.fifo + s.pointee.fifoCount
            switch s.pointee.jitter.next(upTo: count - s.pointee.fifoCount) {
            case .packet(let slot, let samples):
                guard samples <= room else { continue }
                let payload = s.pointee.jitter.payload(ofSlot: slot)
                let decoded = lineDecode(s, payload, into: dst, samples: samples)
                if s.pointee.codec != .g729 { s.pointee.concealer.good(dst, count: decoded) }
                s.pointee.fifoCount += decoded
            case .conceal(let k):
                let k = min(k, room)
                if s.pointee.codec == .g729, let decoder = s.pointee.decoder {
                    // bcg729's own concealment: a frame decoded with the erasure flag.
                    var done = 0
                    while done < k {
                        bcg729Decoder(decoder, nil, 0, 1, 0, 0, s.pointee.scratch)
                        let m = min(80, k - done)
                        (dst + done).update(from: s.pointee.scratch, count: m)
                        done += m
                    }
                } else {
                    s.pointee.concealer.conceal(into: dst, count: k)
                }
                s.pointee.fifoCount += k
            case .silence(let k):
                let k = min(k, room)
                dst.update(repeating: 0, count: k)
                s.pointee.concealer.silence()
                s.pointee.fifoCount += k
            }
        }
        let n = min(count, s.pointee.fifoCount)
        out.update(from: s.pointee.fifo, count: n)
        if n < count { (out + n).update(repeating: 0, count: count - n) }
        let rest = s.pointee.fifoCount - n
        if rest > 0 { s.pointee.fifo.update(from: s.pointee.fifo + n, count: rest) }
        s.pointee.fifoCount = rest
    }

    // Decodes one payload; returns the samples written (at most `samples`).
    func lineDecode(_ s: UnsafeMutablePointer<LineSessionState>, _ payload: UnsafeRawBufferPointer,
                    into out: UnsafeMutablePointer<Int16>, samples: Int) -> Int {
        guard let base = payload.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        switch s.pointee.codec {
        case .pcmu:
            let n = min(samples, payload.count)
            for i in 0..<n { out[i] = G711.ulawToLinear(base[i]) }
            return n
        case .pcma:
            let n = min(samples, payload.count)
            for i in 0..<n { out[i] = G711.alawToLinear(base[i]) }
            return n
        case .g729:
            guard let decoder = s.pointee.decoder else { return 0 }
            let voice = payload.count / MediaRealtimeLoop.g729FrameBytes
            let sid = payload.count % MediaRealtimeLoop.g729FrameBytes == MediaRealtimeLoop.g729SIDBytes
            var frame = 0
            while frame < voice && (frame + 1) * 80 <= samples {
                bcg729Decoder(decoder, base + frame * 10, 10, 0, 0, 0, out + frame * 80)
                frame += 1
            }
            if sid && (frame + 1) * 80 <= samples {
                bcg729Decoder(decoder, base + voice * 10, 2, 0, 1, 0, out + frame * 80)
                frame += 1
            }
            return frame * 80
        }
    }

    // RTP received on a line session's RTP leg: its audio goes into the jitter buffer.
    @inline(__always)
    func lineReceive(_ s: UnsafeMutablePointer<LineSessionState>, packet: UnsafeMutableRawPointer, header: RTPHeader,
                     arrival: UInt32, leg: UnsafeMutablePointer<MediaLegState>) {
        guard header.payloadType == s.pointee.payloadType, header.payloadLength > 0 else {
            if header.payloadType != leg.pointee.telephoneEventPayloadType {
                leg.pointee.counters.dropped &+= 1
            } else if let e = TelephoneEvent.parse(UnsafeRawBufferPointer(start: packet + header.headerLength, count: header.payloadLength)) {
                // Played on the line as DTMF.
                line.dsp?.takeUnretainedValue().rtpEvent(e, timestamp: header.timestamp)
            }
            return
        }
        let samples: Int
        switch s.pointee.codec {
        case .pcmu, .pcma:
            samples = header.payloadLength
        case .g729:
            let rest = header.payloadLength % MediaRealtimeLoop.g729FrameBytes
            guard rest == 0 || rest == MediaRealtimeLoop.g729SIDBytes else {
                leg.pointee.counters.dropped &+= 1
                return
            }
            samples = (header.payloadLength / MediaRealtimeLoop.g729FrameBytes + (rest == 0 ? 0 : 1)) * 80
        }
        let payload = UnsafeRawBufferPointer(start: packet + header.headerLength, count: header.payloadLength)
        s.pointee.jitter.insert(timestamp: header.timestamp, marker: header.marker, samples: samples, payload: payload, arrival: arrival)
    }

    // MARK: from the line: encode and send

    func lineCaptured(_ pcm: UnsafeMutablePointer<Int16>, now: UInt64) {
        lineDSPCapture(pcm, now: now)
        guard line.sessionSlot >= 0, let s = sessions[line.sessionSlot].line else { return }
        let slot = line.sessionSlot
        let lineLeg = legs + (slot * 2 + 1)
        if lineLeg.pointee.firstReceiveNs == 0 { lineLeg.pointee.firstReceiveNs = now }
        lineLeg.pointee.lastReceiveNs = now
        let n = line.periodSamples
        let payload = (s.pointee.packet + 12).assumingMemoryBound(to: UInt8.self)
        let at = s.pointee.filledSamples
        switch s.pointee.codec {
        case .pcmu:
            for i in 0..<n { payload[at + i] = G711.linearToUlaw(pcm[i]) }
        case .pcma:
            for i in 0..<n { payload[at + i] = G711.linearToAlaw(pcm[i]) }
        case .g729:
            guard let encoder = s.pointee.encoder else { return }
            var frame = 0
            while frame < n / 80 {
                var written: UInt8 = 0
                bcg729Encoder(encoder, pcm + frame * 80, payload + (at + frame * 80) / 8, &written)
                frame += 1
            }
        }
        s.pointee.filledSamples += n
        if s.pointee.filledSamples >= s.pointee.packetSamples {
            lineSend(slot, s, now: now)
        }
    }

    func lineSend(_ slot: Int, _ s: UnsafeMutablePointer<LineSessionState>, now: UInt64) {
        let leg = legs + slot * 2
        let bytes = s.pointee.packet.assumingMemoryBound(to: UInt8.self)
        // Audio is held back while the leg sends an RFC 4733 event (a digit heard on the line), and
        // continues the sequence numbers after the event's packets.
        if leg.pointee.dtmfOut != nil {
            s.pointee.timestamp &+= UInt32(s.pointee.filledSamples)
            s.pointee.filledSamples = 0
            return
        }
        if leg.pointee.outgoing.started { s.pointee.sequence = leg.pointee.outgoing.sequence &+ 1 }
        let seq = s.pointee.sequence
        let ts = s.pointee.timestamp
        let ssrc = s.pointee.ssrc
        bytes[0] = 0x80
        bytes[1] = (s.pointee.firstPacket ? 0x80 : 0) | s.pointee.payloadType
        bytes[2] = UInt8(seq >> 8); bytes[3] = UInt8(seq & 0xFF)
        bytes[4] = UInt8(ts >> 24); bytes[5] = UInt8(ts >> 16 & 0xFF); bytes[6] = UInt8(ts >> 8 & 0xFF); bytes[7] = UInt8(ts & 0xFF)
        bytes[8] = UInt8(ssrc >> 24); bytes[9] = UInt8(ssrc >> 16 & 0xFF); bytes[10] = UInt8(ssrc >> 8 & 0xFF); bytes[11] = UInt8(ssrc & 0xFF)
        let samples = s.pointee.filledSamples
        var length = 12 + (s.pointee.codec == .g729 ? samples / 8 : samples)
        s.pointee.filledSamples = 0
        s.pointee.firstPacket = false
        s.pointee.sequence &+= 1
        s.pointee.timestamp &+= UInt32(samples)
        if leg.pointee.secure && leg.pointee.srtpSend == nil {
            leg.pointee.counters.dropped &+= 1
            return
        }
        guard let destination = leg.pointee.latchedRTP ?? leg.pointee.remote else {
            leg.pointee.counters.dropped &+= 1
            return
        }
        if let ctx = leg.pointee.srtpSend {
            var len = Int32(length)
            guard srtp_protect(ctx, s.pointee.packet, &len).rawValue == 0 else {
                leg.pointee.counters.dropped &+= 1
                return
            }
            length = Int(len)
        }
        lineBuffers.txOffset.pointee = 0
        lineBuffers.txLength.pointee = UInt32(length)
        lineBuffers.txAddressLength.pointee = destination.write(sockaddr: lineBuffers.txAddress)
        let r = tb_send_batch(leg.pointee.rtpFD, 1, bytes, lineBuffers.txOffset, lineBuffers.txLength,
                              lineBuffers.txAddress, lineBuffers.txAddressLength)
        if r == 1 {
            leg.pointee.counters.packetsSent &+= 1
            leg.pointee.counters.bytesSent &+= UInt64(length)
            shared.line.packetsSent.wrappingIncrement(ordering: .relaxed)
        } else {
            leg.pointee.counters.sendFailures &+= 1
        }
        leg.pointee.outgoing.ssrc = ssrc
        leg.pointee.outgoing.sequence = seq
        leg.pointee.outgoing.timestamp = ts
        leg.pointee.outgoing.sentNs = now
        leg.pointee.outgoing.started = true
        leg.pointee.outgoing.packets &+= 1
        leg.pointee.outgoing.payloadOctets &+= UInt32(truncatingIfNeeded: s.pointee.codec == .g729 ? samples / 8 : samples)
    }
}
