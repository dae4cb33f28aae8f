// MediaEngine+Line: the control side of the analog line's audio: open and retry the device, line sessions, the line's status.
import CShim
import Glibc

// The control side's view of the line (control thread only).
struct LineControl {
    var configuration: LineAudioConfiguration?
    // The open device, handed to the media thread (closed after the thread lets go).
    var pcm: LinePCM?
    // The engine's speexdsp adapter of a card not at 8 kHz (freed with the device, after the thread let go).
    var resampler: LineResampler?
    var format: LineAudioFormat?
    var fault: LineAudioFault?
    var downSinceNs: UInt64 = 0
    var clockStarted = false
    // Events the control side raises itself (an open that failed), delivered first by `pollEvents`.
    var events: [MediaEvent] = []
    // The telephony DSP stages (MediaEngine+LineDSP).
    var dsp = LineDSPControl()
}

extension MediaEngine {
    /// Configures the analog line and tries to open its sound card now. On success `lineAudioUp`
    /// follows from the media thread; on failure a `lineAudioDown` event ("line audio down: <device>:
    /// <reason>") is delivered by `pollEvents` and `maintainLine` retries every `retryMilliseconds`.
    /// Either way the line's period clock starts: a line session moves audio (silence while down).
    /// Throws `invalidConfiguration` or `commandQueueFull` (nothing changed), or `wrongState` when a
    /// line is already configured.
    public func openLine(_ configuration: LineAudioConfiguration) throws(MediaEngineError) {
        try configuration.validate()
        try configuration.dsp?.validate()
        guard lineControl.configuration == nil, lineControl.pcm == nil else { throw .wrongState("the line is already open") }
        if !lineControl.clockStarted || lineControl.configuration?.periodMilliseconds != configuration.periodMilliseconds {
            guard push(.lineClock(periodSamples: configuration.periodMilliseconds * 8,
                                  periodNs: UInt64(configuration.periodMilliseconds) * 1_000_000)) else { throw .commandQueueFull }
            lineControl.clockStarted = true
        }
        try attachLineDSP(configuration)
        lineControl.configuration = configuration
        tb_alsa_silence_errors()
        tryOpenLine()
    }

    /// Retries a line whose device is down, once its retry interval has passed. Call it periodically
    /// from the control side (e.g. once a second); it does nothing while the line is up.
    public func maintainLine() {
        guard let configuration = lineControl.configuration, lineControl.pcm == nil else { return }
        if tb_monotonic_ns() &- lineControl.downSinceNs >= UInt64(configuration.retryMilliseconds) * 1_000_000 {
            tryOpenLine()
        }
    }

    /// Stops using the line's device: the media thread lets go of it (`lineAudioReleased`) and the
    /// engine closes it; the line clock stops and retries end.
    public func closeLine() {
        lineControl.configuration = nil
        detachLineDSP()
        if lineControl.pcm != nil { _ = push(.lineDetach) }
        if lineControl.clockStarted, push(.lineClock(periodSamples: 0, periodNs: 0)) { lineControl.clockStarted = false }
    }

    /// Queues a session bridging `rtp` with the line: RTP received there goes through the line's
    /// jitter buffer, is decoded and played on the line; the line's capture is encoded and sent out of
    /// `rtp` as the line's own stream (`line.ssrc`, sequence and timestamp). One line session at a time
    /// (`commandFailed(.lineBusy)` otherwise). The line must have been opened (`openLine`), though its
    /// device may be down. `sessionCreated` follows.
    public func createLineSession(rtp: MediaLegConfiguration, line: LineLegConfiguration) throws(MediaEngineError) -> MediaSessionID {
        guard let lineConfiguration = lineControl.configuration else { throw .wrongState("no line: call openLine first") }
        try line.validate(periodMilliseconds: lineConfiguration.periodMilliseconds)
        guard rtp.transcode == nil else { throw .invalidConfiguration("a line session decodes itself: no transcode on its RTP leg") }
        guard let slot = freeSlots.last else { throw .noFreeSession }
        let id = MediaSessionID(slot: slot, generation: generations[Int(slot)])
        let (spec, owned) = try prepare(rtp)
        let session = try LineSession(line)
        guard push(.createLine(id, spec, session.state)) else { throw .commandQueueFull }
        freeSlots.removeLast()
        generations[Int(slot)] &+= 1
        live.insert(slot)
        current[slot] = (owned, [session])
        return id
    }

