// BoxLine: the analog line in the running box: the board's GPIO (libgpiod, or simulated), the line state
// machine, the line's audio on the media thread, and the B2BUA's line calls, all driven from the SIP event loop.
import Calls
import Config
import Foundation
import Line
import LineCore
import LineDSP
import Media
import Store
import NIOCore

/// The line as the box runs it. Lives on the event loop (`tick` every 10 ms while the box runs).
final class BoxLine: CallLinePort, @unchecked Sendable {
    let config: LineConfig
    let controller: LineController
    /// The simulated backend when the board is `simulated` (console `line simulate ring`, the demo).
    let simulated: SimulatedGPIO?
    let media: MediaEngine
    unowned let calls: CallController
    let loop: any EventLoop
    let log: @Sendable (String) -> Void
    private var task: RepeatedTask?
    private var lastMaintain: Int64 = 0
    private var lastTrunkCheck: Int64 = -1_000
    /// How many configured profiles are up (registered or trusted by address): the trunk LED. Event loop.
    var trunkStatus: () -> (up: Int, configured: Int) = { (0, 0) }
    /// The reset button was held for 10 s: reset the box to factory defaults (called on the event loop;
    /// the owner must not block it).
    var onFactoryReset: () -> Void = {}
    private var pendingCallerID: LineCore.CallerID?
    private(set) var lastEvents: [String] = []
    let started = ContinuousClock.now

    var now: Int64 { Int64((ContinuousClock.now - started).components.seconds * 1000) + Int64((ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000) }

    /// The board named `simulated` has no hardware: its pins are driven from the console and the demo.
    static let simulatedBoard = """
        trunkbox-board 1
        description Simulated line (no hardware): rings and the reset button are driven from the console
        chip simulated
        pin hook-relay 0
        pin ring-detect 1
        pin polarity 2
        pin led-power 3
        pin led-trunk 4
        pin led-line 5
        pin led-fault 6
        pin reset-button 7
        """

    /// Opens the board's GPIO and the line's audio device. Throws a plain sentence when the board
    /// profile cannot be read or its pins cannot be claimed.
    init(config: LineConfig, boardDirectory: String, media: MediaEngine, calls: CallController, loop: any EventLoop,
         log: @escaping @Sendable (String) -> Void) throws {
        self.config = config
        self.media = media
        self.calls = calls
        self.loop = loop
        self.log = log
        let profileText: String
        if config.board == "simulated" {
            profileText = Self.simulatedBoard
        } else {
            let parts = config.board.split(separator: "-", maxSplits: 1).map(String.init)
            guard parts.count == 2, !config.board.contains("/"), !config.board.contains("..") else {
                throw BoxRunError("line: board '\(config.board)' is not a board name (vendor-board, or simulated)")
            }
            let path = "\(boardDirectory)/\(parts[0])/\(parts[1])/line.board"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw BoxRunError("line: no board profile \(path)")
            }
            profileText = text
        }
        let profile: BoardProfile
        do { profile = try BoardProfile.parse(profileText).applying(config) } catch {
            throw BoxRunError("line: board profile \(config.board): \(error)")
        }
        let backend: any GPIOBackend
        if config.board == "simulated" {
            let s = SimulatedGPIO()
            s.ringTrip = true   // like an exchange: answering the line stops the simulated ring
            simulated = s
            backend = s
        } else {
            simulated = nil
            backend = LibgpiodGPIO()
        }
        let start = Int64(0)
        do {
            controller = try LineController(profile: profile, backend: backend, options: LineOptions(config: config), nowMilliseconds: start)
        } catch {
            throw BoxRunError("line: GPIO: \(error)")
        }
        var audio = LineAudioConfiguration(device: config.device, periodMilliseconds: config.periodMilliseconds)
        // Above 8 kHz (or when the card will not run at 8 kHz) the engine resamples with speexdsp.
        audio.rate = config.rateHz
        let standard: CallerIDStandard = switch config.callerIDStandard { case .bell202: .bell202; case .v23: .v23; case .dtmf: .dtmf }
        audio.dsp = LineDSPConfiguration(country: config.tones.rawValue, callerID: standard, echoTailMilliseconds: config.echoTailMilliseconds)
        do {
            try media.openLine(audio)
        } catch {
            throw BoxRunError("line: audio device \(config.device): \(error)")
        }
    }

