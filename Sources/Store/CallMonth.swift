// CallMonth: a calendar month in UTC (`YYYY-MM`), the unit of call-record queries, reports and exports.

/// A UTC calendar month. A call belongs to the month in which it started (UTC).
public struct CallMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// The month `year`-`month`; years 1970 to 9998 (so the next month is always representable).
    public init(year: Int, month: Int) throws(StoreError) {
        guard (1970...9998).contains(year), (1...12).contains(month) else {
            throw .invalidMonth("\(year)-\(month)")
        }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM` (four digits, a hyphen, two digits).
    public init(_ text: String) throws(StoreError) {
        let bytes = Array(text.utf8)
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        guard bytes.count == 7, bytes[4] == 0x2D, bytes[0..<4].allSatisfy(isDigit), bytes[5..<7].allSatisfy(isDigit),
              let year = Int(String(decoding: bytes[0..<4], as: UTF8.self)),
              let month = Int(String(decoding: bytes[5..<7], as: UTF8.self)) else {
            throw .invalidMonth(text)
        }
        do throws(StoreError) {
            try self.init(year: year, month: month)
        } catch {
            throw .invalidMonth(text)
        }
    }

    /// The month containing `time` (UTC).
    public init(containing time: UTCTime) {
        let f = time.fields
        // Fields of a UTCTime are always a real month; clamp only guards the representable range.
        self.year = min(max(f.year, 1970), 9998)
        self.month = f.month
    }

    /// 00:00:00.000 UTC on the first day of the month.
    public var start: UTCTime {
        UTCTime(year: year, month: month, day: 1)!
    }

    /// 00:00:00.000 UTC on the first day of the following month: the end of this one, exclusive.
    public var end: UTCTime {
        month == 12 ? UTCTime(year: year + 1, month: 1, day: 1)! : UTCTime(year: year, month: month + 1, day: 1)!
    }

    public var description: String { "\(pad(year, 4))-\(pad(month, 2))" }

    public static func < (lhs: CallMonth, rhs: CallMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
