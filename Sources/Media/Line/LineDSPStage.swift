// LineDSPStage: the line's telephony DSP objects and buffers (made on the control side at openLine) and what the media thread does with them each period.
//
// REALTIME FILE (the methods below `init`). In steady state they do no allocation, take no lock, do no
// logging and never await; every buffer and every LineDSP object is made in `init` on the control side.
// Tests/MediaTests/LineDSPEngineTests proves it with all stages active.
import Atomics
import CShim
import LineDSP
import MediaCore

// Figures the media thread keeps for the status (relaxed atomics).
final class LineDSPShared: Sendable {
    static let none = UInt64.max
    let callerIDListening = ManagedAtomic<Bool>(false)
    let progressDetecting = ManagedAtomic<Bool>(false)
    // CallProgressTone's index in allCases + 1, 0 for none.
    let lastProgress = ManagedAtomic<UInt8>(0)
    // Double bit patterns; `none` for nil.
    let erle = ManagedAtomic<UInt64>(LineDSPShared.none)
    let erleAverage = ManagedAtomic<UInt64>(LineDSPShared.none)
    let digitsDetected = ManagedAtomic<UInt64>(0)
    let digitsPlayed = ManagedAtomic<UInt64>(0)
    let callerIDReports = ManagedAtomic<UInt64>(0)
    let callerIDDropped = ManagedAtomic<UInt64>(0)
    let busyNs = ManagedAtomic<UInt64>(0)
    let maxNs = ManagedAtomic<UInt64>(0)
    let periods = ManagedAtomic<UInt64>(0)
    // Caller-ID slots: the thread fills slot (produced % count) and then publishes produced + 1; the
    // control side publishes consumed once it has decoded a slot.
    let callerIDProduced = ManagedAtomic<UInt64>(0)
    let callerIDConsumed = ManagedAtomic<UInt64>(0)
}

// One DSP stage per opened line. The control side keeps it alive until the media thread has let go
// of it (MediaEngine+LineDSP); the thread reaches it through an unmanaged reference.
final class LineDSPStage: @unchecked Sendable {
    static let callerIDSlots = 4
    static let callerIDSlotBytes = 256
    static let referencePeriods = 8
    static let digitQueueCapacity = 64
    // No RFC 4733 packet for this long ends the tone (a lost end packet must not hold it).
    static let rtpEventTimeoutSamples = 2400

    let generation: UInt32
    let configuration: LineDSPConfiguration
    let periodSamples: Int
    let shared = LineDSPShared()

    let dtmfDetector: DTMFDetector
    let dtmfGenerator: DTMFGenerator
    let progress: CallProgressDetector
    let callerID: CallerIDReceiver
    let echo: EchoCanceller

    // What went to the line, per period (the echo canceller's far-end reference), indexed by period count.
    let reference: UnsafeMutablePointer<Int16>
    var playedPeriods: UInt64 = 0
    var capturedPeriods: UInt64 = 0
    let toneScratch: UnsafeMutablePointer<Int16>
    // Caller-ID octets, `callerIDSlots` slots of `callerIDSlotBytes`.
    let callerIDBytes: UnsafeMutablePointer<UInt8>
    let callerIDLengths: UnsafeMutablePointer<Int>
    var callerIDSequence: UInt32 = 0

    // Digits queued by `sendLineDigit` (RFC 4733 event code, tone samples, gap samples).
    let digitEvents: UnsafeMutablePointer<UInt8>
    let digitTone: UnsafeMutablePointer<Int>
    let digitGap: UnsafeMutablePointer<Int>
    var digitHead = 0
    var digitCount = 0
    var dialEvent: UInt8 = 0
    var dialToneLeft = 0
    var dialGapLeft = 0
    var dialling = false

    // An RFC 4733 event from the line session's RTP leg being played.
    var rtpPlaying = false
    var rtpTimestamp: UInt32 = 0
    var rtpEndedTimestamp: UInt32 = 0
    var rtpEndedValid = false
    var rtpSilentSamples = 0
    // Samples of the event played so far, and where it stops once its end packet came (its duration).
    var rtpPlayedSamples = 0
    var rtpStopAt = Int.max

    // Switches (commands) and what the detectors last said.
    var listening = false
    var detecting = false
    var lastTone: CallProgressTone?
    // Samples since the box last played DTMF on the line: digits heard sooner are its own echo.
    var sinceToneSamples = Int.max / 2
    var heardDigit: UInt8 = 0
    var heardSent = false
    var periodNs: UInt64 = 0

