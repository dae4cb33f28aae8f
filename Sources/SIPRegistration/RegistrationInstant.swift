// RegistrationInstant: a point on the driver's monotonic clock, so the registration state machine never reads a clock itself.

/// A moment on the driver's monotonic clock, as the time since an origin the driver chose (boot, process
/// start, a test's zero). The state machine only compares instants and adds durations to them.
public struct RegistrationInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Time since the driver's clock origin.
    public var sinceOrigin: Duration

    /// The instant `sinceOrigin` after the origin.
    public init(sinceOrigin: Duration) {
        self.sinceOrigin = sinceOrigin
    }

    /// The clock origin.
    public static let zero = RegistrationInstant(sinceOrigin: .zero)

    /// The instant `seconds` after the origin.
    public static func seconds(_ seconds: Int64) -> RegistrationInstant {
        RegistrationInstant(sinceOrigin: .seconds(seconds))
    }

    public static func < (a: RegistrationInstant, b: RegistrationInstant) -> Bool { a.sinceOrigin < b.sinceOrigin }
    public static func + (a: RegistrationInstant, d: Duration) -> RegistrationInstant { RegistrationInstant(sinceOrigin: a.sinceOrigin + d) }
    public static func - (a: RegistrationInstant, d: Duration) -> RegistrationInstant { RegistrationInstant(sinceOrigin: a.sinceOrigin - d) }
    public static func - (a: RegistrationInstant, b: RegistrationInstant) -> Duration { a.sinceOrigin - b.sinceOrigin }

    /// `t+12.5s`: seconds since the origin, with milliseconds when not whole.
    public var description: String {
        let ms = sinceOrigin.wholeMilliseconds
        let sign = ms < 0 ? "-" : "+"
        let magnitude = ms.magnitude
        let fraction = magnitude % 1000
        if fraction == 0 { return "t\(sign)\(magnitude / 1000)s" }
        var digits = String(fraction)
        while digits.utf8.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "t\(sign)\(magnitude / 1000).\(digits)s"
    }
}

extension Duration {
    // The duration in whole milliseconds, rounded toward zero.
    var wholeMilliseconds: Int64 {
        let c = components
        return c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
    }

    // The duration in whole seconds, rounded up, never below zero: what a person is shown.
    var displaySeconds: Int64 {
        let ms = wholeMilliseconds
        guard ms > 0 else { return 0 }
        return (ms + 999) / 1000
    }
}
