// SRTPKey: one SDES master key as an SRTP context needs it: crypto tag, suite and key||salt.

import SIPCore

/// A master key and salt for one direction of one SRTP stream, as exchanged in an `a=crypto` line.
///
/// Hand it to the relay as `SRTPKeyMaterial(suite: SRTPSuite(sdpName: key.suite.rawValue)!, keySalt: key.keySalt)`.
/// `description` names the tag and suite only, so a logged key never shows its bytes.
public struct SRTPKey: Sendable, Hashable, CustomStringConvertible {
    /// The `a=crypto` tag the key was offered or answered under.
    public var tag: UInt32
    /// The crypto suite.
    public var suite: SDPCryptoSuite
    /// Master key followed by master salt (`suite.keySaltLength` bytes for a known suite).
    public var keySalt: [UInt8]

    /// Creates a key.
    public init(tag: UInt32, suite: SDPCryptoSuite, keySalt: [UInt8]) {
        self.tag = tag
        self.suite = suite
        self.keySalt = keySalt
    }

    /// The key of an `a=crypto` line: its first inline key parameter; nil when it has none.
    public init?(_ crypto: SDPCrypto) {
        guard let keySalt = crypto.keySalt else { return nil }
        self.init(tag: crypto.tag, suite: crypto.suite, keySalt: keySalt)
    }

    /// The master key: the first `suite.keyLength` bytes; nil for an unknown suite or a wrong length.
    public var masterKey: [UInt8]? { SDPCryptoKeyParameter(keySalt: keySalt).masterKey(for: suite) }

    /// The master salt: the bytes after the master key; nil for an unknown suite or a wrong length.
    public var masterSalt: [UInt8]? { SDPCryptoKeyParameter(keySalt: keySalt).masterSalt(for: suite) }

    /// The `a=crypto` line that carries this key inline, with no lifetime or MKI.
    public var crypto: SDPCrypto {
        SDPCrypto(tag: tag, suite: suite, keyParameters: [SDPCryptoKeyParameter(keySalt: keySalt)])
    }

    /// `SRTPKey(tag 1, AES_CM_128_HMAC_SHA1_80, key hidden)`.
    public var description: String { "SRTPKey(tag \(tag), \(suite.rawValue), key hidden)" }

    /// A fresh key for `tag` and `suite` from `provider`, checked against the suite's key||salt length.
    static func make(tag: UInt32, suite: SDPCryptoSuite,
                     provider: (SDPCryptoSuite) -> [UInt8]) throws(CallMediaError) -> SRTPKey {
        let bytes = provider(suite)
        guard let need = suite.keySaltLength, bytes.count == need else {
            throw .invalidKeyMaterial(suite: suite, count: bytes.count)
        }
        return SRTPKey(tag: tag, suite: suite, keySalt: bytes)
    }

    /// The box's key for `tag`/`suite` in `previous` (the last description it sent on the leg), so a
    /// re-offer or re-answer keeps its key and the SRTP context; else a fresh key from `provider`.
    static func reuseOrMake(tag: UInt32, suite: SDPCryptoSuite, previous: SDPMedia?,
                            provider: (SDPCryptoSuite) -> [UInt8]) throws(CallMediaError) -> SRTPKey {
        if let previous, previous.isSecure,
           let old = previous.cryptos.first(where: { $0.tag == tag && $0.suite == suite }),
           let key = SRTPKey(old), let need = suite.keySaltLength, key.keySalt.count == need {
            return key
        }
        return try make(tag: tag, suite: suite, provider: provider)
    }
}
