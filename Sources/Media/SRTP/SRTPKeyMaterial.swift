// SRTPKeyMaterial: an SRTP master key and salt, from the CSPRNG or an SDES inline key (RFC 4568 §6.1, §9.2).
import COpenSSL

/// Master key followed by master salt for one direction of one SRTP session. `description` never shows
/// the key; use `inlineKey` only to write an `a=crypto` line.
public struct SRTPKeyMaterial: Sendable, Equatable, CustomStringConvertible {
    /// The suite the key is for.
    public let suite: SRTPSuite
    /// key||salt, `suite.keySaltLength` octets.
    public let keySalt: [UInt8]

    /// Wraps key||salt, refusing the wrong length for the suite.
    public init(suite: SRTPSuite, keySalt: [UInt8]) throws(SRTPError) {
        guard keySalt.count == suite.keySaltLength else {
            throw SRTPError("\(suite) needs \(suite.keySaltLength) octets of key||salt, got \(keySalt.count)")
        }
        self.suite = suite
        self.keySalt = keySalt
    }

    /// Fresh key and salt from OpenSSL's CSPRNG (RAND_bytes).
    public static func random(suite: SRTPSuite) throws(SRTPError) -> SRTPKeyMaterial {
        var bytes = [UInt8](repeating: 0, count: suite.keySaltLength)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard ok == 1 else { throw SRTPError("the CSPRNG (RAND_bytes) could not supply key material") }
        return try SRTPKeyMaterial(suite: suite, keySalt: bytes)
    }

    /// Reads the base64 key||salt of an SDES inline key parameter: the text after `inline:` up to any
    /// `|` (lifetime and MKI are the signalling layer's business).
    public init(suite: SRTPSuite, inlineKey: String) throws(SRTPError) {
        let text = inlineKey.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let bytes = SRTPBase64.decode(Array(text.utf8)) else {
            throw SRTPError("SDES inline key is not valid base64")
        }
        try self.init(suite: suite, keySalt: bytes)
    }

    /// The master key (the first `suite.keyLength` octets).
    public var masterKey: ArraySlice<UInt8> { keySalt[0..<suite.keyLength] }
    /// The master salt (the rest).
    public var masterSalt: ArraySlice<UInt8> { keySalt[suite.keyLength...] }

    /// base64(key||salt) for `a=crypto:<tag> <suite> inline:<this>` (RFC 4568 §6.1).
    public var inlineKey: String { SRTPBase64.encode(keySalt) }

    /// The suite only: key material is never printed.
    public var description: String { "SRTPKeyMaterial(\(suite), key hidden)" }
}

// base64 (RFC 4648 §4) for SDES keys. SIPCore has the same codec for whole a=crypto lines; Media does
// not depend on SIPCore, so the few lines are repeated here for keys handed over as text.
enum SRTPBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var v = UInt32(bytes[i]) << 16
            if n > 1 { v |= UInt32(bytes[i + 1]) << 8 }
            if n > 2 { v |= UInt32(bytes[i + 2]) }
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(n > 1 ? alphabet[Int(v >> 6 & 63)] : 0x3D)
            out.append(n > 2 ? alphabet[Int(v & 63)] : 0x3D)
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var body = text[...]
        var padding = 0
        while body.last == 0x3D && padding < 2 {
            body = body.dropLast()
            padding += 1
        }
        if padding > 0 && (body.count + padding) % 4 != 0 { return nil }
        if body.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for c in body {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2B: v = 62
            case 0x2F: v = 63
            default: return nil
            }
            acc = (acc << 6 | v) & 0xFFFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}
