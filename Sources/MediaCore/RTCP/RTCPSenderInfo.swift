// RTCPSenderInfo: the sender-info section of an RTCP sender report (RFC 3550 §6.4.1).

/// The sender-info section of an SR: when and how much the sender sent.
public struct RTCPSenderInfo: Sendable, Equatable {
    public var ntpTimestamp: NTPTimestamp
    /// The same instant in the stream's RTP timestamp units.
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    /// Payload octets sent (headers and padding excluded).
    public var octetCount: UInt32

    @inlinable public static var length: Int { 20 }

    @inlinable
    public init(ntpTimestamp: NTPTimestamp, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32) {
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
    }
}
