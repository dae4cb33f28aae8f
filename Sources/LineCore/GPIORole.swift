// GPIORole: what a GPIO line of the board does (hook relay, ring detect, polarity, LEDs, reset button) and its direction.

/// The job of one GPIO line; each role appears at most once in a board profile.
public enum GPIORole: String, Sendable, Hashable, CaseIterable {
    case hookRelay = "hook-relay"
    case ringDetect = "ring-detect"
    case polarity = "polarity"
    case ledPower = "led-power"
    case ledTrunk = "led-trunk"
    case ledLine = "led-line"
    case ledFault = "led-fault"
    case resetButton = "reset-button"

    /// Whether the box drives this line (relay, LEDs) rather than reads it.
    public var isOutput: Bool {
        switch self {
        case .hookRelay, .ledPower, .ledTrunk, .ledLine, .ledFault: true
        case .ringDetect, .polarity, .resetButton: false
        }
    }

    /// Roles every board must have.
    public static let required: [GPIORole] = [.hookRelay, .ringDetect]
}
