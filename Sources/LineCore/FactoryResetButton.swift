// FactoryResetButton: the reset button, debounced; held 10 s it asks for a factory reset, shorter presses do nothing.

/// What the button reports.
public enum FactoryResetEvent: Sendable, Hashable {
    /// A debounced press began (LEDs may show that holding on resets).
    case holdStarted
    /// Released before the hold time: nothing happens.
    case holdAbandoned(heldMilliseconds: Int64)
    /// Held for the whole hold time: reset now. Reported once per press.
    case resetRequested
}

/// Debounces the button's level (true: pressed) and times the hold from the first edge of the press.
/// Pure: time comes in as milliseconds; call `tick` at `nextDeadlineMilliseconds`.
public struct FactoryResetButton: Sendable {
    public let holdMilliseconds: Int64
    public let debounceMilliseconds: Int64
    /// The debounced level.
    public private(set) var isPressed = false

    private var raw = false
    private var rawSince: Int64 = 0
    private var pressStart: Int64 = 0
    private var resetSent = false
    private var now: Int64 = .min

    public init(holdMilliseconds: Int64 = 10_000, debounceMilliseconds: Int64 = 50) {
        self.holdMilliseconds = max(1, holdMilliseconds)
        self.debounceMilliseconds = max(0, debounceMilliseconds)
    }

    /// The button's raw level at `nowMilliseconds`.
    public mutating func input(_ pressed: Bool, nowMilliseconds: Int64) -> [FactoryResetEvent] {
        var events: [FactoryResetEvent] = []
        advance(to: nowMilliseconds, into: &events)
        if pressed != raw {
            raw = pressed
            rawSince = now
        }
        advance(to: now, into: &events)
        return events
    }

    /// Time has passed.
    public mutating func tick(nowMilliseconds: Int64) -> [FactoryResetEvent] {
        var events: [FactoryResetEvent] = []
        advance(to: nowMilliseconds, into: &events)
        return events
    }

    /// When `tick` next has something to decide.
    public var nextDeadlineMilliseconds: Int64? {
        if raw != isPressed { return rawSince + debounceMilliseconds }
        if isPressed && !resetSent { return pressStart + holdMilliseconds }
        return nil
    }

    private mutating func advance(to time: Int64, into events: inout [FactoryResetEvent]) {
        now = max(now, time)
        while let due = nextDeadlineMilliseconds, due <= now {
            if raw != isPressed {
                isPressed = raw
                if raw {
                    pressStart = rawSince
                    resetSent = false
                    events.append(.holdStarted)
                } else if !resetSent {
                    events.append(.holdAbandoned(heldMilliseconds: rawSince - pressStart))
                }
            } else {
                resetSent = true
                events.append(.resetRequested)
            }
        }
    }
}
