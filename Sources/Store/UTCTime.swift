// UTCTime: an instant as milliseconds since 1970-01-01T00:00:00Z, with the UTC calendar fields and ISO 8601 text.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time in UTC with millisecond precision. The store never reads the clock by itself:
/// callers pass times in, and `UTCTime.now()` exists only as a convenience default.
public struct UTCTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (leap seconds ignored, like POSIX time).
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    public init(secondsSince1970: Int64) {
        self.millisecondsSince1970 = secondsSince1970 * 1000
    }

    /// The instant with these UTC calendar fields, or nil when they name no real time (2026-02-30,
    /// hour 24, ...). Years 1970 to 9999.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        guard (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...59).contains(second), (0...999).contains(millisecond) else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(hour)
        fields.tm_min = Int32(minute)
        fields.tm_sec = Int32(second)
        let seconds = Int64(timegm(&fields))
        let candidate = UTCTime(millisecondsSince1970: seconds * 1000 + Int64(millisecond))
        // timegm normalises 30 February into March; a changed day means the date did not exist.
        guard candidate.fields.day == day, candidate.fields.month == month else { return nil }
        self = candidate
    }

    /// The current wall-clock time (CLOCK_REALTIME). Only for callers' convenience defaults.
    public static func now() -> UTCTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UTCTime(millisecondsSince1970: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// UTC calendar fields of this instant.
    public struct Fields: Sendable, Equatable {
        public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int
    }

    public var fields: Fields {
        // Floor division, so instants before 1970 still split into whole seconds and a positive remainder.
        var seconds = millisecondsSince1970 / 1000
        var millis = millisecondsSince1970 % 1000
        if millis < 0 { seconds -= 1; millis += 1000 }
        var time = time_t(seconds)
        var out = tm()
        gmtime_r(&time, &out)
        return Fields(year: Int(out.tm_year) + 1900, month: Int(out.tm_mon) + 1, day: Int(out.tm_mday),
                      hour: Int(out.tm_hour), minute: Int(out.tm_min), second: Int(out.tm_sec), millisecond: Int(millis))
    }

    /// `2026-11-29T15:11:10.123Z`.
    public var iso8601: String {
        let f = fields
        return "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2))T\(pad(f.hour, 2)):\(pad(f.minute, 2)):\(pad(f.second, 2)).\(pad(f.millisecond, 3))Z"
    }

    /// `20261129T151110Z`: for file names.
    public var compact: String {
        let f = fields
        return "\(pad(f.year, 4))\(pad(f.month, 2))\(pad(f.day, 2))T\(pad(f.hour, 2))\(pad(f.minute, 2))\(pad(f.second, 2))Z"
    }

    public var description: String { iso8601 }

    /// This instant moved by `seconds` (negative moves back).
    public func adding(seconds: Int64) -> UTCTime {
        UTCTime(millisecondsSince1970: millisecondsSince1970 + seconds * 1000)
    }

    public static func < (lhs: UTCTime, rhs: UTCTime) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }
}

/// `value` in decimal, left-padded with zeros to `width` digits.
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
