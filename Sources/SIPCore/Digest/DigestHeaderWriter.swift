// DigestHeaderWriter: serialization of auth-params as token or quoted-string, RFC 3261 §25 (token, quoted-string, quoted-pair).

// Builds `scheme name=value, name="value"` header values, refusing values the grammar cannot carry.
struct DigestHeaderWriter {
    private let scheme: String
    private var parts: [String] = []

    init(scheme: String) {
        self.scheme = scheme
    }

    // The finished header value.
    var value: String {
        parts.isEmpty ? scheme : scheme + " " + parts.joined(separator: ", ")
    }

    // Appends `name="value"`.
    mutating func quoted(_ name: String, _ value: String) throws {
        parts.append(name + "=" + (try Self.quote(value, parameter: name)))
    }

    // Appends `name=value`; the value must be a token.
    mutating func token(_ name: String, _ value: String) throws {
        guard Self.isToken(value) else {
            throw SIPParseError("value of '\(name)' is not a token: cannot serialize it unquoted")
        }
        parts.append(name + "=" + value)
    }

    // Appends a pre-encoded `name=value` (used for ext-value `username*`).
    mutating func raw(_ name: String, _ value: String) {
        parts.append(name + "=" + value)
    }

    // Appends an extension parameter in the form it records.
    mutating func parameter(_ parameter: DigestAuthParameter) throws {
        guard Self.isToken(parameter.name) else {
            throw SIPParseError("parameter name '\(parameter.name)' is not a token")
        }
        if parameter.isQuoted {
            try quoted(parameter.name, parameter.value)
        } else {
            try token(parameter.name, parameter.value)
        }
    }

    // `value` as a quoted-string: `"` and `\` and control characters become quoted-pairs; CR and LF
    // cannot be carried at all and are refused (they would otherwise split the header).
    static func quote(_ value: String, parameter: String) throws -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(value.utf8.count + 2)
        for byte in value.utf8 {
            switch byte {
            case 0x0D, 0x0A:
                throw SIPParseError("value of '\(parameter)' contains a line break and cannot be quoted")
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x00...0x08, 0x0B...0x1F, 0x7F:
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    // True for a non-empty run of token characters.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    // RFC 7230 tchar, a superset of the RFC 3261 token alphabet (adds # $ & ^ |).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
