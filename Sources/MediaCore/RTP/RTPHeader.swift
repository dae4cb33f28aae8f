// RTPHeader: the fixed RTP header, CSRC list, extension and padding of one packet (RFC 3550 §5.1, §5.3.1).
// Realtime: `parse` allocates nothing, locks nothing and never traps on any input.

/// The fields of an RTP packet's header that a relay reads, plus where the payload lies.
///
/// `headerLength` counts the 12 fixed octets, the CSRC list and the header extension, so the payload
/// starts at `headerLength` and is `payloadLength` octets long (padding excluded).
public struct RTPHeader: Sendable, Equatable {
    /// M: set on the first packet of a talkspurt for audio (RFC 3551 §4.1).
    public var marker: Bool
    /// PT, seven bits.
    public var payloadType: UInt8
    public var sequence: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// Octets before the payload: 12 + 4·CC + (4 + 4·extension length when X is set).
    public var headerLength: Int
    /// Payload octets, excluding any padding.
    public var payloadLength: Int
    /// CC: number of CSRC identifiers (0...15).
    public var csrcCount: UInt8
    /// X: a header extension follows the CSRC list.
    public var hasExtension: Bool
    /// Padding octets at the end of the packet (0 when P is clear), including the count octet itself.
    public var paddingLength: Int

    /// The fixed RTP version this type reads and writes.
    @inlinable public static var version: UInt8 { 2 }
    /// Octets of the fixed header (RFC 3550 §5.1).
    @inlinable public static var fixedLength: Int { 12 }

    /// A header to write: no CSRC, no extension, no padding.
    @inlinable
    public init(marker: Bool = false, payloadType: UInt8, sequence: UInt16, timestamp: UInt32, ssrc: UInt32,
                payloadLength: Int = 0) {
        self.marker = marker
        self.payloadType = payloadType & 0x7F
        self.sequence = sequence
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.headerLength = RTPHeader.fixedLength
        self.payloadLength = payloadLength
        self.csrcCount = 0
        self.hasExtension = false
        self.paddingLength = 0
    }

    /// Reads the header of `packet`; nil when it is not a well-formed RTP version 2 packet: shorter than 12
    /// octets, version not 2, the CSRC list or extension running past the end, or (P set) a padding count of
    /// zero or longer than what follows the header (RFC 3550 A.1 "valid octet count").
    @inlinable
    public static func parse(_ packet: UnsafeRawBufferPointer) -> RTPHeader? {
        let count = packet.count
        guard count >= fixedLength else { return nil }
        let b0 = packet[0]
        guard b0 >> 6 == version else { return nil }
        let hasPadding = b0 & 0x20 != 0
        let hasExtension = b0 & 0x10 != 0
        let cc = b0 & 0x0F
        var headerLength = fixedLength + 4 * Int(cc)
        if hasExtension {
            guard headerLength + 4 <= count else { return nil }
            let words = Int(packet[headerLength + 2]) << 8 | Int(packet[headerLength + 3])
            headerLength += 4 + 4 * words
        }
        guard headerLength <= count else { return nil }
        var padding = 0
        if hasPadding {
            guard count > headerLength else { return nil }
            padding = Int(packet[count - 1])
            guard padding >= 1, padding <= count - headerLength else { return nil }
        }
        let b1 = packet[1]
        var h = RTPHeader(marker: b1 & 0x80 != 0, payloadType: b1 & 0x7F,
                          sequence: RTPBytes.readUInt16(packet, 2),
                          timestamp: RTPBytes.readUInt32(packet, 4),
                          ssrc: RTPBytes.readUInt32(packet, 8),
                          payloadLength: count - headerLength - padding)
        h.headerLength = headerLength
        h.csrcCount = cc
        h.hasExtension = hasExtension
        h.paddingLength = padding
        return h
    }
}