    /// Starts the 10 ms tick and takes the media engine's line events.
    func start() {
        calls.line = self
        calls.onLineMediaEvent = { [weak self] event in self?.mediaEvent(event) }
        task = loop.scheduleRepeatedTask(initialDelay: .milliseconds(10), delay: .milliseconds(10)) { [weak self] _ in self?.tick() }
        note("line: \(config.device) on board \(config.board), calls to extension \(config.incomingExtension ?? "(none: the line takes no incoming calls)")")
    }

    func stop() {
        task?.cancel()
        task = nil
        media.closeLine()
    }

    private func tick() {
        let t = now
        run(controller.tick(nowMilliseconds: t))
        calls.pollMediaEvents()
        if t - lastTrunkCheck >= 500 {
            lastTrunkCheck = t
            let trunk = trunkStatus()
            run(controller.setTrunkStatus(registered: trunk.up, configured: trunk.configured))
        }
        if t - lastMaintain >= 1000 {
            lastMaintain = t
            media.maintainLine()
        }
    }

    private func mediaEvent(_ event: MediaEvent) {
        switch event {
        case .lineAudioUp(let format):
            note("line: audio up (\(format.rate) Hz, \(format.periodFrames) frames a period\(format.rate == 8000 ? "" : ", resampled to 8 kHz with speexdsp"))")
            run(controller.handle(.audioDevice(up: true), nowMilliseconds: now))
        case .lineAudioDown(let fault):
            note(media.lineAudioMessage(fault))
            run(controller.handle(.audioDevice(up: false), nowMilliseconds: now))
        case .lineCallProgress(let tone):
            let heard: LineCore.CallProgressTone? = switch tone {
            case .dialTone: .dialTone
            case .busy: .busy
            case .reorder: .reorder
            case .ringback: .ringback
            case .silence: .silence
            case .unclassified: nil
            }
            if let heard {
                note("line: heard \(heard.rawValue)")
                run(controller.handle(.callProgress(heard), nowMilliseconds: now))
            }
        case .lineCallerID(let message):
            switch media.callerID(message) {
            case .success(let id)?:
                let absence: LineCore.CallerID.Absence? = switch id.numberAbsence {
                case .withheld?: .withheld
                case .unavailable?, .international?, .other?: .unavailable
                case nil: nil
                }
                let callerID = LineCore.CallerID(number: id.number, name: id.name, absence: absence)
                note("line: caller ID \(id.number ?? absence?.rawValue ?? "none")\(id.name.map { " (\($0))" } ?? "")")
                pendingCallerID = callerID
                run(controller.handle(.callerID(callerID), nowMilliseconds: now))
            case .failure(let error)?:
                note("line: caller ID not readable: \(error)")
            case nil:
                break
            }
        case .lineDigit(let digit, let ms):
            note("line: DTMF \(Character(Unicode.Scalar(digit))) heard on the line (\(ms) ms), sent to the PBX as RFC 4733")
        default:
            break
        }
    }

    /// Acts on what the line asks for.
    private func run(_ outputs: [LineController.Output]) {
        for output in outputs {
            switch output {
            case .line(let action):
                switch action {
                case .offerCall(let id, let ext, let callerID):
                    calls.lineOffer(id, extension: ext, callerID: callerID ?? pendingCallerID)
                    pendingCallerID = nil
                case .outgoingConnected(let id):
                    calls.lineConnected(id)
                case .endCall(let id, let cause):
                    calls.lineEnded(id, cause: cause)
                case .activityChanged(let activity):
                    note("line: \(activity.rawValue)")
                case .ignored(let event, let reason):
                    note("line: ignored \(event): \(reason)")
                case .setHook(let hook):
                    note("line: \(hook.rawValue)")
                case .sendDigit(let digit, let ms):
                    do { try media.sendLineDigit(digit, milliseconds: Int(ms)) } catch { note("line: cannot dial \(digit): \(error)") }
                case .listenForCallerID(let on):
                    try? media.listenForLineCallerID(on)
                case .startAudio:
                    try? media.resetLineEchoCanceller()
                    try? media.detectLineCallProgress(true)
                case .stopAudio:
                    try? media.detectLineCallProgress(false)
                case .outgoingAccepted:
                    // Seized: listen for dial tone, then busy or reorder while the call lasts.
                    try? media.detectLineCallProgress(true)
                case .rejectOutgoing:
                    break
                }
            case .factoryReset:
                note("line: the reset button was held \(FactoryResetButton().holdMilliseconds / 1000) s: resetting to factory defaults")
                onFactoryReset()
            case .gpioFault(let message):
                note("line: GPIO fault: \(message)")
            }
        }
    }

