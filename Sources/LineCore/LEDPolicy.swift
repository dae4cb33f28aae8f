// LEDPolicy: which pattern each front-panel LED shows (power, trunk, line, fault) for the box's state.

/// How an LED is driven.
public enum LEDPattern: String, Sendable, Hashable {
    case off, on
    /// 1 Hz, half on.
    case blinkSlow = "blink slow"
    /// 4 Hz, half on.
    case blinkFast = "blink fast"

    /// Whether the LED is lit at `nowMilliseconds` (blinks are in phase with the clock).
    public func isLit(nowMilliseconds: Int64) -> Bool {
        switch self {
        case .off: false
        case .on: true
        case .blinkSlow: nowMilliseconds.modulo(1_000) < 500
        case .blinkFast: nowMilliseconds.modulo(250) < 125
        }
    }

    /// The next time the level changes (nil for steady patterns).
    public func nextChangeMilliseconds(after now: Int64) -> Int64? {
        let half: Int64
        switch self {
        case .off, .on: return nil
        case .blinkSlow: half = 500
        case .blinkFast: half = 125
        }
        return now - now.modulo(half) + half
    }
}

extension Int64 {
    fileprivate func modulo(_ m: Int64) -> Int64 {
        let r = self % m
        return r < 0 ? r + m : r
    }
}

/// The four LEDs' patterns.
public struct LEDStates: Sendable, Hashable {
    public var power: LEDPattern
    public var trunk: LEDPattern
    public var line: LEDPattern
    public var fault: LEDPattern

    public init(power: LEDPattern, trunk: LEDPattern, line: LEDPattern, fault: LEDPattern) {
        self.power = power
        self.trunk = trunk
        self.line = line
        self.fault = fault
    }
}

/// The rules, as one function of the box's state:
/// - power: on; blinks fast while the reset button is held (release now to keep the config).
/// - trunk: all configured profiles registered on, some blink slow, none (or none configured) off.
/// - line: down off, idle on, ringing blink fast, in use blink slow.
/// - fault: on while the line is down or any fault is reported; off otherwise.
public enum LEDPolicy {
    /// The LED patterns for this state.
    public static func states(registeredProfiles: Int, configuredProfiles: Int, line: LineActivity,
                              fault: Bool, resetHeld: Bool) -> LEDStates {
        let trunk: LEDPattern
        if configuredProfiles <= 0 || registeredProfiles <= 0 {
            trunk = .off
        } else if registeredProfiles >= configuredProfiles {
            trunk = .on
        } else {
            trunk = .blinkSlow
        }
        let linePattern: LEDPattern
        switch line {
        case .down: linePattern = .off
        case .idle: linePattern = .on
        case .ringing: linePattern = .blinkFast
        case .inUse: linePattern = .blinkSlow
        }
        return LEDStates(power: resetHeld ? .blinkFast : .on, trunk: trunk, line: linePattern,
                         fault: fault || line == .down ? .on : .off)
    }
}
