// SimulatedGPIO: a GPIO backend in memory, driven by scripted rings, polarity reversals and button presses (tests, `line simulate`).
import LineCore

/// Inputs follow a time-ordered script that `takeEdges` plays up to the time asked; outputs are kept
/// and can be read back (`hookClosed`, `isActive`, `physicalLevel`). Drive it with `simulateRing`,
/// `simulatePolarityReversal`, `pressReset` or `setInput`.
public final class SimulatedGPIO: GPIOBackend {
    private var pins: [GPIORole: BoardPin] = [:]
    private var levels: [GPIORole: Bool] = [:]
    private var script: [(at: Int64, order: Int, role: GPIORole, active: Bool)] = []
    private var scriptOrder = 0
    /// Every output write, in order (role, logical level).
    public private(set) var writes: [(role: GPIORole, active: Bool)] = []
    /// When set, every `set` fails with this message (a broken GPIO chip).
    public var failWrites: String?
    /// Ring trip: closing the hook relay stops the ringing, as an exchange does when the line is answered
    /// (scripted ring pulses still to come are dropped and the ring input is released). Off by default,
    /// so a test can also play an exchange that is slow to trip the ring.
    public var ringTrip = false
    private var lastTakenMilliseconds: Int64 = .min

    public init() {}

    // MARK: GPIOBackend

    public func requestOutput(_ pin: BoardPin, active: Bool) throws(GPIOError) {
        try claim(pin)
        levels[pin.role] = active
        writes.append((pin.role, active))
    }

    public func requestInput(_ pin: BoardPin) throws(GPIOError) {
        try claim(pin)
        levels[pin.role] = levels[pin.role] ?? false
    }

    public func set(_ role: GPIORole, active: Bool) throws(GPIOError) {
        guard let pin = pins[role], role.isOutput else { throw GPIOError(.notRequested, "\(role.rawValue) is not a requested output") }
        if let failWrites { throw GPIOError(.ioFailed, "setting \(role.rawValue) (line \(pin.offset) of \(pin.chip)) failed: \(failWrites)") }
        levels[role] = active
        writes.append((role, active))
        if role == .hookRelay && active && ringTrip { tripRing() }
    }

    public func read(_ role: GPIORole) throws(GPIOError) -> Bool {
        guard pins[role] != nil, let level = levels[role] else { throw GPIOError(.notRequested, "\(role.rawValue) is not requested") }
        return level
    }

    public func takeEdges(nowMilliseconds: Int64) throws(GPIOError) -> [GPIOEdge] {
        lastTakenMilliseconds = max(lastTakenMilliseconds, nowMilliseconds)
        var edges: [GPIOEdge] = []
        while let first = script.first, first.at <= nowMilliseconds {
            script.removeFirst()
            guard pins[first.role] != nil, levels[first.role] != first.active else { continue }
            levels[first.role] = first.active
            edges.append(GPIOEdge(role: first.role, active: first.active, atMilliseconds: first.at))
        }
        return edges
    }

    public var eventDescriptors: [Int32] { [] }

    public func releaseAll() {
        pins = [:]
    }

    // MARK: simulation

    /// Sets an input to a level at a time (scripted; it takes effect when `takeEdges` reaches the time).
    public func setInput(_ role: GPIORole, active: Bool, atMilliseconds: Int64) {
        script.append((atMilliseconds, scriptOrder, role, active))
        scriptOrder += 1
        script.sort { ($0.at, $0.order) < ($1.at, $1.order) }
    }

    /// `count` ring cycles of a cadence from `atMilliseconds`, as the ring opto sees them: 20 Hz pulses
    /// (25 ms active, 25 ms idle) during each burst, or a steady level when `pulsed` is false.
    public func simulateRing(_ cadence: RingCadence = .us, count: Int = 1, atMilliseconds start: Int64, pulsed: Bool = true) {
        var t = start
        for _ in 0..<max(0, count) {
            for segment in cadence.segments {
                if pulsed {
                    var p = t
                    while p < t + segment.onMilliseconds {
                        setInput(.ringDetect, active: true, atMilliseconds: p)
                        setInput(.ringDetect, active: false, atMilliseconds: min(p + 25, t + segment.onMilliseconds))
                        p += 50
                    }
                } else {
                    setInput(.ringDetect, active: true, atMilliseconds: t)
                    setInput(.ringDetect, active: false, atMilliseconds: t + segment.onMilliseconds)
                }
                t += segment.onMilliseconds + segment.offMilliseconds
            }
        }
    }

    /// The exchange trips the ring: no more ring pulses; the input is released at the last time read
    /// (the edge is reported by the next `takeEdges`).
    private func tripRing() {
        script.removeAll { $0.role == .ringDetect }
        if levels[.ringDetect] == true {
            setInput(.ringDetect, active: false, atMilliseconds: lastTakenMilliseconds == .min ? 0 : lastTakenMilliseconds)
        }
    }

    /// The exchange reverses the line's polarity at this time (the input toggles).
    public func simulatePolarityReversal(atMilliseconds: Int64) {
        let last = script.last(where: { $0.role == .polarity })?.active ?? levels[.polarity] ?? false
        setInput(.polarity, active: !last, atMilliseconds: atMilliseconds)
    }

    /// The reset button pressed at a time and held for `holdMilliseconds`, with contact bounce at both ends.
    public func pressReset(atMilliseconds start: Int64, holdMilliseconds: Int64, bounce: Bool = true) {
        if bounce {
            for i in 0..<4 { setInput(.resetButton, active: i % 2 == 0, atMilliseconds: start + Int64(i)) }
        }
        setInput(.resetButton, active: true, atMilliseconds: start + (bounce ? 4 : 0))
        let end = start + holdMilliseconds
        if bounce {
            for i in 0..<4 { setInput(.resetButton, active: i % 2 != 0, atMilliseconds: end + Int64(i)) }
        }
        setInput(.resetButton, active: false, atMilliseconds: end + (bounce ? 4 : 0))
    }

    /// The logical level an output is driven to (nil: not requested).
    public func isActive(_ role: GPIORole) -> Bool? {
        guard pins[role] != nil, role.isOutput else { return nil }
        return levels[role]
    }

    /// Whether the hook relay is closed (the line off hook).
    public var hookClosed: Bool { isActive(.hookRelay) ?? false }

    /// The electrical level of a line (logical level with active-low applied).
    public func physicalLevel(_ role: GPIORole) -> Bool? {
        guard let pin = pins[role], let level = levels[role] else { return nil }
        return level != pin.activeLow
    }

    /// Scripted input changes not yet played.
    public var pendingInputs: Int { script.count }

    private func claim(_ pin: BoardPin) throws(GPIOError) {
        if pins[pin.role] != nil { throw GPIOError(.requestFailed, "\(pin.role.rawValue) requested twice") }
        if let other = pins.values.first(where: { $0.chip == pin.chip && $0.offset == pin.offset }) {
            throw GPIOError(.lineUnavailable, "line \(pin.offset) of \(pin.chip) is busy (\(other.role.rawValue))")
        }
        pins[pin.role] = pin
    }
}

@available(*, unavailable)
extension SimulatedGPIO: Sendable {}
