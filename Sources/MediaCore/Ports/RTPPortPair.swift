// RTPPortPair: an even RTP port and the RTCP port after it (RFC 3550 §11).

/// An RTP port and its RTCP port (RTP + 1, RFC 3550 §11; with rtcp-mux both travel on `rtp`).
public struct RTPPortPair: Sendable, Hashable {
    /// Even.
    public let rtp: UInt16
    public var rtcp: UInt16 { rtp + 1 }
}
