// SRTPSuite: the SRTP crypto-suites the box speaks (RFC 4568 §6.2, RFC 7714 §14) and their libsrtp2 policies.
import CSRTP
import CShim

/// An SRTP protection profile, named as in SDES `a=crypto` lines. Debian's libsrtp2 2.5 (NSS crypto)
/// supports all four.
public enum SRTPSuite: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// AES-128 counter mode, 80-bit HMAC-SHA1 tag (RFC 4568 §6.2.1).
    case aesCM128HmacSHA1_80
    /// AES-128 counter mode, 32-bit HMAC-SHA1 tag on SRTP; SRTCP keeps the 80-bit tag (RFC 4568 §6.2.2).
    case aesCM128HmacSHA1_32
    /// AES-128 GCM, 16-octet tag (RFC 7714 §14.2).
    case aeadAES128GCM
    /// AES-256 GCM, 16-octet tag (RFC 7714 §14.2).
    case aeadAES256GCM

    /// Finds a suite by its SDP name (`AES_CM_128_HMAC_SHA1_80`, ...); nil for one the box does not speak.
    public init?(sdpName: String) {
        guard let suite = SRTPSuite.allCases.first(where: { $0.sdpName == sdpName }) else { return nil }
        self = suite
    }

    /// The suite name in SDP (the same strings as SIPCore's `SDPCryptoSuite`).
    public var sdpName: String {
        switch self {
        case .aesCM128HmacSHA1_80: return "AES_CM_128_HMAC_SHA1_80"
        case .aesCM128HmacSHA1_32: return "AES_CM_128_HMAC_SHA1_32"
        case .aeadAES128GCM: return "AEAD_AES_128_GCM"
        case .aeadAES256GCM: return "AEAD_AES_256_GCM"
        }
    }

    /// Master key length in octets.
    public var keyLength: Int {
        switch self {
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32, .aeadAES128GCM: return 16
        case .aeadAES256GCM: return 32
        }
    }

    /// Master salt length in octets: 14 for counter mode (RFC 3711 §8.2), 12 for GCM (RFC 7714 §8.1).
    public var saltLength: Int {
        switch self {
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32: return 14
        case .aeadAES128GCM, .aeadAES256GCM: return 12
        }
    }

    /// Length of key||salt, as carried in an SDES inline key.
    public var keySaltLength: Int { keyLength + saltLength }

    /// Octets protection adds to an RTP packet (the authentication or GCM tag; no MKI).
    public var rtpOverhead: Int {
        switch self {
        case .aesCM128HmacSHA1_80: return 10
        case .aesCM128HmacSHA1_32: return 4
        case .aeadAES128GCM, .aeadAES256GCM: return 16
        }
    }

    /// Octets protection adds to an RTCP packet: the tag plus the 4-octet E||SRTCP index.
    public var rtcpOverhead: Int {
        switch self {
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32: return 10 + 4
        case .aeadAES128GCM, .aeadAES256GCM: return 16 + 4
        }
    }

    /// The suite name.
    public var description: String { sdpName }

    // Fills libsrtp's RTP and RTCP crypto policies for this suite.
    func configure(_ policy: inout srtp_policy_t) {
        switch self {
        case .aesCM128HmacSHA1_80:
            tb_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtp)
            tb_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
        case .aesCM128HmacSHA1_32:
            tb_srtp_policy_aes_cm_128_hmac_sha1_32(&policy.rtp)
            // RFC 4568 §6.2.2: SRTCP of this suite uses the 80-bit tag.
            tb_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
        case .aeadAES128GCM:
            tb_srtp_policy_aead_aes_128_gcm(&policy.rtp)
            tb_srtp_policy_aead_aes_128_gcm(&policy.rtcp)
        case .aeadAES256GCM:
            tb_srtp_policy_aead_aes_256_gcm(&policy.rtp)
            tb_srtp_policy_aead_aes_256_gcm(&policy.rtcp)
        }
    }
}
