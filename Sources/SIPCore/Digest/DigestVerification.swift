// DigestVerification: the outcome of checking Digest credentials on the server side (RFC 7616 §3.6 and §5.5, RFC 3261 §22.3).

/// The verdict of `DigestVerifier.verify`.
public enum DigestVerification: Sendable, Hashable {
    /// The credentials are good. Store `nonceCount` as the last seen nc for the nonce (nil without qop).
    case accepted(nonceCount: UInt32?)
    /// The digest is right but for a nonce other than the current one: re-challenge with `stale=true`.
    case stale
    /// The credentials are refused.
    case rejected(Reason)

    /// Why credentials were refused.
    public enum Reason: Sendable, Hashable {
        /// The realm is not the one challenged.
        case realmMismatch
        /// The opaque value was not echoed unchanged.
        case opaqueMismatch
        /// The algorithm is not one the server offered.
        case algorithmNotOffered
        /// The algorithm was offered but cannot be computed here.
        case unsupportedAlgorithm
        /// A qop was used that the server did not offer (or none was offered).
        case qopNotOffered
        /// The server offered qop but the credentials have none.
        case qopRequired
        /// A cnonce is needed (qop or -sess) but missing or empty.
        case missingCnonce
        /// A qop is present but `nc` is missing.
        case missingNonceCount
        /// `nc` is not above the last one seen for this nonce: a replay.
        case nonceCountReplayed
        /// The digest-uri is not the Request-URI.
        case uriMismatch
        /// The username (or userhash) is not the expected account.
        case usernameMismatch
        /// The credentials carry a userhash but no account username was supplied to resolve it.
        case unresolvedUserhash
        /// The stored HA1 is for a different hash than the credentials' algorithm.
        case secretNotUsable
        /// The response digest is wrong: bad password, or a tampered request.
        case wrongResponse
    }

    /// True for `.accepted`.
    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
}
