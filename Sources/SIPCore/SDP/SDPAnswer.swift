// SDPAnswer: an RFC 3264 §6 answer together with the per-stream negotiation behind it.

/// The answer body and what was agreed for each offered stream.
public struct SDPAnswer: Sendable, Hashable {
    /// The answer session description, one `m=` line per offered `m=` line, in the same order.
    public var session: SDPSession
    /// The negotiation of each offered `m=` line, by index.
    public var media: [SDPMediaNegotiation]

    /// Creates an answer.
    public init(session: SDPSession, media: [SDPMediaNegotiation]) {
        self.session = session
        self.media = media
    }

    /// True when at least one stream was accepted.
    public var hasAcceptedMedia: Bool { media.contains(where: \.isAccepted) }
}
