// LineController: binds a board profile and a GPIO backend to the ring detector, reset button, LED policy and line state machine.
import LineCore

/// Runs the analog line's logic on GPIO. It has no thread or timer of its own: the owner (the box's
/// event loop) calls `tick` when an event descriptor is readable and at `nextDeadlineMilliseconds`,
/// and `handle` for DSP, PBX and audio-device events. GPIO actions (hook relay, LEDs) are executed
/// here; everything else comes back as `Output` for the owner (the B2BUA, the audio path).
public final class LineController {
    /// What the owner must act on.
    public enum Output: Sendable, Hashable {
        /// A line action that is not GPIO: audio, caller-ID decoding, DTMF, PBX signalling, activity, ignored events.
        case line(LineAction)
        /// The reset button was held for its hold time.
        case factoryReset
        /// A GPIO operation failed (reported once per distinct message).
        case gpioFault(String)
    }

    public let profile: BoardProfile
    private let backend: any GPIOBackend
    private var ringDetector: RingDetector
    private var machine: LineStateMachine
    private var button: FactoryResetButton
    private var registeredProfiles = 0
    private var configuredProfiles = 0
    private var resetHeld = false
    private var gpioFaults: Set<String> = []
    private var ledLevels: [GPIORole: Bool] = [:]
    private var now: Int64

    /// Claims every pin of the profile (hook relay open, LEDs off, inputs with edge events) and lights the LEDs.
    public init(profile: BoardProfile, backend: any GPIOBackend, options: LineOptions = LineOptions(),
                ringSettings: RingDetector.Settings = RingDetector.Settings(),
                button: FactoryResetButton = FactoryResetButton(), nowMilliseconds: Int64) throws(GPIOError) {
        self.profile = profile
        self.backend = backend
        self.ringDetector = RingDetector(settings: ringSettings)
        self.machine = LineStateMachine(options: options)
        self.button = button
        self.now = nowMilliseconds
        do {
            for pin in profile.allPins {
                if pin.role.isOutput {
                    try backend.requestOutput(pin, active: false)
                    ledLevels[pin.role] = false
                } else {
                    try backend.requestInput(pin)
                }
            }
        } catch {
            backend.releaseAll()
            throw error
        }
        _ = updateLEDs()
    }

    // MARK: driving

    /// Reads GPIO edges and runs every timer that is due.
    public func tick(nowMilliseconds: Int64) -> [Output] {
        now = max(now, nowMilliseconds)
        var outputs: [Output] = []
        let edges: [GPIOEdge]
        do {
            edges = try backend.takeEdges(nowMilliseconds: now)
        } catch {
            edges = []
            fault(error.description, into: &outputs)
        }
        for edge in edges {
            let at = min(edge.atMilliseconds ?? now, now)
            switch edge.role {
            case .ringDetect:
                for ring in ringDetector.input(edge.active, nowMilliseconds: at) { apply(machine.handle(.ring(ring), nowMilliseconds: at), into: &outputs) }
            case .polarity:
                apply(machine.handle(.polarityReversed, nowMilliseconds: at), into: &outputs)
            case .resetButton:
                buttonEvents(button.input(edge.active, nowMilliseconds: at), into: &outputs)
            case .hookRelay, .ledPower, .ledTrunk, .ledLine, .ledFault:
                break
            }
        }
        for ring in ringDetector.tick(nowMilliseconds: now) { apply(machine.handle(.ring(ring), nowMilliseconds: now), into: &outputs) }
        buttonEvents(button.tick(nowMilliseconds: now), into: &outputs)
        apply(machine.tick(nowMilliseconds: now), into: &outputs)
        outputs += updateLEDs()
        return outputs
    }

    /// An event from outside GPIO (DSP, PBX side, audio device) at `nowMilliseconds`.
    public func handle(_ event: LineEvent, nowMilliseconds: Int64) -> [Output] {
        now = max(now, nowMilliseconds)
        var outputs: [Output] = []
        apply(machine.handle(event, nowMilliseconds: now), into: &outputs)
        outputs += updateLEDs()
        return outputs
    }

    /// The trunk's registrations, for the trunk LED.
    public func setTrunkStatus(registered: Int, configured: Int) -> [Output] {
        registeredProfiles = registered
        configuredProfiles = configured
        return updateLEDs()
    }

    // MARK: status

    public var state: LineState { machine.state }
    public var ringCount: Int { ringDetector.ringCount }
    public var ringGlitchesRejected: Int { ringDetector.glitchesRejected }
    public var leds: LEDStates {
        LEDPolicy.states(registeredProfiles: registeredProfiles, configuredProfiles: configuredProfiles, line: machine.state.activity,
                         fault: !gpioFaults.isEmpty, resetHeld: resetHeld)
    }
    /// Descriptors to watch for input edges (empty for the simulation: tick it instead).
    public var eventDescriptors: [Int32] { backend.eventDescriptors }

    /// The next time `tick` has work: a ring, button or line timer, or an LED blink.
    public var nextDeadlineMilliseconds: Int64? {
        let leds = self.leds
        let blinks = [leds.power, leds.trunk, leds.line, leds.fault].compactMap { $0.nextChangeMilliseconds(after: now) }
        return ([ringDetector.nextDeadlineMilliseconds, button.nextDeadlineMilliseconds, machine.nextDeadlineMilliseconds].compactMap { $0 } + blinks).min()
    }

    // MARK: internals

    private func apply(_ actions: [LineAction], into outputs: inout [Output]) {
        for action in actions {
            guard case .setHook(let hook) = action else {
                outputs.append(.line(action))
                continue
            }
            do {
                try backend.set(.hookRelay, active: hook == .offHook)
            } catch {
                fault(error.description, into: &outputs)
                apply(machine.handle(.hardwareFault(error.description), nowMilliseconds: now), into: &outputs)
            }
        }
    }

    private func buttonEvents(_ events: [FactoryResetEvent], into outputs: inout [Output]) {
        for event in events {
            switch event {
            case .holdStarted: resetHeld = true
            case .holdAbandoned: resetHeld = false
            case .resetRequested:
                resetHeld = false
                outputs.append(.factoryReset)
            }
        }
    }

    private func fault(_ message: String, into outputs: inout [Output]) {
        if gpioFaults.insert(message).inserted { outputs.append(.gpioFault(message)) }
    }

    private func updateLEDs() -> [Output] {
        let leds = self.leds
        var outputs: [Output] = []
        for (role, pattern) in [(GPIORole.ledPower, leds.power), (.ledTrunk, leds.trunk), (.ledLine, leds.line), (.ledFault, leds.fault)] {
            guard profile.pin(role) != nil else { continue }
            let lit = pattern.isLit(nowMilliseconds: now)
            guard ledLevels[role] != lit else { continue }
            do {
                try backend.set(role, active: lit)
                ledLevels[role] = lit
            } catch {
                fault(error.description, into: &outputs)
            }
        }
        return outputs
    }
}

@available(*, unavailable)
extension LineController: Sendable {}
