// RTCPCompoundReport: an SR or RR, SDES CNAME and optional BYE written into a caller's buffer (RFC 3550 §6.1, §6.4, §6.5.1, §6.6).
// Realtime: `write(into:)` and the report-block setters allocate nothing; all storage is inline.

/// The compound packet a media endpoint sends every report interval: SR when `senderInfo` is set, RR
/// otherwise, with up to `maxReportBlocks` report blocks; then SDES with this source's CNAME; then, when
/// `goodbye` is set, a BYE for this source (§6.1: every compound packet carries SR/RR and CNAME).
public struct RTCPCompoundReport: Sendable {
    /// Report blocks this type holds inline (a leg relays one far-end source; four leaves room).
    @inlinable public static var maxReportBlocks: Int { 4 }

    public var ssrc: UInt32
    public var cname: RTCPCName
    /// Set: SR with this sender info. nil: RR.
    public var senderInfo: RTCPSenderInfo?
    /// Append a BYE for `ssrc`.
    public var goodbye: Bool
    @usableFromInline var blocks: (RTCPReportBlock, RTCPReportBlock, RTCPReportBlock, RTCPReportBlock)
    @usableFromInline var storedBlockCount: Int
    /// Report blocks in use (0...4).
    @inlinable public var reportBlockCount: Int { storedBlockCount }

    public init(ssrc: UInt32, cname: RTCPCName, senderInfo: RTCPSenderInfo? = nil, goodbye: Bool = false) {
        self.ssrc = ssrc
        self.cname = cname
        self.senderInfo = senderInfo
        self.goodbye = goodbye
        let empty = RTCPReportBlock(ssrc: 0)
        blocks = (empty, empty, empty, empty)
        storedBlockCount = 0
    }

    /// Adds a report block; false when `maxReportBlocks` are already there.
    @inlinable @discardableResult
    public mutating func appendReportBlock(_ b: RTCPReportBlock) -> Bool {
        switch storedBlockCount {
        case 0: blocks.0 = b
        case 1: blocks.1 = b
        case 2: blocks.2 = b
        case 3: blocks.3 = b
        default: return false
        }
        storedBlockCount += 1
        return true
    }

    @inlinable
    public mutating func removeAllReportBlocks() { storedBlockCount = 0 }

    /// The report block at `index` (0..<reportBlockCount).
    @inlinable
    public func reportBlock(_ index: Int) -> RTCPReportBlock? {
        guard index >= 0, index < reportBlockCount else { return nil }
        switch index {
        case 0: return blocks.0
        case 1: return blocks.1
        case 2: return blocks.2
        default: return blocks.3
        }
    }

    /// Octets of the SDES chunk's items: CNAME item, END octet, null padding to a 32-bit boundary.
    @inlinable
    var sdesItemsLength: Int { (2 + cname.count + 1 + 3) & ~3 }

    /// Octets `write(into:)` needs.
    @inlinable
    public var byteCount: Int {
        let report = (senderInfo == nil ? 8 : 8 + RTCPSenderInfo.length) + reportBlockCount * RTCPReportBlock.length
        return report + 8 + sdesItemsLength + (goodbye ? 8 : 0)
    }

    /// Writes the compound packet at the start of `p`; returns its length, or 0 (nothing written) when
    /// `p` is shorter than `byteCount`.
    @inlinable
    public func write(into p: UnsafeMutableRawBufferPointer) -> Int {
        let total = byteCount
        guard p.count >= total else { return 0 }
        var o = 0
        // SR or RR.
        let reportLength = (senderInfo == nil ? 8 : 8 + RTCPSenderInfo.length) + reportBlockCount * RTCPReportBlock.length
        writeHeader(p, at: o, count: reportBlockCount,
                    type: senderInfo == nil ? RTCPPacketType.receiverReport : RTCPPacketType.senderReport,
                    length: reportLength)
        RTPBytes.writeUInt32(p, o + 4, ssrc)
        o += 8
        if let info = senderInfo {
            RTPBytes.writeUInt32(p, o, info.ntpTimestamp.seconds)
            RTPBytes.writeUInt32(p, o + 4, info.ntpTimestamp.fraction)
            RTPBytes.writeUInt32(p, o + 8, info.rtpTimestamp)
            RTPBytes.writeUInt32(p, o + 12, info.packetCount)
            RTPBytes.writeUInt32(p, o + 16, info.octetCount)
            o += RTCPSenderInfo.length
        }
        for i in 0..<reportBlockCount {
            reportBlock(i)?.write(into: p, at: o)
            o += RTCPReportBlock.length
        }
        // SDES, one chunk: SSRC, CNAME item, END, null padding.
        let items = sdesItemsLength
        writeHeader(p, at: o, count: 1, type: RTCPPacketType.sourceDescription, length: 8 + items)
        RTPBytes.writeUInt32(p, o + 4, ssrc)
        o += 8
        p[o] = RTCPSourceDescription.ItemType.cname
        p[o + 1] = UInt8(truncatingIfNeeded: cname.count)
        withUnsafeBytes(of: cname.storage) { name in
            for i in 0..<cname.count { p[o + 2 + i] = name[i] }
        }
        for i in (o + 2 + cname.count)..<(o + items) { p[i] = 0 }
        o += items
        if goodbye {
            writeHeader(p, at: o, count: 1, type: RTCPPacketType.goodbye, length: 8)
            RTPBytes.writeUInt32(p, o + 4, ssrc)
            o += 8
        }
        return o
    }

    /// V=2, P=0, count, type, length in 32-bit words minus one.
    @inlinable
    func writeHeader(_ p: UnsafeMutableRawBufferPointer, at o: Int, count: Int, type: UInt8, length: Int) {
        p[o] = 0x80 | UInt8(truncatingIfNeeded: count & 0x1F)
        p[o + 1] = type
        RTPBytes.writeUInt16(p, o + 2, UInt16(truncatingIfNeeded: length / 4 - 1))
    }
}
