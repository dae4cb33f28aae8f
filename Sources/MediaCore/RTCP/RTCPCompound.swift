// RTCPCompound: parses a compound RTCP packet into values after the validity checks of RFC 3550 A.2 (§6.1, §6.4-§6.6).
// Not realtime: the values it returns hold arrays.

/// Compound RTCP parsing.
public enum RTCPCompound {
    /// Parses every packet of `datagram`. Refuses (A.2): a datagram shorter than a header; a first
    /// packet that is not SR or RR or has padding; any packet whose version is not 2; a length field
    /// running past the end or lengths that do not add up to the datagram exactly; padding on any packet
    /// but the last, or a padding count of 0 or longer than the body; an SR/RR/SDES/BYE body too short for
    /// its count field. Profile extensions after an SR or RR's report blocks are ignored.
    public static func parse(_ datagram: UnsafeRawBufferPointer) throws(RTCPError) -> [RTCPPacket] {
        let total = datagram.count
        guard total >= 4 else { throw .tooShort(count: total) }
        let first0 = datagram[0], firstType = datagram[1]
        if first0 >> 6 != 2 { throw .badVersion(offset: 0, version: first0 >> 6) }
        if first0 & 0x20 != 0 || (firstType != RTCPPacketType.senderReport && firstType != RTCPPacketType.receiverReport) {
            throw .firstPacketNotReport(packetType: firstType, padded: first0 & 0x20 != 0)
        }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < total {
            guard total - offset >= 4 else { throw .lengthMismatch(offset: offset) }
            let b0 = datagram[offset]
            let version = b0 >> 6
            guard version == 2 else { throw .badVersion(offset: offset, version: version) }
            let length = (Int(RTPBytes.readUInt16(datagram, offset + 2)) + 1) * 4
            guard length <= total - offset else { throw .lengthMismatch(offset: offset) }
            var bodyEnd = offset + length
            if b0 & 0x20 != 0 {
                guard offset + length == total else { throw .paddingNotLast(offset: offset) }
                let pad = Int(datagram[total - 1])
                guard pad >= 1, pad <= length - 4 else { throw .badPadding(offset: offset, count: pad) }
                bodyEnd -= pad
            }
            let body = UnsafeRawBufferPointer(rebasing: datagram[(offset + 4)..<bodyEnd])
            packets.append(try packet(type: datagram[offset + 1], count: b0 & 0x1F, body: body, offset: offset))
            offset += length
        }
        return packets
    }

    /// `parse(_:)` on an array of octets.
    public static func parse(_ datagram: [UInt8]) throws(RTCPError) -> [RTCPPacket] {
        let result: Result<[RTCPPacket], RTCPError> = datagram.withUnsafeBytes { bytes in
            do throws(RTCPError) { return .success(try parse(bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func packet(type: UInt8, count: UInt8, body: UnsafeRawBufferPointer, offset: Int) throws(RTCPError) -> RTCPPacket {
        let n = Int(count)
        let malformed = RTCPError.malformedPacket(offset: offset, packetType: type)
        switch type {
        case RTCPPacketType.senderReport:
            guard body.count >= 4 + RTCPSenderInfo.length + n * RTCPReportBlock.length else { throw malformed }
            let info = RTCPSenderInfo(
                ntpTimestamp: NTPTimestamp(seconds: RTPBytes.readUInt32(body, 4), fraction: RTPBytes.readUInt32(body, 8)),
                rtpTimestamp: RTPBytes.readUInt32(body, 12), packetCount: RTPBytes.readUInt32(body, 16),
                octetCount: RTPBytes.readUInt32(body, 20))
            let blocks = (0..<n).map { RTCPReportBlock.read(body, at: 24 + $0 * RTCPReportBlock.length) }
            return .senderReport(RTCPSenderReport(ssrc: RTPBytes.readUInt32(body, 0), senderInfo: info, reportBlocks: blocks))
        case RTCPPacketType.receiverReport:
            guard body.count >= 4 + n * RTCPReportBlock.length else { throw malformed }
            let blocks = (0..<n).map { RTCPReportBlock.read(body, at: 4 + $0 * RTCPReportBlock.length) }
            return .receiverReport(RTCPReceiverReport(ssrc: RTPBytes.readUInt32(body, 0), reportBlocks: blocks))
        case RTCPPacketType.sourceDescription:
            var chunks: [RTCPSourceDescription.Chunk] = []
            var o = 0
            for _ in 0..<n {
                guard body.count - o >= 4 else { throw malformed }
                let ssrc = RTPBytes.readUInt32(body, o)
                o += 4
                var items: [RTCPSourceDescription.Item] = []
                // Items until an END (type 0) octet, then null octets up to the next 32-bit boundary.
                while true {
                    guard o < body.count else { throw malformed }
                    let itemType = body[o]
                    if itemType == 0 { break }
                    guard body.count - o >= 2 else { throw malformed }
                    let len = Int(body[o + 1])
                    guard body.count - o - 2 >= len else { throw malformed }
                    items.append(.init(type: itemType, value: Array(body[(o + 2)..<(o + 2 + len)])))
                    o += 2 + len
                }
                o = (o + 4) & ~3   // past the END octet and the padding to a word boundary
                guard o <= body.count else { throw malformed }
                chunks.append(.init(ssrc: ssrc, items: items))
            }
            return .sourceDescription(RTCPSourceDescription(chunks: chunks))
        case RTCPPacketType.goodbye:
            guard body.count >= 4 * n else { throw malformed }
            let ssrcs = (0..<n).map { RTPBytes.readUInt32(body, $0 * 4) }
            var reason: [UInt8]?
            if body.count > 4 * n {
                let len = Int(body[4 * n])
                guard body.count - 4 * n - 1 >= len else { throw malformed }
                reason = Array(body[(4 * n + 1)..<(4 * n + 1 + len)])
            }
            return .goodbye(RTCPGoodbye(ssrcs: ssrcs, reason: reason))
        default:
            return .other(packetType: type, count: count, body: Array(body))
        }
    }
}
