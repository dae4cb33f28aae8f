// CallMediaError: why the box cannot bridge a call's media, with the SIP status it answers.

import SIPCore

/// A reason the media-anchoring B2BUA cannot build the SDP for the other leg. Each case carries the
/// SIP status the box answers the INVITE (or re-INVITE) with, and a sentence an installer can read.
public enum CallMediaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The description has no active audio stream over RTP/AVP, RTP/SAVP, RTP/AVPF or RTP/SAVPF.
    case noAudioStream
    /// None of the offered audio codecs is allowed on the other leg (telephone-event and CN alone do not count).
    case noCommonCodec
    /// Secure RTP was offered (or is required) but no offered crypto suite is one the box supports.
    case noSupportedCryptoSuite
    /// The trunk profile requires SRTP and the stream is plain RTP.
    case srtpRequired
    /// The key provider returned key||salt of the wrong length for the suite (a fault in the box).
    case invalidKeyMaterial(suite: SDPCryptoSuite, count: Int)
    /// The far end rejected the audio stream (port 0) in its answer.
    case audioRejectedByFarEnd
    /// The answer from the other leg does not fit the offer the box sent; the text says how.
    case answerMismatch(String)
    /// The anchored stream has no connection address (no session- or media-level `c=`).
    case noConnectionAddress

    /// The SIP status the box answers with: 488 Not Acceptable Here when the media cannot be
    /// negotiated, 400 for a description without an address, 500 when the box's own keys are wrong.
    public var responseCode: Int {
        switch self {
        case .noAudioStream, .noCommonCodec, .noSupportedCryptoSuite, .srtpRequired, .audioRejectedByFarEnd,
             .answerMismatch:
            return 488
        case .noConnectionAddress:
            return 400
        case .invalidKeyMaterial:
            return 500
        }
    }

    /// The reason phrase that goes with `responseCode`.
    public var reasonPhrase: String {
        switch responseCode {
        case 400: return "Bad Request"
        case 500: return "Server Internal Error"
        default: return "Not Acceptable Here"
        }
    }

    /// What went wrong, in plain words.
    public var reason: String {
        switch self {
        case .noAudioStream:
            return "the call offers no audio stream the box can relay"
        case .noCommonCodec:
            return "none of the offered codecs is allowed on the other side of the call"
        case .noSupportedCryptoSuite:
            return "secure audio (SRTP) was asked for, but with no encryption suite the box supports"
        case .srtpRequired:
            return "this trunk requires secure audio (SRTP) and the other side offered plain RTP"
        case let .invalidKeyMaterial(suite, count):
            return "the box produced a \(count)-byte SRTP key for \(suite.rawValue), which needs \(suite.keySaltLength ?? 0) bytes"
        case .audioRejectedByFarEnd:
            return "the far end refused the audio stream"
        case let .answerMismatch(detail):
            return "the far end's answer does not match the box's offer: \(detail)"
        case .noConnectionAddress:
            return "the session description says no address to send audio to"
        }
    }

    /// `<code> <reason phrase>: <reason>`.
    public var description: String { "\(responseCode) \(reasonPhrase): \(reason)" }
}
