// SDPCryptoKeyParameter: one key-param of an `a=crypto` line (RFC 4568 §6.1, §9.2): inline key||salt, lifetime and MKI.

/// `inline:<base64 key||salt>[|<lifetime>][|<MKI>:<MKI length>]`, or another key method kept verbatim.
public struct SDPCryptoKeyParameter: Sendable, Hashable {
    /// Key method; `inline` is the only one RFC 4568 defines.
    public var method: String
    /// Decoded master key followed by master salt (inline method only).
    public var keySalt: [UInt8]
    /// Lifetime as written: `2^20` or a decimal packet count.
    public var lifetime: String?
    /// MKI value, when an MKI is present.
    public var mkiValue: UInt64?
    /// MKI length in bytes, 1...128, when an MKI is present.
    public var mkiLength: Int?
    /// The key-info text of a method other than `inline`, verbatim.
    public var rawInfo: String?

    /// Creates an inline key parameter.
    public init(keySalt: [UInt8], lifetime: String? = nil, mkiValue: UInt64? = nil, mkiLength: Int? = nil) {
        self.method = "inline"
        self.keySalt = keySalt
        self.lifetime = lifetime
        self.mkiValue = mkiValue
        self.mkiLength = mkiLength
        self.rawInfo = nil
    }

    /// Creates a key parameter of a method other than `inline`.
    public init(method: String, rawInfo: String) {
        self.method = method
        self.keySalt = []
        self.rawInfo = rawInfo
    }

    /// True for the `inline` method.
    public var isInline: Bool { SDPBytes.equalsIgnoringCase(method, "inline") }

    /// The lifetime in packets (`2^n` with n ≤ 63, or a decimal count), nil when absent or too large.
    public var lifetimePackets: UInt64? {
        guard let lifetime else { return nil }
        let bytes = Array(lifetime.utf8)
        if bytes.starts(with: [0x32, 0x5E]) {
            guard let n = SDPBytes.decimal(bytes[2...], max: 63) else { return nil }
            return UInt64(1) << n
        }
        return SDPBytes.decimal(bytes[...])
    }

    /// The master key: the first `suite.keyLength` bytes of `keySalt`.
    public func masterKey(for suite: SDPCryptoSuite) -> [UInt8]? {
        guard let k = suite.keyLength, let s = suite.saltLength, keySalt.count == k + s else { return nil }
        return Array(keySalt[0..<k])
    }

    /// The master salt: the bytes of `keySalt` after the master key.
    public func masterSalt(for suite: SDPCryptoSuite) -> [UInt8]? {
        guard let k = suite.keyLength, let s = suite.saltLength, keySalt.count == k + s else { return nil }
        return Array(keySalt[k...])
    }

    /// The text of the key parameter.
    public var text: String {
        guard isInline else { return "\(method):\(rawInfo ?? "")" }
        var s = "\(method):" + SDPBase64.encode(keySalt)
        if let lifetime { s += "|\(lifetime)" }
        if let mkiValue, let mkiLength { s += "|\(mkiValue):\(mkiLength)" }
        return s
    }

    // Parses one key-param; `base` is the index columns are counted from.
    static func parse(_ text: ArraySlice<UInt8>, base: Int, suite: SDPCryptoSuite) throws(SIPParseError) -> SDPCryptoKeyParameter {
        func fail(_ reason: String, _ at: Int) -> SIPParseError {
            SIPParseError(reason, line: 0, column: at - base + 1)
        }
        guard let colon = SDPBytes.firstIndex(of: SDPBytes.colon, in: text) else {
            throw fail("crypto key parameter needs <method>:<info>", text.startIndex)
        }
        let method = text[text.startIndex..<colon]
        let info = text[(colon + 1)...]
        guard SDPBytes.isToken(method) else { throw fail("crypto key method is not a token", text.startIndex) }
        guard SDPBytes.equalsIgnoringCase(SDPBytes.string(method), "inline") else {
            guard !info.isEmpty else { throw fail("crypto key info is empty", colon + 1) }
            return SDPCryptoKeyParameter(method: SDPBytes.string(method), rawInfo: SDPBytes.string(info))
        }
        let parts = SDPBytes.split(info, on: SDPBytes.pipe)
        guard parts.count <= 3 else { throw fail("crypto inline key has too many '|' fields", info.startIndex) }
        guard let keySalt = SDPBase64.decode(parts[0]), !keySalt.isEmpty else {
            throw fail("crypto inline key is not valid base64", parts[0].startIndex)
        }
        if let need = suite.keySaltLength, keySalt.count != need {
            throw fail("crypto key||salt for \(suite.rawValue) must be \(need) bytes, got \(keySalt.count)", parts[0].startIndex)
        }
        var result = SDPCryptoKeyParameter(keySalt: keySalt)
        result.method = SDPBytes.string(method)
        var rest = parts.dropFirst()
        // The lifetime comes before the MKI and is the field without ':'.
        if let field = rest.first, SDPBytes.firstIndex(of: SDPBytes.colon, in: field) == nil {
            var digits = field
            if field.starts(with: [0x32, 0x5E]) { digits = field.dropFirst(2) }
            guard SDPBytes.decimal(digits) != nil else {
                throw fail("crypto key lifetime must be digits or 2^digits", field.startIndex)
            }
            result.lifetime = SDPBytes.string(field)
            rest = rest.dropFirst()
        }
        if let field = rest.first {
            guard rest.count == 1, let mc = SDPBytes.firstIndex(of: SDPBytes.colon, in: field),
                  let value = SDPBytes.decimal(field[field.startIndex..<mc]),
                  field.endIndex - mc - 1 <= 3,
                  let length = SDPBytes.int(field[(mc + 1)...], max: 128), length >= 1 else {
                throw fail("crypto key MKI must be <value>:<length 1...128>", field.startIndex)
            }
            result.mkiValue = value
            result.mkiLength = length
        }
        return result
    }
}