    init(_ configuration: LineDSPConfiguration, periodSamples: Int, generation: UInt32) throws(MediaEngineError) {
        try configuration.validate()
        guard let detector = DTMFDetector(options: DTMFDetector.Options()),
              let generator = DTMFGenerator(levelDBm0: configuration.dtmfLevelDBm0),
              let receiver = CallerIDReceiver(standard: configuration.callerID),
              let canceller = EchoCanceller(options: EchoCanceller.Options(tailMilliseconds: configuration.echoTailMilliseconds,
                                                                           periodSamples: periodSamples)) else {
            throw .invalidConfiguration("line DSP: spandsp or speexdsp could not allocate its state")
        }
        self.configuration = configuration
        self.periodSamples = periodSamples
        self.generation = generation
        dtmfDetector = detector
        dtmfGenerator = generator
        callerID = receiver
        echo = canceller
        progress = CallProgressDetector(configuration: CallProgressDetector.Configuration(tones: configuration.tones))
        reference = .allocate(capacity: Self.referencePeriods * periodSamples)
        reference.initialize(repeating: 0, count: Self.referencePeriods * periodSamples)
        toneScratch = .allocate(capacity: periodSamples)
        toneScratch.initialize(repeating: 0, count: periodSamples)
        callerIDBytes = .allocate(capacity: Self.callerIDSlots * Self.callerIDSlotBytes)
        callerIDBytes.initialize(repeating: 0, count: Self.callerIDSlots * Self.callerIDSlotBytes)
        callerIDLengths = .allocate(capacity: Self.callerIDSlots)
        callerIDLengths.initialize(repeating: 0, count: Self.callerIDSlots)
        digitEvents = .allocate(capacity: Self.digitQueueCapacity)
        digitEvents.initialize(repeating: 0, count: Self.digitQueueCapacity)
        digitTone = .allocate(capacity: Self.digitQueueCapacity)
        digitTone.initialize(repeating: 0, count: Self.digitQueueCapacity)
        digitGap = .allocate(capacity: Self.digitQueueCapacity)
        digitGap.initialize(repeating: 0, count: Self.digitQueueCapacity)
    }

    deinit {
        reference.deallocate(); toneScratch.deallocate()
        callerIDBytes.deallocate(); callerIDLengths.deallocate()
        digitEvents.deallocate(); digitTone.deallocate(); digitGap.deallocate()
    }

