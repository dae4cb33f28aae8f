// CallerID: a decoded caller ID message (number, name, date/time or why they are absent) from Bell 202/V.23 MDMF/SDMF or DTMF CLIP.

/// The caller ID signalling a line uses between rings (config `caller-id-standard`).
public enum CallerIDStandard: String, Sendable, Hashable, CaseIterable {
    /// Bellcore GR-30 CLASS: Bell 202 FSK (1200 baud, mark 1200 Hz, space 2200 Hz), SDMF or MDMF.
    case bell202
    /// ETSI EN 300 659-1 CLIP: V.23 FSK (1200 baud, mark 1300 Hz, space 2100 Hz), MDMF.
    case v23
    /// ETSI CLIP by DTMF (EN 300 659-1 annex B variants): `A<number>#`, `D1#`, `A..D..B..C`, `D<number>C`.
    case dtmf
}

/// Why a number or name was not delivered.
public enum CallerIDAbsence: Sendable, Hashable {
    /// The caller withheld it ('P', "private"; DTMF `D1`, `B10`).
    case withheld
    /// The network does not have it ('O', "out of area"/unavailable; DTMF `D3`, `B00`).
    case unavailable
    /// International call without a number (DTMF `D2`).
    case international
    /// A code this box does not know.
    case other(UInt8)

    init(code: UInt8) {
        switch code {
        case UInt8(ascii: "P"): self = .withheld
        case UInt8(ascii: "O"): self = .unavailable
        default: self = .other(code)
        }
    }
}

/// Month, day, hour and minute as sent (no year, the exchange's local time).
public struct CallerIDDateTime: Sendable, Hashable {
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int

    public init(month: Int, day: Int, hour: Int, minute: Int) {
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }
}

/// Why a caller ID message could not be used.
public enum CallerIDError: Error, Sendable, Hashable {
    /// An FSK message was framed but its checksum did not match: nothing in it is trusted.
    case checksumMismatch
    /// The message's structure is broken (lengths overrun, unknown layout).
    case malformed
    /// No message has been received.
    case noMessage
}

/// One decoded caller ID message.
public struct CallerID: Sendable, Hashable {
    public var number: String?
    public var name: String?
    public var dateTime: CallerIDDateTime?
    /// Why `number` is missing, when the message says.
    public var numberAbsence: CallerIDAbsence?
    /// Why `name` is missing, when the message says.
    public var nameAbsence: CallerIDAbsence?
    /// A redirecting number (DTMF CLIP `D` field of variant 1, MDMF redirecting number), when sent.
    public var redirectingNumber: String?

    public init(number: String? = nil, name: String? = nil, dateTime: CallerIDDateTime? = nil,
                numberAbsence: CallerIDAbsence? = nil, nameAbsence: CallerIDAbsence? = nil, redirectingNumber: String? = nil) {
        self.number = number
        self.name = name
        self.dateTime = dateTime
        self.numberAbsence = numberAbsence
        self.nameAbsence = nameAbsence
        self.redirectingNumber = redirectingNumber
    }

    /// Decodes a message as spandsp's ADSI receiver delivers it: for FSK the octets from the message
    /// type up to, not including, the checksum (already verified); for DTMF the digits with their terminator.
    public static func decode(_ message: some Collection<UInt8>, standard: CallerIDStandard) throws(CallerIDError) -> CallerID {
        let bytes = Array(message)
        switch standard {
        case .bell202, .v23: return try decodeFSK(bytes)
        case .dtmf: return try decodeDTMF(bytes)
        }
    }

    // MARK: - FSK (GR-30 SDMF/MDMF, EN 300 659-3 MDMF)

