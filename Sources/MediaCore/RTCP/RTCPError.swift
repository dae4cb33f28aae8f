// RTCPError: why a compound RTCP packet was refused (RFC 3550 §6.1, A.2).

/// A refusal from the RTCP parser. Offsets are octet positions from the start of the compound packet.
public enum RTCPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Fewer octets than one RTCP header (or none at all).
    case tooShort(count: Int)
    /// A packet whose version is not 2.
    case badVersion(offset: Int, version: UInt8)
    /// The first packet is not an SR or RR (A.2), or it has the padding bit set.
    case firstPacketNotReport(packetType: UInt8, padded: Bool)
    /// A packet's length field runs past the end, or the lengths do not add up to the datagram.
    case lengthMismatch(offset: Int)
    /// A packet other than the last has the padding bit set.
    case paddingNotLast(offset: Int)
    /// The padding count is zero or longer than the packet's body.
    case badPadding(offset: Int, count: Int)
    /// An SR, RR, SDES or BYE body is shorter than its count field requires, or an SDES chunk is malformed.
    case malformedPacket(offset: Int, packetType: UInt8)

    public var description: String {
        switch self {
        case .tooShort(let count): "RTCP packet of \(count) octets is shorter than a header"
        case .badVersion(let offset, let version): "RTCP version \(version) at offset \(offset), expected 2"
        case .firstPacketNotReport(let type, let padded):
            padded ? "first RTCP packet (type \(type)) has padding" : "first RTCP packet is type \(type), not SR or RR"
        case .lengthMismatch(let offset): "RTCP length at offset \(offset) does not add up to the datagram"
        case .paddingNotLast(let offset): "RTCP padding on a packet at offset \(offset) that is not the last"
        case .badPadding(let offset, let count): "RTCP padding count \(count) invalid at offset \(offset)"
        case .malformedPacket(let offset, let type): "RTCP packet type \(type) at offset \(offset) is malformed"
        }
    }
}