    // Control side: the octets of a caller-ID slot.
    func callerIDOctets(slot: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: callerIDBytes + slot * Self.callerIDSlotBytes, count: callerIDLengths[slot])
    }

    // MARK: media thread: toward the line

    // Queues a digit to dial; false when the queue is full.
    func queueDigit(event: UInt8, toneSamples: Int, gapSamples: Int) -> Bool {
        guard digitCount < Self.digitQueueCapacity else { return false }
        let i = (digitHead + digitCount) % Self.digitQueueCapacity
        digitEvents[i] = event
        digitTone[i] = toneSamples
        digitGap[i] = max(gapSamples, configuration.minimumDigitGapMilliseconds * 8)
        digitCount += 1
        return true
    }

    // An RFC 4733 packet from the line session's RTP leg.
    func rtpEvent(_ e: TelephoneEvent, timestamp: UInt32) {
        guard e.event <= 15 else { return }
        rtpSilentSamples = 0
        if rtpPlaying && timestamp == rtpTimestamp {
            // The tone lasts the event's duration (it started when the first packet arrived): at most
            // one more period once the end is known.
            if e.end && rtpStopAt == Int.max { rtpStopAt = min(max(Int(e.duration), rtpPlayedSamples), rtpPlayedSamples + periodSamples) }
            return
        }
        // An end retransmission of an event already ended, or an older event.
        if rtpEndedValid && (timestamp == rtpEndedTimestamp || Int32(bitPattern: timestamp &- rtpEndedTimestamp) < 0) { return }
        if e.end {
            // Only the end of an event whose start was lost: too late to play.
            rtpEndedTimestamp = timestamp
            rtpEndedValid = true
            return
        }
        if dialling { dtmfGenerator.stopEvent(); dialling = false; dialToneLeft = 0 }
        if dtmfGenerator.startEvent(e.event) {
            rtpPlaying = true
            rtpPlayedSamples = 0
            rtpStopAt = Int.max
            rtpTimestamp = timestamp
            shared.digitsPlayed.wrappingIncrement(ordering: .relaxed)
        }
    }

    // The period going to the line: DTMF replaces the audio while a tone sounds. Returns the digit
    // whose tone and gap completed in this period (ASCII), or 0.
    func playback(_ out: UnsafeMutablePointer<Int16>, count n: Int) -> UInt8 {
        var finished: UInt8 = 0
        var toned = false
        if rtpPlaying {
            let k = min(n, rtpStopAt - rtpPlayedSamples)
            if k > 0 { dtmfGenerator.render(into: UnsafeMutableBufferPointer(start: out, count: k)) }
            toned = true
            rtpPlayedSamples += max(k, 0)
            rtpSilentSamples += n
            if rtpPlayedSamples >= rtpStopAt || rtpSilentSamples >= Self.rtpEventTimeoutSamples {
                dtmfGenerator.stopEvent()
                rtpPlaying = false
                rtpEndedTimestamp = rtpTimestamp
                rtpEndedValid = true
            }
        } else {
            var at = 0
            while at < n {
                if dialToneLeft > 0 {
                    let k = min(dialToneLeft, n - at)
                    dtmfGenerator.render(into: UnsafeMutableBufferPointer(start: out + at, count: k))
                    toned = true
                    dialToneLeft -= k
                    at += k
                    if dialToneLeft == 0 { dtmfGenerator.stopEvent() }
                } else if dialGapLeft > 0 {
                    let k = min(dialGapLeft, n - at)
                    dialGapLeft -= k
                    at += k
                    if dialGapLeft == 0 {
                        dialling = false
                        finished = DTMFEvent.digit(forRFC4733Event: dialEvent) ?? 0
                    }
                } else if digitCount > 0 {
                    dialEvent = digitEvents[digitHead]
                    dialToneLeft = digitTone[digitHead]
                    dialGapLeft = digitGap[digitHead]
                    digitHead = (digitHead + 1) % Self.digitQueueCapacity
                    digitCount -= 1
                    dialling = dtmfGenerator.startEvent(dialEvent)
                    if !dialling { dialToneLeft = 0; dialGapLeft = 0 } else { shared.digitsPlayed.wrappingIncrement(ordering: .relaxed) }
                } else {
                    break
                }
            }
        }
        sinceToneSamples = toned ? 0 : sinceToneSamples + n
        // The far-end reference for the capture period with the same index.
        let slot = Int(playedPeriods % UInt64(Self.referencePeriods))
        if n == periodSamples { (reference + slot * periodSamples).update(from: out, count: n) }
        playedPeriods &+= 1
        return finished
    }

    // MARK: media thread: from the line

    // What a captured period brought for the loop to act on.
    struct CaptureResult {
        var progress: CallProgressTone?
        var callerID: LineCallerIDMessage?
        var digitStarted: UInt8 = 0
        var digitEnded: UInt8 = 0
        var digitEndedMs = 0
    }

    // One captured period, in place: echo cancelled while a line session is up (`cancelEcho`), then the
    // caller-ID receiver, the call-progress and the DTMF detectors see the result.
    func capture(_ pcm: UnsafeMutablePointer<Int16>, count n: Int, cancelEcho: Bool) -> CaptureResult {
        var result = CaptureResult()
        // Pair with the playback period of the same index; a capture that fell behind skips ahead.
        if playedPeriods > capturedPeriods + UInt64(Self.referencePeriods) - 2 { capturedPeriods = playedPeriods - 1 }
        let slot = Int(capturedPeriods % UInt64(Self.referencePeriods))
        capturedPeriods &+= 1
        if cancelEcho && n == periodSamples {
            echo.process(received: UnsafeMutableBufferPointer(start: pcm, count: n),
                         sent: UnsafeBufferPointer(start: reference + slot * periodSamples, count: n))
            shared.erle.store(echo.erleDB?.bitPattern ?? LineDSPShared.none, ordering: .relaxed)
            shared.erleAverage.store(echo.averageERLEDB?.bitPattern ?? LineDSPShared.none, ordering: .relaxed)
        }
        let samples = UnsafeBufferPointer(start: pcm, count: n)
        if listening, let event = callerID.process(samples) {
            callerIDSequence &+= 1
            var message = LineCallerIDMessage(sequence: callerIDSequence, checksumError: event == .checksumError, stage: generation, slot: -1)
            if event == .message {
                let produced = shared.callerIDProduced.load(ordering: .relaxed)
                if produced &- shared.callerIDConsumed.load(ordering: .acquiring) < UInt64(Self.callerIDSlots) {
                    let s = Int(produced % UInt64(Self.callerIDSlots))
                    callerIDLengths[s] = callerID.copyLastMessage(
                        into: UnsafeMutableBufferPointer(start: callerIDBytes + s * Self.callerIDSlotBytes, count: Self.callerIDSlotBytes))
                    message.slot = Int32(s)
                    shared.callerIDProduced.store(produced &+ 1, ordering: .releasing)
                } else {
                    shared.callerIDDropped.wrappingIncrement(ordering: .relaxed)
                }
            }
            if message.slot >= 0 || message.checksumError {
                shared.callerIDReports.wrappingIncrement(ordering: .relaxed)
                result.callerID = message
            }
        }
        if detecting, let tone = progress.process(samples), tone != .unclassified, tone != lastTone {
            lastTone = tone
            shared.lastProgress.store(Self.code(tone), ordering: .relaxed)
            result.progress = tone
        }
        let ownTone = dialling || rtpPlaying || sinceToneSamples < 800
        dtmfDetector.process(samples) { e in
            if e.kind == .start {
                // A digit that starts while the box itself plays DTMF is its own tone coming back.
                heardDigit = ownTone ? 0 : e.digit
                heardSent = heardDigit != 0
                if heardSent { result.digitStarted = e.digit }
            } else if heardSent && e.digit == heardDigit {
                heardSent = false
                result.digitEnded = e.digit
                result.digitEndedMs = e.durationSamples / 8
                shared.digitsDetected.wrappingIncrement(ordering: .relaxed)
            }
        }
        return result
    }

    // MARK: media thread: switches

    func setListening(_ on: Bool) {
        listening = on
        shared.callerIDListening.store(on, ordering: .relaxed)
    }

    func setDetecting(_ on: Bool) {
        if on && !detecting { progress.reset() }
        detecting = on
        lastTone = nil
        shared.progressDetecting.store(on, ordering: .relaxed)
        shared.lastProgress.store(0, ordering: .relaxed)
    }

    // A new call: forget the learnt echo path and start a new ERLE measurement.
    func resetEcho() {
        echo.flush()
        echo.resetMeasurement()
        shared.erle.store(LineDSPShared.none, ordering: .relaxed)
        shared.erleAverage.store(LineDSPShared.none, ordering: .relaxed)
    }

    // A tone as a number for an atomic (no array on the media thread).
    static func code(_ tone: CallProgressTone) -> UInt8 {
        switch tone {
        case .dialTone: 1
        case .ringback: 2
        case .busy: 3
        case .reorder: 4
        case .silence: 5
        case .unclassified: 6
        }
    }

    // Time spent in the DSP for one period.
    @inline(__always)
    func account(_ ns: UInt64, endOfPeriod: Bool) {
        periodNs &+= ns
        guard endOfPeriod else { return }
        shared.busyNs.wrappingIncrement(by: periodNs, ordering: .relaxed)
        shared.periods.wrappingIncrement(ordering: .relaxed)
        if periodNs > shared.maxNs.load(ordering: .relaxed) { shared.maxNs.store(periodNs, ordering: .relaxed) }
        periodNs = 0
    }

    // Control side.
    var status: LineDSPStatus {
        let s = shared
        func double(_ a: ManagedAtomic<UInt64>) -> Double? {
            let v = a.load(ordering: .relaxed)
            return v == LineDSPShared.none ? nil : Double(bitPattern: v)
        }
        let periods = s.periods.load(ordering: .relaxed)
        let tone = Int(s.lastProgress.load(ordering: .relaxed))
        return LineDSPStatus(
            callerIDListening: s.callerIDListening.load(ordering: .relaxed),
            callProgressDetecting: s.progressDetecting.load(ordering: .relaxed),
            lastCallProgress: CallProgressTone.allCases.first { Int(Self.code($0)) == tone && tone != 0 },
            echoERLEDB: double(s.erle), echoERLEAverageDB: double(s.erleAverage),
            digitsDetected: s.digitsDetected.load(ordering: .relaxed),
            digitsPlayed: s.digitsPlayed.load(ordering: .relaxed),
            callerIDReports: s.callerIDReports.load(ordering: .relaxed),
            callerIDDropped: s.callerIDDropped.load(ordering: .relaxed),
            meanMicrosecondsPerPeriod: periods == 0 ? 0 : Double(s.busyNs.load(ordering: .relaxed)) / Double(periods) / 1000,
            maxMicrosecondsPerPeriod: Double(s.maxNs.load(ordering: .relaxed)) / 1000,
            periods: periods)
    }
}
