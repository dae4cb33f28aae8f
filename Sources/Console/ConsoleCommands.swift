// ConsoleCommands: the console's command table, declared once per mode; help, completion and parsing come from it.

/// The command tables of the exec (`trunkbox#`) and configure (`trunkbox(config)#`) modes. Configure
/// mode also passes every other line to the backend's config language.
public enum ConsoleCommands {
    /// Commands that show things, available in both modes.
    static let shows: [(ConsoleAction, String, [String])] = [
        (.showStatus, "show status", ["Show running system information", "Version, uptime, registrations, channels, line, recent errors"]),
        (.showRegistrations, "show registrations", ["Show running system information", "Trunk registration of each profile"]),
        (.showCalls, "show calls", ["Show running system information", "Live calls: codec, SRTP, MOS"]),
        (.showChannels, "show channels", ["Show running system information", "Channels in use per profile"]),
        (.showCDR, "show cdr [month YYYY-MM] [profile WORD] [last <1-1000>]", [
            "Show running system information", "Call records", "Only one month", "Month", "Only one profile", "Profile name",
            "Only the most recent records", "How many records"]),
        (.showReport, "show report month YYYY-MM", [
            "Show running system information", "Monthly call-history report", "Month to report", "Month"]),
        (.showRunningConfig, "show running-config", ["Show running system information", "Current configuration (secrets masked)"]),
        (.showLog, "show log", ["Show running system information", "Recent log messages"]),
        (.showConfigHistory, "show config history", ["Show running system information", "Configuration versions", "Committed versions"]),
        (.showConfigDiff, "show config diff <1-999999> <1-999999>", [
            "Show running system information", "Configuration versions", "Differences between two versions",
            "Older version", "Newer version"]),
    ]

    static let execOnly: [(ConsoleAction, String, [String])] = [
        (.exportCDR, "export cdr month YYYY-MM", ["Print data for copying", "Call records as CSV", "Month to export", "Month"]),
        (.exportConfig, "export config", ["Print data for copying", "Running configuration text"]),
        (.testTrunk, "test trunk WORD", ["Run a check", "DNS, TLS, REGISTER and OPTIONS towards a profile's trunk", "Profile name"]),
        (.debugSIP, "debug sip", ["Turn on live tracing", "SIP messages (secrets masked)"]),
        (.noDebugSIP, "no debug sip", ["Negate a command", "Turn off live tracing", "SIP messages"]),
        (.simulateRing, "line simulate ring [from WORD]", ["Analog line", "Simulate line events", "An incoming ring", "With a caller ID", "The caller's number"]),
        (.simulateResetButton, "line simulate reset-button <1-30>", [
            "Analog line", "Simulate line events", "The reset button pressed and held (10 s resets to factory defaults)", "Seconds held"]),
        (.reload, "reload", ["Restart the box"]),
        (.factoryReset, "factory-reset", ["Erase configuration, records and password (asks first)"]),
        (.terminalLength, "terminal length <0-512>", ["Terminal settings", "Lines per page (0: no paging)", "Lines"]),
        (.configure, "configure [terminal]", ["Edit the configuration", "From this terminal"]),
        (.exit, "exit", ["Log out"]),
        (.logout, "logout", ["Log out"]),
    ]

    static let configureOnly: [(ConsoleAction, String, [String])] = [
        (.commit, "commit", ["Validate and apply the candidate configuration"]),
        (.commitConfirmed, "commit confirmed <1-60>", [
            "Validate and apply the candidate configuration", "Roll back unless confirmed in time", "Minutes"]),
        (.confirm, "confirm", ["Keep the configuration of a 'commit confirmed'"]),
        (.rollback, "rollback <1-999999>", ["Load an earlier committed version into the candidate", "Version"]),
        (.importConfig, "import", ["Replace the candidate with pasted configuration text"]),
        (.exit, "exit", ["Leave this block (or configure mode)"]),
        (.end, "end", ["Leave configure mode"]),
    ]

    private static func build(_ rows: [(ConsoleAction, String, [String])]) -> [CommandSpec] {
        rows.map { row in
            do {
                return try CommandSpec(row.0, row.1, help: row.2)
            } catch {
                // The tables are constants checked by ConsoleCommandsTests; a bad row is a build-time bug.
                fatalError("\(error)")
            }
        }
    }

    /// The exec-mode command table.
    public static let exec: [CommandSpec] = build(shows + execOnly)
    /// The configure-mode command table (config statements themselves belong to the backend).
    public static let configure: [CommandSpec] = build(shows + configureOnly)
}
