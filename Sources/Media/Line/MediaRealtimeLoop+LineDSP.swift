// MediaRealtimeLoop+LineDSP: the line's telephony DSP on the media thread: DTMF played and heard, call progress, caller ID, echo cancelling, per line period.
//
// REALTIME FILE. In steady state the code here does no allocation, takes no lock, does no logging and
// never awaits (see MediaRealtimeLoop.swift; LineDSPEngineTests proves it with every stage active).
//
// Per period: the playback period (jitter buffer) goes through `lineDSPPlayback` (DTMF replaces it while
// a tone sounds; the result is kept as the echo canceller's reference), then the captured period goes
// through `lineDSPCapture` before it is encoded: echo cancelled while a line session is up, then the
// caller-ID receiver (when listening), the call-progress detector (when detecting) and the DTMF detector
// see the cancelled audio.
import CShim
import LineDSP
import MediaCore

extension MediaRealtimeLoop {
    func lineDSPAttach(_ stage: Unmanaged<LineDSPStage>?, number: UInt64) {
        line.dsp = stage
        shared.line.dspApplied.store(number, ordering: .releasing)
    }

    func lineDSPQueueDigit(_ event: UInt8, toneSamples: Int, gapSamples: Int) {
        guard let dsp = line.dsp?.takeUnretainedValue() else { return }
        _ = dsp.queueDigit(event: event, toneSamples: toneSamples, gapSamples: gapSamples)
    }

    func lineDSPPlayback(_ out: UnsafeMutablePointer<Int16>, count n: Int) {
        guard let dsp = line.dsp?.takeUnretainedValue() else { return }
        let t0 = tb_monotonic_ns()
        let finished = dsp.playback(out, count: n)
        if finished != 0 { _ = emit(.lineDigitSent(digit: finished)) }
        dsp.account(tb_monotonic_ns() &- t0, endOfPeriod: false)
    }

    func lineDSPCapture(_ pcm: UnsafeMutablePointer<Int16>, now: UInt64) {
        guard let dsp = line.dsp?.takeUnretainedValue() else { return }
        let n = line.periodSamples
        guard line.device != nil else {
            // Silence while the device is down: nothing to hear; keep the reference pairing.
            dsp.capturedPeriods = dsp.playedPeriods
            return
        }
        let t0 = tb_monotonic_ns()
        let session = line.sessionSlot >= 0 && sessions[line.sessionSlot].line != nil
        let r = dsp.capture(pcm, count: n, cancelEcho: session)
        if let tone = r.progress { _ = emit(.lineCallProgress(tone)) }
        if let message = r.callerID { _ = emit(.lineCallerID(message)) }
        if session && r.digitStarted != 0, let event = DTMFEvent.rfc4733Event(forDigit: r.digitStarted) {
            lineDigitStarted(event, now: now)
        }
        if r.digitEnded != 0 {
            if session, let event = DTMFEvent.rfc4733Event(forDigit: r.digitEnded) { lineDigitEnded(event, now: now) }
            _ = emit(.lineDigit(digit: r.digitEnded, durationMs: r.digitEndedMs))
        }
        dsp.account(tb_monotonic_ns() &- t0, endOfPeriod: true)
    }

    // A digit heard on the line starts: an RFC 4733 event out of the line session's RTP leg, inside the
    // stream the line sends (the engine's own sender; audio is held back while it plays). Its length is
    // open (at most 8 s) until the digit ends.
    func lineDigitStarted(_ event: UInt8, now: UInt64) {
        let slot = line.sessionSlot
        let leg = legs + slot * 2
        guard leg.pointee.outgoing.started, leg.pointee.dtmfOut == nil else { return }
        let pt = leg.pointee.telephoneEventPayloadType < 128 ? leg.pointee.telephoneEventPayloadType : 101
        startDTMF(sessions[slot].id, .a, MediaDTMFRequest(event: event, durationSamples: 8 * 8000, volume: 10, payloadType: pt, openEnded: true))
    }

    // The digit ended: the event's duration is fixed now and its end packets follow (at least 40 ms in all).
    // The end never reports less than a packet before it did (a duration that went down again would
    // contradict what was already sent); the packets before it report only what has sounded so far.
    func lineDigitEnded(_ event: UInt8, now: UInt64) {
        let slot = line.sessionSlot
        let leg = legs + slot * 2
        guard var sender = leg.pointee.dtmfOut, sender.request.event == event else { return }
        let elapsed = UInt64(sender.clockRate) * (now &- sender.startNs) / 1_000_000_000
        sender.request.durationSamples = UInt32(max(elapsed, UInt64(sender.clockRate) / 25, UInt64(sender.reportedSamples)))
        leg.pointee.dtmfOut = sender
        sendDTMFPacket(sessions[slot].id, .a, leg, now: now)
    }
}
