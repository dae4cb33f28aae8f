// ConsoleSettings: per-console options: who it is, terminal size, idle time-out, hashing cost.

/// Options of one console session.
public struct ConsoleSettings: Sendable {
    /// Who commits from this console (stored with each config version), e.g. "console ttyS0".
    public var origin: String
    /// Rows per page for the pager (0: no paging).
    public var terminalHeight: Int
    public var terminalWidth: Int
    /// A logged-in console with no key for this long logs out.
    public var idleTimeoutSeconds: Int64
    /// End the session on logout (socket clients) instead of showing the login prompt again (tty).
    public var closeOnLogout: Bool
    /// PBKDF2 iterations for a new password (at least `PasswordHash.minimumIterations`).
    public var hashIterations: Int
    public var maxLineLength: Int
    /// The first line shown before the login prompt.
    public var banner: String

    public init(origin: String = "console", terminalHeight: Int = 24, terminalWidth: Int = 80,
                idleTimeoutSeconds: Int64 = 900, closeOnLogout: Bool = false,
                hashIterations: Int = PasswordHash.defaultIterations, maxLineLength: Int = 512,
                banner: String = "trunkbox console") {
        self.origin = origin
        self.terminalHeight = terminalHeight
        self.terminalWidth = terminalWidth
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.closeOnLogout = closeOnLogout
        self.hashIterations = hashIterations
        self.maxLineLength = maxLineLength
        self.banner = banner
    }
}