    /// The line's audio: device, up or down with the reason, format, period and xrun counters, and the
    /// line session's jitter buffer.
    public var lineStatus: LineAudioStatus {
        let l = shared.line
        return LineAudioStatus(
            device: lineControl.configuration?.device,
            up: lineControl.pcm != nil && l.up.load(ordering: .relaxed),
            lastError: lineControl.fault.flatMap { f in lineControl.configuration.map { f.message(device: $0.device) } },
            format: lineControl.format,
            clockPeriods: l.clockPeriods.load(ordering: .relaxed),
            periodsMoved: l.periodsMoved.load(ordering: .relaxed),
            periodsWritten: l.periodsWritten.load(ordering: .relaxed),
            periodsRead: l.periodsRead.load(ordering: .relaxed),
            captureXruns: l.captureXruns.load(ordering: .relaxed),
            playbackXruns: l.playbackXruns.load(ordering: .relaxed),
            playbackLate: l.playbackLate.load(ordering: .relaxed),
            captureLate: l.captureLate.load(ordering: .relaxed),
            clockOverruns: l.clockOverruns.load(ordering: .relaxed),
            packetsSent: l.packetsSent.load(ordering: .relaxed),
            jitter: l.jitterStats,
            firstWriteNs: l.firstWriteNs.load(ordering: .relaxed),
            dsp: currentLineDSP?.status,
            requestedRate: lineControl.configuration?.rate,
            resampling: lineControl.resamplingNow,
            resampler: lineControl.resampler.map { LineResamplerStatus(quality: $0.quality, delayMilliseconds: $0.delayMilliseconds) })
    }

    /// "line audio down: <device>: <reason>" for a fault of the configured line.
    public func lineAudioMessage(_ fault: LineAudioFault) -> String {
        fault.message(device: lineControl.configuration?.device ?? "(no line)")
    }

    // MARK: internals

    func tryOpenLine() {
        guard let configuration = lineControl.configuration else { return }
        do throws(LineAudioFault) {
            let pcm = try LinePCM(configuration)
            // A card not at 8 kHz (asked for, or the rate it gave instead): the owner's adapter, else speexdsp.
            var adapter: LineRateAdapter?
            var resampler: LineResampler?
            if pcm.format.rate != 8000 {
                if let owned = configuration.rateAdapter {
                    adapter = owned
                } else {
                    do {
                        let r = try LineResampler(cardRate: Int(pcm.format.rate), periodMilliseconds: configuration.periodMilliseconds,
                                                  quality: configuration.resampleQuality)
                        resampler = r
                        adapter = r.adapter
                    } catch {
                        pcm.close()
                        throw LineAudioFault(stage: .open, code: EINVAL)
                    }
                }
            }
            guard push(.lineAttach(pcm.spec(adapter: adapter))) else {
                pcm.close()
                lineControl.downSinceNs = tb_monotonic_ns()
                return
            }
            lineControl.pcm = pcm
            lineControl.resampler = resampler
            lineControl.format = pcm.format
        } catch {
            lineControl.fault = error
            lineControl.downSinceNs = tb_monotonic_ns()
            lineControl.events.append(.lineAudioDown(error))
        }
    }

    // The media thread's line events, seen by `pollEvents` before the caller.
    func lineEvent(_ event: MediaEvent) {
        switch event {
        case .lineAudioUp(let format):
            lineControl.fault = nil
            lineControl.format = format
        case .lineAudioDown(let fault):
            // The thread no longer touches the device (nor its rate adapter).
            lineControl.pcm?.close()
            lineControl.pcm = nil
            lineControl.resampler = nil
            lineControl.fault = fault
            lineControl.downSinceNs = tb_monotonic_ns()
        case .lineAudioReleased:
            lineControl.pcm?.close()
            lineControl.pcm = nil
            lineControl.resampler = nil
        default:
            break
        }
    }
}

extension LineControl {
    // The device is open at a rate other than 8 kHz, with an adapter (the engine's or the owner's).
    var resamplingNow: Bool {
        guard pcm != nil, let format, format.rate != 8000 else { return false }
        return resampler != nil || configuration?.rateAdapter != nil
    }
}
