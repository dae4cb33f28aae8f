// DigestHex: lowercase hexadecimal encoding of digests, the LHEX form required by RFC 7616 §3.4.1 / RFC 3261 §25.

// Lowercase hex helpers for hash output and `nc` values.
enum DigestHex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    // Two lowercase hex digits per byte.
    static func encode(_ bytes: [UInt8]) -> String {
        digits.withUnsafeBufferPointer { digits in
            String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                var index = 0
                for byte in bytes {
                    out[index] = digits[Int(byte >> 4)]
                    out[index + 1] = digits[Int(byte & 0x0F)]
                    index += 2
                }
                return index
            }
        }
    }

    // `value` as exactly eight lowercase hex digits, the `nc` form of RFC 7616 §3.4.
    static func nonceCount(_ value: UInt32) -> String {
        digits.withUnsafeBufferPointer { digits in
            String(unsafeUninitializedCapacity: 8) { out in
                for index in 0..<8 {
                    out[index] = digits[Int((value >> UInt32(28 - 4 * index)) & 0x0F)]
                }
                return 8
            }
        }
    }

    // Parses exactly eight hex digits (either case); nil for anything else.
    static func parseNonceCount(_ text: String) -> UInt32? {
        var value: UInt32 = 0
        var count = 0
        for byte in text.utf8 {
            guard let nibble = nibble(byte), count < 8 else { return nil }
            value = value << 4 | UInt32(nibble)
            count += 1
        }
        return count == 8 ? value : nil
    }

    // True when `text` is non-empty and all hex digits.
    static func isHex(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { nibble($0) != nil }
    }

    // The value of one hex digit (either case), or nil.
    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
