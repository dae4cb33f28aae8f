// DTMFEvent: a DTMF digit starting or ending in line audio, as reported by DTMFDetector.

/// The start or end of one DTMF digit heard on the line. Plain value; making one never allocates.
public struct DTMFEvent: Sendable, Hashable {
    /// Whether the digit began or ended.
    public enum Kind: Sendable, Hashable {
        case start
        case end
    }

    /// The digit as ASCII: `0`-`9`, `*`, `#`, `A`-`D`.
    public var digit: UInt8
    public var kind: Kind
    /// Samples since the detector was made, at the end of the period in which the change was confirmed.
    public var sampleTime: Int
    /// For `.end`: how long the digit lasted, in samples. For `.start`: the silence before it.
    public var durationSamples: Int
    /// For `.start`: the digit's level in dBm0. For `.end`: nil.
    public var levelDBm0: Int?

    public init(digit: UInt8, kind: Kind, sampleTime: Int, durationSamples: Int, levelDBm0: Int? = nil) {
        self.digit = digit
        self.kind = kind
        self.sampleTime = sampleTime
        self.durationSamples = durationSamples
        self.levelDBm0 = levelDBm0
    }

    /// The digit as a character.
    public var character: Character { Character(Unicode.Scalar(digit)) }

    /// The RFC 4733 event code of the digit (0-9, `*` 10, `#` 11, A-D 12-15), or nil.
    public var rfc4733Event: UInt8? { DTMFEvent.rfc4733Event(forDigit: digit) }

    /// The RFC 4733 event code (§3.2, table 7) of an ASCII DTMF digit, or nil when it is not one.
    public static func rfc4733Event(forDigit digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "*"): return 10
        case UInt8(ascii: "#"): return 11
        case UInt8(ascii: "A")...UInt8(ascii: "D"): return 12 + digit - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "d"): return 12 + digit - UInt8(ascii: "a")
        default: return nil
        }
    }

    /// The ASCII digit of an RFC 4733 event code 0-15, or nil for other events.
    public static func digit(forRFC4733Event event: UInt8) -> UInt8? {
        switch event {
        case 0...9: return UInt8(ascii: "0") + event
        case 10: return UInt8(ascii: "*")
        case 11: return UInt8(ascii: "#")
        case 12...15: return UInt8(ascii: "A") + event - 12
        default: return nil
        }
    }
}
