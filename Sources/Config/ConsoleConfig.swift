// ConsoleConfig: the installer's serial console (tty device, line speed, idle logout).

/// The serial console: 8N1 on `device` at `speed`, logged out after `idleTimeoutMinutes` (0: never).
public struct ConsoleConfig: Sendable, Hashable {
    public var device: String
    /// A standard termios rate (`ConfigLimits.consoleSpeeds`).
    public var speed: Int
    public var idleTimeoutMinutes: Int

    public init(device: String = "/dev/ttyS0", speed: Int = 115_200, idleTimeoutMinutes: Int = 15) {
        self.device = device
        self.speed = speed
        self.idleTimeoutMinutes = idleTimeoutMinutes
    }
}
