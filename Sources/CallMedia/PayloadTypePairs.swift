// PayloadTypePairs: how RTP payload type numbers translate between the two legs of a relayed call.

import SIPCore

/// The payload type of each codec on each leg, for codecs negotiated on both (matched by encoding
/// name ignoring case, clock rate and channels; static types 0, 8, 9, 13, 18 by the RFC 3551 table).
/// Dynamic types may differ: telephone-event is often 101 toward a PBX and 96 toward a trunk.
public struct PayloadTypePairs: Sendable, Hashable {
    /// One codec's payload type on each leg.
    public struct Entry: Sendable, Hashable {
        /// Payload type on leg A.
        public var legA: UInt8
        /// Payload type on leg B.
        public var legB: UInt8
        /// The codec, as leg A names it.
        public var codec: SDPRtpMap

        /// Creates an entry.
        public init(legA: UInt8, legB: UInt8, codec: SDPRtpMap) {
            self.legA = legA
            self.legB = legB
            self.codec = codec
        }
    }

    /// The codecs present on both legs, in leg A's format order.
    public var entries: [Entry]

    /// Creates a map from its entries.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Pairs the formats of two negotiated media sections; each payload type is used at most once.
    public init(legA: SDPMedia, legB: SDPMedia) {
        let bMaps = legB.codecs
        var entries: [Entry] = []
        for a in legA.codecs where !entries.contains(where: { $0.legA == a.payloadType }) {
            if let b = bMaps.first(where: { b in
                AnchoredStream.sameEncoding(a, b) && !entries.contains { $0.legB == b.payloadType }
            }) {
                entries.append(Entry(legA: a.payloadType, legB: b.payloadType, codec: a))
            }
        }
        self.init(entries: entries)
    }

    /// Pairs the anchored streams of the two legs' negotiated descriptions (e.g. the answer the box
    /// sent on leg A and the answer it received on leg B).
    /// - Throws: `.noAudioStream` when either has no stream at `mediaIndex` (default: leg A's anchored stream).
    public init(legA: SDPSession, legB: SDPSession, mediaIndex: Int? = nil) throws(CallMediaError) {
        guard let index = mediaIndex ?? AnchoredStream.index(in: legA), legA.media.indices.contains(index),
              legB.media.indices.contains(index) else { throw .noAudioStream }
        self.init(legA: legA.media[index], legB: legB.media[index])
    }

    /// Every pair as `(legA, legB)` payload types.
    public var pairs: [(legA: UInt8, legB: UInt8)] { entries.map { ($0.legA, $0.legB) } }

    /// Leg B's payload type for leg A's `payloadType`.
    public func legB(forLegA payloadType: UInt8) -> UInt8? {
        entries.first { $0.legA == payloadType }?.legB
    }

    /// Leg A's payload type for leg B's `payloadType`.
    public func legA(forLegB payloadType: UInt8) -> UInt8? {
        entries.first { $0.legB == payloadType }?.legA
    }

    /// True when every shared codec has the same number on both legs (the relay need not rewrite).
    public var isIdentity: Bool { entries.allSatisfy { $0.legA == $0.legB } }
}
