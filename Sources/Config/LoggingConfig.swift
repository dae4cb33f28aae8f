// LoggingConfig: log level and an optional remote syslog collector.

/// Logging: messages at `level` and above; sent to `syslog` (`host` or `host:port`) too when set.
public struct LoggingConfig: Sendable, Hashable {
    public var level: LogLevel
    public var syslog: String?

    public init(level: LogLevel = .info, syslog: String? = nil) {
        self.level = level
        self.syslog = syslog
    }
}
