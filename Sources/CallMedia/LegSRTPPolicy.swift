// LegSRTPPolicy: a trunk profile's SRTP setting (off, optional, required) and what it accepts.

import SIPCore

/// Whether a leg uses SRTP with SDES keys (RFC 4568), as set per trunk profile. The raw values are
/// the config words, so `LegSRTPPolicy(rawValue: profile.srtp.rawValue)` converts Config's `SRTPPolicy`.
///
/// - `off`: the box offers RTP/AVP without `a=crypto`, and refuses (488) an RTP/SAVP offer on this leg.
/// - `optional`: the box offers RTP/SAVP with its `a=crypto` lines but accepts an RTP/AVP answer
///   (and then sends plain RTP); it answers RTP/AVP offers with plain RTP and RTP/SAVP offers with SRTP.
/// - `required`: the box offers RTP/SAVP and refuses (488) a plain RTP answer or offer.
public enum LegSRTPPolicy: String, Sendable, Hashable, CaseIterable {
    /// Plain RTP only.
    case off
    /// SRTP offered, plain RTP accepted.
    case optional
    /// SRTP only.
    case required

    /// The security the box offers on a leg with this policy and these suites (preferred first):
    /// `.plain` when off or when no suite is given, else `.sdes(suites:)`.
    public func offerSecurity(suites: [SDPCryptoSuite]) -> LegSecurity {
        self == .off || suites.isEmpty ? .plain : .sdes(suites: suites)
    }

    /// Whether a plain RTP stream (RTP/AVP offer or answer) is acceptable on this leg.
    public var acceptsPlainRTP: Bool { self != .required }

    /// Whether a secure RTP stream (RTP/SAVP offer or answer) is acceptable on this leg.
    public var acceptsSRTP: Bool { self != .off }
}