    private func note(_ text: String) {
        lastEvents.append("\(UTCTime.now()) \(text)")
        if lastEvents.count > 20 { lastEvents.removeFirst(lastEvents.count - 20) }
        log(text)
    }

    // MARK: CallLinePort

    /// Idle, or resting after a call (a request then seizes the line when the guard time ends).
    var isAvailable: Bool {
        switch controller.state {
        case .idle, .clearing: return true
        default: return false
        }
    }

    func requestOutgoing(digits: String) -> CallLineAnswer {
        let outputs = controller.handle(.outgoingRequested(digits: digits), nowMilliseconds: now)
        var answer = CallLineAnswer.refused(.lineDown)
        for case .line(let action) in outputs {
            if case .outgoingAccepted(let id) = action { answer = .accepted(id) }
            if case .rejectOutgoing(_, let cause) = action { answer = .refused(cause) }
        }
        run(outputs)
        return answer
    }

    func pbxAnswered(_ id: LineCallID) { run(controller.handle(.pbxAnswered(id), nowMilliseconds: now)) }

    func pbxEnded(_ id: LineCallID) { run(controller.handle(.pbxEnded(id), nowMilliseconds: now)) }

    // MARK: Console

    /// `line simulate ring [from NUMBER]`: two US-cadence rings on the simulated board, with a caller ID.
    func simulateRing(from number: String?) -> String {
        guard let simulated else { return "% line simulate works only on the simulated board (this box's board is \(config.board))\n" }
        let t = now
        simulated.simulateRing(RingCadence(country: config.tones), count: 2, atMilliseconds: t + 10)
        if let number { pendingCallerID = LineCore.CallerID(number: number) }
        return "ringing the line (two rings)\(number.map { " with caller ID \($0)" } ?? ""); it rings extension \(config.incomingExtension ?? "(none configured)")\n"
    }

    /// `line simulate reset-button SECONDS`: the reset button pressed and held on the simulated board.
    func simulateResetButton(seconds: Int) -> String {
        guard let simulated else { return "% line simulate works only on the simulated board (this box's board is \(config.board))\n" }
        simulated.pressReset(atMilliseconds: now + 10, holdMilliseconds: Int64(seconds) * 1000)
        let hold = FactoryResetButton().holdMilliseconds / 1000
        return "holding the reset button for \(seconds) s" + (Int64(seconds) >= hold ? " (a factory reset at \(hold) s)\n" : " (shorter than \(hold) s: nothing happens)\n")
    }

    /// "48000 Hz card (asked 48000), resampled to 8 kHz (speexdsp quality 5, 9.9 ms), 960 frames a period".
    static func audioFormatText(_ audio: LineAudioStatus) -> String {
        guard let format = audio.format else { return "not opened yet (asked \(audio.requestedRate ?? 8000) Hz)" }
        var text = "\(format.rate) Hz card"
        if let asked = audio.requestedRate, asked != Int(format.rate) { text += " (asked \(asked) Hz)" }
        if audio.resampling {
            if let r = audio.resampler {
                text += ", resampled to 8 kHz (speexdsp quality \(r.quality), \(String(format: "%.1f", r.delayMilliseconds)) ms both ways)"
            } else {
                text += ", resampled to 8 kHz"
            }
        } else if format.rate == 8000 {
            text += ", no resampling"
        }
        return text + ", \(format.periodFrames) frames a period"
    }

    /// `show status` lines.
    func statusLines() -> [String] {
        let audio = media.lineStatus
        var lines = ["analog line: \(controller.state.name) on \(config.device) (\(audio.up ? "audio up" : "audio down\(audio.lastError.map { ": \($0)" } ?? "")")), board \(config.board)"]
        lines.append("  audio: " + Self.audioFormatText(audio))
        lines.append("  rings \(controller.ringCount), glitches rejected \(controller.ringGlitchesRejected), xruns capture \(audio.captureXruns) playback \(audio.playbackXruns)")
        let leds = controller.leds
        lines.append("  LEDs: power \(leds.power.rawValue), trunk \(leds.trunk.rawValue), line \(leds.line.rawValue), fault \(leds.fault.rawValue)")
        if let hook = simulated?.isActive(.hookRelay) { lines.append("  hook relay: \(hook ? "off hook" : "on hook") (simulated board)") }
        return lines
    }
}
