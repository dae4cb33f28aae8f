// MediaConfig: RTP port range, codec preference order and packet time.

/// Media settings: RTP uses even ports from `rtpPortLow` (RTCP the odd one above) up to `rtpPortHigh`.
public struct MediaConfig: Sendable, Hashable {
    public var rtpPortLow: Int
    public var rtpPortHigh: Int
    /// Codecs offered, most preferred first.
    public var codecs: [ConfigCodec]
    public var ptime: Int
    /// A call with no RTP either way for this long (and not on hold) is hung up; 0: never.
    public var rtpTimeoutSeconds: Int = 30

    public init(rtpPortLow: Int = 10_000, rtpPortHigh: Int = 20_000, codecs: [ConfigCodec] = [.pcmu, .pcma, .g729], ptime: Int = 20) {
        self.rtpPortLow = rtpPortLow
        self.rtpPortHigh = rtpPortHigh
        self.codecs = codecs
        self.ptime = ptime
    }

    /// How many RTP/RTCP port pairs the range holds (calls need one per leg).
    public var portPairs: Int { max(0, (rtpPortHigh - rtpPortLow + 1) / 2) }
}
