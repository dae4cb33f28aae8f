// MediaEngine+LineDSP: the control side of the line's telephony DSP: the stage made at openLine, the switches, digits to dial, caller ID decoded from the thread's slots.
import LineDSP

// The control side's DSP bookkeeping (control thread only).
struct LineDSPControl {
    // Stages made so far and not yet released: the current one (retiredBy nil) and those a later
    // `lineDSP` command replaced (released once the thread has applied that command).
    var stages: [(stage: LineDSPStage, retiredBy: UInt64?)] = []
    var commandsPushed: UInt64 = 0
    var nextGeneration: UInt32 = 1
    // Decoded caller-ID reports by sequence (the last few).
    var callerIDs: [(sequence: UInt32, stage: UInt32, result: Result<CallerID, CallerIDError>)] = []
}

extension MediaEngine {
    /// Plays one DTMF digit (`0-9*#A-D`) on the line for `milliseconds` (40...2000), then keeps at
    /// least `gapMilliseconds` (and the configured minimum gap) before the next queued digit; used for
    /// dialling. The period's audio is replaced while the tone sounds. `lineDigitSent` follows.
    /// Throws `wrongState` without a line DSP, `invalidConfiguration` for another character.
    public func sendLineDigit(_ digit: Character, milliseconds: Int = 100, gapMilliseconds: Int = 60) throws(MediaEngineError) {
        guard currentLineDSP != nil else { throw .wrongState("no line DSP: openLine with a dsp configuration first") }
        guard let ascii = digit.asciiValue, let event = DTMFEvent.rfc4733Event(forDigit: ascii), event <= 15 else {
            throw .invalidConfiguration("not a DTMF digit: \(digit)")
        }
        guard (40...2000).contains(milliseconds), (0...5000).contains(gapMilliseconds) else {
            throw .invalidConfiguration("DTMF tone must last 40...2000 ms and the gap 0...5000 ms")
        }
        guard push(.lineDSPDigit(event: event, toneSamples: milliseconds * 8, gapSamples: gapMilliseconds * 8)) else { throw .commandQueueFull }
    }

    /// Runs the caller-ID receiver on the line's audio (on hook, between rings) or stops it.
    /// `lineCallerID` events follow for each message (or checksum error).
    public func listenForLineCallerID(_ on: Bool) throws(MediaEngineError) {
        guard currentLineDSP != nil else { throw .wrongState("no line DSP: openLine with a dsp configuration first") }
        guard push(.lineDSPListen(on)) else { throw .commandQueueFull }
    }

    /// Runs the call-progress detector (from seizing the line until the call ends) or stops it.
    /// Switching it on starts the classification afresh; `lineCallProgress` follows each change.
    public func detectLineCallProgress(_ on: Bool) throws(MediaEngineError) {
        guard currentLineDSP != nil else { throw .wrongState("no line DSP: openLine with a dsp configuration first") }
        guard push(.lineDSPProgress(on)) else { throw .commandQueueFull }
    }

    /// A new call on the line: the echo canceller forgets the learnt echo path and starts a new ERLE
    /// measurement (`lineStatus.dsp`).
    public func resetLineEchoCanceller() throws(MediaEngineError) {
        guard currentLineDSP != nil else { throw .wrongState("no line DSP: openLine with a dsp configuration first") }
        guard push(.lineDSPResetEcho) else { throw .commandQueueFull }
    }

    /// The caller ID of a `lineCallerID` event, decoded by `pollEvents` on the control side: the
    /// `CallerID`, or the error (`.checksumMismatch`, a malformed message). nil for a report too old
    /// (the last 16 are kept).
    public func callerID(_ message: LineCallerIDMessage) -> Result<CallerID, CallerIDError>? {
        lineControl.dsp.callerIDs.last { $0.sequence == message.sequence && $0.stage == message.stage }?.result
    }

    // MARK: internals

    var currentLineDSP: LineDSPStage? {
        lineControl.dsp.stages.last { $0.retiredBy == nil }?.stage
    }

    // openLine: a stage for the line's settings, handed to the thread.
    func attachLineDSP(_ configuration: LineAudioConfiguration) throws(MediaEngineError) {
        guard let dsp = configuration.dsp else { return }
        let stage = try LineDSPStage(dsp, periodSamples: configuration.periodMilliseconds * 8,
                                     generation: lineControl.dsp.nextGeneration)
        let number = lineControl.dsp.commandsPushed + 1
        guard push(.lineDSP(Unmanaged.passUnretained(stage), number: number)) else { throw .commandQueueFull }
        lineControl.dsp.commandsPushed = number
        lineControl.dsp.nextGeneration &+= 1
        retireLineDSP(by: number)
        lineControl.dsp.stages.append((stage, nil))
    }

    // closeLine: the thread lets go of the stage.
    func detachLineDSP() {
        guard currentLineDSP != nil else { return }
        let number = lineControl.dsp.commandsPushed + 1
        guard push(.lineDSP(nil, number: number)) else { return }
        lineControl.dsp.commandsPushed = number
        retireLineDSP(by: number)
    }

    private func retireLineDSP(by number: UInt64) {
        for i in lineControl.dsp.stages.indices where lineControl.dsp.stages[i].retiredBy == nil {
            lineControl.dsp.stages[i].retiredBy = number
        }
    }

    // After pollEvents drained the queue: stages whose replacing command the thread applied before the
    // drain began are no longer used, and none of their events is still queued.
    func releaseLineDSPStages(applied: UInt64) {
        lineControl.dsp.stages.removeAll { $0.retiredBy.map { $0 <= applied } ?? false }
    }

    // pollEvents: decodes the octets the thread left in the stage's slot and frees the slot.
    func decodeLineCallerID(_ message: LineCallerIDMessage) {
        let result: Result<CallerID, CallerIDError>
        if message.checksumError {
            result = .failure(.checksumMismatch)
        } else if let stage = lineControl.dsp.stages.first(where: { $0.stage.generation == message.stage })?.stage, message.slot >= 0 {
            do throws(CallerIDError) {
                result = .success(try CallerID.decode(stage.callerIDOctets(slot: Int(message.slot)), standard: stage.configuration.callerID))
            } catch {
                result = .failure(error)
            }
            stage.shared.callerIDConsumed.wrappingIncrement(ordering: .releasing)
        } else {
            result = .failure(.noMessage)
        }
        lineControl.dsp.callerIDs.append((message.sequence, message.stage, result))
        if lineControl.dsp.callerIDs.count > 16 { lineControl.dsp.callerIDs.removeFirst() }
    }
}
