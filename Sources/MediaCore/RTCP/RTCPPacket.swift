// RTCPPacket: one packet of a compound RTCP packet as a value: SR, RR, SDES, BYE or another type kept as octets (RFC 3550 §6.4-§6.6).

/// One packet of a compound RTCP packet.
public enum RTCPPacket: Sendable, Equatable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sourceDescription(RTCPSourceDescription)
    case goodbye(RTCPGoodbye)
    /// APP, feedback (RFC 4585), XR (RFC 3611) and anything else: type, the five-bit count field, and the
    /// body after the 4-octet header without padding.
    case other(packetType: UInt8, count: UInt8, body: [UInt8])
}
