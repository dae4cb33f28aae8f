// LegSecurity: how the box protects the audio it offers on one leg: plain RTP or SRTP with SDES keys.

import SIPCore

/// The media security of the offer the box sends on a leg.
public enum LegSecurity: Sendable, Hashable {
    /// RTP/AVP and no `a=crypto` line.
    case plain
    /// RTP/SAVP with one `a=crypto` line per suite (tags 1, 2, ... in this order, preferred first),
    /// each with a fresh inline key of the box's (RFC 4568 §5.1).
    case sdes(suites: [SDPCryptoSuite])

    /// The `m=` protocol the box offers: `RTP/AVP` or `RTP/SAVP`. The box never offers AVPF: it
    /// neither sends nor relays RTCP feedback.
    public var transportProtocol: String {
        switch self {
        case .plain: return "RTP/AVP"
        case .sdes: return "RTP/SAVP"
        }
    }

    /// The suites the box offers, preferred first (empty when plain).
    public var suites: [SDPCryptoSuite] {
        switch self {
        case .plain: return []
        case let .sdes(suites): return suites
        }
    }

    /// True for SRTP.
    public var isSecure: Bool { self != .plain }
}