    private static func decodeFSK(_ m: [UInt8]) throws(CallerIDError) -> CallerID {
        guard m.count >= 2, Int(m[1]) == m.count - 2 else { throw .malformed }
        let type = m[0]
        let body = Array(m[2...])
        var id = CallerID()
        if type & 0x80 == 0 {
            // SDMF (0x04): MMDDHHMM then the number, or a single 'O'/'P'.
            guard type == 0x04, body.count >= 8 else { throw .malformed }
            id.dateTime = dateTime(body[0..<8])
            let rest = body[8...]
            if rest.count == 1, let code = rest.first, code == UInt8(ascii: "O") || code == UInt8(ascii: "P") {
                id.numberAbsence = CallerIDAbsence(code: code)
            } else if !rest.isEmpty {
                id.number = text(rest)
            }
            return id
        }
        // MDMF: parameters of type, length, value.
        var i = 0
        while i < body.count {
            guard i + 2 <= body.count else { throw .malformed }
            let parameter = body[i]
            let length = Int(body[i + 1])
            guard i + 2 + length <= body.count else { throw .malformed }
            let value = body[(i + 2)..<(i + 2 + length)]
            switch parameter {
            case 0x01: id.dateTime = dateTime(value)
            case 0x02: id.number = text(value)
            case 0x04: if let code = value.first { id.numberAbsence = CallerIDAbsence(code: code) }
            case 0x07: id.name = text(value)
            case 0x08: if let code = value.first { id.nameAbsence = CallerIDAbsence(code: code) }
            case 0x1A: id.redirectingNumber = text(value)
            default: break
            }
            i += 2 + length
        }
        return id
    }

    private static func dateTime(_ digits: ArraySlice<UInt8>) -> CallerIDDateTime? {
        guard digits.count == 8, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let d = digits.map { Int($0 - 0x30) }
        return CallerIDDateTime(month: d[0] * 10 + d[1], day: d[2] * 10 + d[3], hour: d[4] * 10 + d[5], minute: d[6] * 10 + d[7])
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        // Caller ID text is 7-bit ASCII; anything else becomes '?', never a crash or a mangled encoding.
        String(decoding: bytes.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    // MARK: - DTMF CLIP

    private static func decodeDTMF(_ m: [UInt8]) throws(CallerIDError) -> CallerID {
        guard let terminator = m.last, terminator == UInt8(ascii: "#") || terminator == UInt8(ascii: "C") else { throw .malformed }
        let digits = m.dropLast()
        var fields: [(code: UInt8?, value: ArraySlice<UInt8>)] = []
        var i = digits.startIndex
        while i < digits.endIndex {
            var code: UInt8?
            if !isDigit(digits[i]) { code = digits[i]; i += 1 }
            let start = i
            while i < digits.endIndex && isDigit(digits[i]) { i += 1 }
            fields.append((code, digits[start..<i]))
        }
        var id = CallerID()
        let variantC = terminator == UInt8(ascii: "C")
        let startsWithD = fields.first?.code == UInt8(ascii: "D")
        for (index, field) in fields.enumerated() {
            switch field.code {
            case nil:
                id.number = text(field.value)                       // `<number>#`
            case UInt8(ascii: "A")?:
                id.number = text(field.value)
            case UInt8(ascii: "D")? where variantC && index == 0 && startsWithD:
                id.number = text(field.value)                       // `D<number>C`
            case UInt8(ascii: "D")? where variantC:
                id.redirectingNumber = text(field.value)            // `A..D<redirect>..C`
            case UInt8(ascii: "D")?:
                switch text(field.value) {                          // `D1#` private, `D2#` international, `D3#` unavailable
                case "1": id.numberAbsence = .withheld
                case "2": id.numberAbsence = .international
                case "3": id.numberAbsence = .unavailable
                default: id.numberAbsence = .other(field.value.first ?? 0)
                }
            case UInt8(ascii: "B")?:
                switch text(field.value) {                          // `B00` unavailable, `B10` restricted
                case "00": id.numberAbsence = .unavailable
                case "10": id.numberAbsence = .withheld
                default: id.numberAbsence = .other(field.value.first ?? 0)
                }
            default:
                throw .malformed
            }
        }
        if id.number?.isEmpty == true { id.number = nil }
        return id
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
