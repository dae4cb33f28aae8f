// RTCPScanner: walks a compound RTCP packet without allocating, after the A.2 header checks, handing out sender info, report blocks and BYE sources (RFC 3550 §6.4, §6.6, A.2).
// Realtime: `scan` allocates nothing and locks nothing; the callback is non-escaping.

/// One thing found in a compound RTCP packet.
public enum RTCPScanItem: Sendable, Equatable {
    /// An SR's sender: its SSRC and sender info.
    case senderInfo(ssrc: UInt32, RTCPSenderInfo)
    /// A report block from the SR or RR of `reporter`.
    case reportBlock(reporter: UInt32, RTCPReportBlock)
    /// A source leaving (one per SSRC of a BYE).
    case goodbye(ssrc: UInt32)
}

/// Allocation-free reading of the fields the media thread needs from incoming RTCP (RTT from LSR/DLSR,
/// the peer's view of loss and jitter, BYE).
public enum RTCPScanner {
    /// Checks `datagram` as `RTCPCompound.parse` does at packet level (A.2: version 2 everywhere, first
    /// packet SR or RR without padding, lengths adding up exactly, padding only on the last packet with
    /// a valid count, SR/RR/BYE bodies long enough for their counts), and only when all of it is valid
    /// calls `body` for each SR sender info, report block and BYE source, in order. SDES and other types
    /// are skipped. Returns nil on success, else the reason (and `body` was not called).
    @inlinable
    public static func scan(_ datagram: UnsafeRawBufferPointer, _ body: (RTCPScanItem) -> Void) -> RTCPError? {
        if let error = walk(datagram, report: false, body) { return error }
        _ = walk(datagram, report: true, body)
        return nil
    }

    /// One pass: validates, and calls `body` with the items when `report` is set.
    @inlinable
    static func walk(_ p: UnsafeRawBufferPointer, report: Bool, _ body: (RTCPScanItem) -> Void) -> RTCPError? {
        let total = p.count
        guard total >= 4 else { return .tooShort(count: total) }
        if p[0] >> 6 != 2 { return .badVersion(offset: 0, version: p[0] >> 6) }
        if p[0] & 0x20 != 0 || (p[1] != RTCPPacketType.senderReport && p[1] != RTCPPacketType.receiverReport) {
            return .firstPacketNotReport(packetType: p[1], padded: p[0] & 0x20 != 0)
        }
        var offset = 0
        while offset < total {
            guard total - offset >= 4 else { return .lengthMismatch(offset: offset) }
            let b0 = p[offset]
            guard b0 >> 6 == 2 else { return .badVersion(offset: offset, version: b0 >> 6) }
            let length = (Int(RTPBytes.readUInt16(p, offset + 2)) + 1) * 4
            guard length <= total - offset else { return .lengthMismatch(offset: offset) }
            var bodyEnd = offset + length
            if b0 & 0x20 != 0 {
                guard offset + length == total else { return .paddingNotLast(offset: offset) }
                let pad = Int(p[total - 1])
                guard pad >= 1, pad <= length - 4 else { return .badPadding(offset: offset, count: pad) }
                bodyEnd -= pad
            }
            let type = p[offset + 1]
            let count = Int(b0 & 0x1F)
            let start = offset + 4
            let bodyLength = bodyEnd - start
            switch type {
            case RTCPPacketType.senderReport, RTCPPacketType.receiverReport:
                let isSR = type == RTCPPacketType.senderReport
                let blocksAt = start + 4 + (isSR ? RTCPSenderInfo.length : 0)
                guard bodyLength >= blocksAt - start + count * RTCPReportBlock.length else {
                    return .malformedPacket(offset: offset, packetType: type)
                }
                if report {
                    let ssrc = RTPBytes.readUInt32(p, start)
                    if isSR {
                        body(.senderInfo(ssrc: ssrc, RTCPSenderInfo(
                            ntpTimestamp: NTPTimestamp(seconds: RTPBytes.readUInt32(p, start + 4), fraction: RTPBytes.readUInt32(p, start + 8)),
                            rtpTimestamp: RTPBytes.readUInt32(p, start + 12), packetCount: RTPBytes.readUInt32(p, start + 16),
                            octetCount: RTPBytes.readUInt32(p, start + 20))))
                    }
                    for i in 0..<count {
                        body(.reportBlock(reporter: ssrc, RTCPReportBlock.read(p, at: blocksAt + i * RTCPReportBlock.length)))
                    }
                }
            case RTCPPacketType.goodbye:
                guard bodyLength >= 4 * count else { return .malformedPacket(offset: offset, packetType: type) }
                if bodyLength > 4 * count, bodyLength - 4 * count - 1 < Int(p[start + 4 * count]) {
                    return .malformedPacket(offset: offset, packetType: type)
                }
                if report {
                    for i in 0..<count { body(.goodbye(ssrc: RTPBytes.readUInt32(p, start + 4 * i))) }
                }
            default:
                break
            }
            offset += length
        }
        return nil
    }
}
