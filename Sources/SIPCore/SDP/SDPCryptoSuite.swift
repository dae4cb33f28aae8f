// SDPCryptoSuite: SRTP crypto-suite names for SDES (RFC 4568 §6.2, RFC 6188, RFC 7714 §14) and their key||salt sizes.

/// The crypto-suite of an `a=crypto` line. Suites the box does not know are kept by name, with no length rule.
public struct SDPCryptoSuite: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The suite name as written in SDP.
    public var rawValue: String

    /// Creates a suite from its SDP name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a suite from its SDP name.
    public init(_ name: String) { self.rawValue = name }

    /// AES counter mode, 128-bit key, 80-bit HMAC-SHA1 tag (RFC 4568 §6.2.1).
    public static let aesCM128HmacSHA1_80 = SDPCryptoSuite("AES_CM_128_HMAC_SHA1_80")
    /// AES counter mode, 128-bit key, 32-bit HMAC-SHA1 tag (RFC 4568 §6.2.2).
    public static let aesCM128HmacSHA1_32 = SDPCryptoSuite("AES_CM_128_HMAC_SHA1_32")
    /// AES f8 mode, 128-bit key, 80-bit HMAC-SHA1 tag (RFC 4568 §6.2.3).
    public static let f8_128HmacSHA1_80 = SDPCryptoSuite("F8_128_HMAC_SHA1_80")
    /// AES counter mode, 192-bit key, 80-bit tag (RFC 6188).
    public static let aes192CMHmacSHA1_80 = SDPCryptoSuite("AES_192_CM_HMAC_SHA1_80")
    /// AES counter mode, 192-bit key, 32-bit tag (RFC 6188).
    public static let aes192CMHmacSHA1_32 = SDPCryptoSuite("AES_192_CM_HMAC_SHA1_32")
    /// AES counter mode, 256-bit key, 80-bit tag (RFC 6188).
    public static let aes256CMHmacSHA1_80 = SDPCryptoSuite("AES_256_CM_HMAC_SHA1_80")
    /// AES counter mode, 256-bit key, 32-bit tag (RFC 6188).
    public static let aes256CMHmacSHA1_32 = SDPCryptoSuite("AES_256_CM_HMAC_SHA1_32")
    /// AES-GCM, 128-bit key, 96-bit salt (RFC 7714 §14).
    public static let aeadAES128GCM = SDPCryptoSuite("AEAD_AES_128_GCM")
    /// AES-GCM, 256-bit key, 96-bit salt (RFC 7714 §14).
    public static let aeadAES256GCM = SDPCryptoSuite("AEAD_AES_256_GCM")

    /// Every suite whose key and salt sizes are known.
    public static let known: [SDPCryptoSuite] = [
        .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32, .f8_128HmacSHA1_80,
        .aes192CMHmacSHA1_80, .aes192CMHmacSHA1_32, .aes256CMHmacSHA1_80, .aes256CMHmacSHA1_32,
        .aeadAES128GCM, .aeadAES256GCM,
    ]

    /// Largest `keySaltLength` of any known suite (46); key material of this size suits every suite.
    public static let maximumKeySaltLength = 46

    /// Master key length in bytes, nil for an unknown suite.
    public var keyLength: Int? {
        switch rawValue {
        case "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "F8_128_HMAC_SHA1_80", "AEAD_AES_128_GCM": return 16
        case "AES_192_CM_HMAC_SHA1_80", "AES_192_CM_HMAC_SHA1_32": return 24
        case "AES_256_CM_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_32", "AEAD_AES_256_GCM": return 32
        default: return nil
        }
    }

    /// Master salt length in bytes (14 for the counter-mode suites, 12 for GCM), nil for an unknown suite.
    public var saltLength: Int? {
        switch rawValue {
        case "AEAD_AES_128_GCM", "AEAD_AES_256_GCM": return 12
        default: return keyLength == nil ? nil : 14
        }
    }

    /// Length of the decoded inline key||salt: 30 for AES_CM_128_HMAC_SHA1_80/_32, 28 for
    /// AEAD_AES_128_GCM, 44 for AEAD_AES_256_GCM; nil for an unknown suite.
    public var keySaltLength: Int? {
        guard let k = keyLength, let s = saltLength else { return nil }
        return k + s
    }

    /// The suite name.
    public var description: String { rawValue }
}
