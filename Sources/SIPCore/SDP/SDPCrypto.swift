// SDPCrypto: the SDES `a=crypto` attribute (RFC 4568 §4, §9.1): tag, crypto-suite, key parameters, session parameters.

/// `a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]`.
public struct SDPCrypto: Sendable, Hashable {
    /// Identifies this line within its media section; the answer echoes the accepted tag. 0...999999999.
    public var tag: UInt32
    /// The crypto-suite.
    public var suite: SDPCryptoSuite
    /// One or more key parameters (several only with MKIs).
    public var keyParameters: [SDPCryptoKeyParameter]
    /// Session parameters such as `KDR=1`, `UNENCRYPTED_SRTP`, `FEC_ORDER=FEC_SRTP`, verbatim.
    public var sessionParameters: [String]

    /// Creates a crypto attribute view.
    public init(tag: UInt32, suite: SDPCryptoSuite, keyParameters: [SDPCryptoKeyParameter], sessionParameters: [String] = []) {
        self.tag = tag
        self.suite = suite
        self.keyParameters = keyParameters
        self.sessionParameters = sessionParameters
    }

    /// Creates a crypto line with a single inline key, refusing key material of the wrong length for a known suite.
    public init(tag: UInt32, suite: SDPCryptoSuite, keySalt: [UInt8], lifetime: String? = nil) throws(SIPParseError) {
        if let need = suite.keySaltLength, keySalt.count != need {
            throw SIPParseError("crypto key||salt for \(suite.rawValue) must be \(need) bytes, got \(keySalt.count)")
        }
        guard tag <= 999_999_999 else { throw SIPParseError("crypto tag must have at most 9 digits") }
        self.init(tag: tag, suite: suite, keyParameters: [SDPCryptoKeyParameter(keySalt: keySalt, lifetime: lifetime)])
    }

    /// Parses the value of an `a=crypto` attribute (the text after `crypto:`), checking the key||salt
    /// length of known suites.
    public init(attributeValue: String) throws(SIPParseError) {
        self = try SDPCrypto.parse(Array(attributeValue.utf8)[...])
    }

    /// The decoded key||salt of the first inline key parameter.
    public var keySalt: [UInt8]? {
        keyParameters.first { $0.isInline }?.keySalt
    }

    /// The value of the `a=crypto` attribute.
    public var attributeValue: String {
        var s = "\(tag) \(suite.rawValue) "
        var first = true
        for k in keyParameters {
            if !first { s += ";" }
            s += k.text
            first = false
        }
        for p in sessionParameters { s += " " + p }
        return s
    }

    /// The full `a=crypto` attribute.
    public var attribute: SDPAttribute { SDPAttribute("crypto", attributeValue) }

    static func parse(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPCrypto {
        let base = value.startIndex
        func fail(_ reason: String, _ at: Int) -> SIPParseError {
            SIPParseError(reason, line: 0, column: at - base + 1)
        }
        let f = SDPBytes.fields(value)
        guard f.count >= 3 else { throw fail("crypto needs <tag> <crypto-suite> <key-params>", base) }
        guard f[0].count <= 9, let tag = SDPBytes.decimal(f[0], max: 999_999_999) else {
            throw fail("crypto tag must be 1 to 9 digits", f[0].startIndex)
        }
        guard !f[1].isEmpty, f[1].allSatisfy({ SDPBytes.isAlpha($0) || SDPBytes.isDigit($0) || $0 == 0x5F }) else {
            throw fail("crypto-suite must be letters, digits and '_'", f[1].startIndex)
        }
        let suite = SDPCryptoSuite(SDPBytes.string(f[1]))
        let keyTexts = SDPBytes.split(f[2], on: SDPBytes.semicolon)
        guard keyTexts.count <= SDPLimits.maxCryptoKeyParameters else {
            throw fail("crypto has more than \(SDPLimits.maxCryptoKeyParameters) key parameters", f[2].startIndex)
        }
        var keys: [SDPCryptoKeyParameter] = []
        keys.reserveCapacity(keyTexts.count)
        for k in keyTexts {
            keys.append(try SDPCryptoKeyParameter.parse(k, base: base, suite: suite))
        }
        var session: [String] = []
        for p in f.dropFirst(3) {
            guard p.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
                throw fail("crypto session parameter must be visible ASCII", p.startIndex)
            }
            session.append(SDPBytes.string(p))
        }
        return SDPCrypto(tag: UInt32(tag), suite: suite, keyParameters: keys, sessionParameters: session)
    }
}
