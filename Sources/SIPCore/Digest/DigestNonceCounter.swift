// DigestNonceCounter: the client's nonce-count (nc) bookkeeping of RFC 7616 §3.4 / RFC 2617 §3.2.2.

/// Counts the requests sent with one nonce: 1, 2, 3, ... and back to 1 when the server hands out a
/// new nonce (for example in a `stale=true` challenge).
public struct DigestNonceCounter: Sendable, Hashable {
    /// The nonce being counted; nil before first use.
    public private(set) var nonce: String?
    /// The last count handed out for `nonce`; 0 before first use.
    public private(set) var count: UInt32 = 0

    /// A counter that has counted nothing.
    public init() {}

    // A counter resumed at `count` for `nonce` (used to test exhaustion).
    init(nonce: String, count: UInt32) {
        self.nonce = nonce
        self.count = count
    }

    /// The `nc` for the next request with `nonce`: one more than last time for the same nonce, 1 for
    /// a new one. Throws after 2^32 - 1 uses of one nonce rather than wrap around to a replayed value.
    public mutating func next(for nonce: String) throws -> UInt32 {
        if nonce != self.nonce {
            self.nonce = nonce
            count = 0
        }
        guard count < UInt32.max else {
            throw SIPParseError("nonce count exhausted for this nonce; a new challenge is needed")
        }
        count += 1
        return count
    }

    /// Forgets the nonce, so the next use starts again at 1.
    public mutating func reset() {
        nonce = nil
        count = 0
    }
}
