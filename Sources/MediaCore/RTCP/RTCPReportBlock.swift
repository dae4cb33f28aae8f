// RTCPReportBlock: one reception report block of an SR or RR (RFC 3550 §6.4.1).
// Realtime: plain fixed-size values; reading and writing them allocates nothing.

/// One reception report block: what this side received from source `ssrc`.
public struct RTCPReportBlock: Sendable, Equatable {
    public var ssrc: UInt32
    /// Fraction lost since the previous report, in 1/256.
    public var fractionLost: UInt8
    /// Cumulative packets lost, 24-bit signed on the wire (−8,388,608...8,388,607).
    public var cumulativeLost: Int32
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// LSR: compact NTP time of the last SR received from `ssrc`, 0 if none.
    public var lastSR: UInt32
    /// DLSR: delay since that SR in 1/65536 s, 0 if none.
    public var delaySinceLastSR: UInt32

    /// Octets of a block on the wire.
    @inlinable public static var length: Int { 24 }

    @inlinable
    public init(ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0, extendedHighestSequence: UInt32 = 0,
                jitter: UInt32 = 0, lastSR: UInt32 = 0, delaySinceLastSR: UInt32 = 0) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSR = lastSR
        self.delaySinceLastSR = delaySinceLastSR
    }

    /// A block filled from receiver statistics (advances their report interval, RFC 3550 A.3).
    @inlinable
    public init(ssrc: UInt32, stats: inout RTPReceiverStats, lastSR: UInt32 = 0, delaySinceLastSR: UInt32 = 0) {
        let f = stats.reportBlockFields()
        self.init(ssrc: ssrc, fractionLost: f.fractionLost, cumulativeLost: f.cumulativeLost,
                  extendedHighestSequence: f.extendedHighestSequence, jitter: f.jitter,
                  lastSR: lastSR, delaySinceLastSR: delaySinceLastSR)
    }

    /// Reads a block at `offset`; the caller checked that 24 octets are there.
    @inlinable
    static func read(_ p: UnsafeRawBufferPointer, at o: Int) -> RTCPReportBlock {
        let lostField = RTPBytes.readUInt32(p, o + 4)
        return RTCPReportBlock(
            ssrc: RTPBytes.readUInt32(p, o),
            fractionLost: UInt8(truncatingIfNeeded: lostField >> 24),
            cumulativeLost: Int32(bitPattern: lostField << 8) >> 8,   // sign-extend 24 bits
            extendedHighestSequence: RTPBytes.readUInt32(p, o + 8),
            jitter: RTPBytes.readUInt32(p, o + 12),
            lastSR: RTPBytes.readUInt32(p, o + 16),
            delaySinceLastSR: RTPBytes.readUInt32(p, o + 20))
    }

    /// Writes the block at `offset`; the caller checked that 24 octets are there.
    @inlinable
    func write(into p: UnsafeMutableRawBufferPointer, at o: Int) {
        RTPBytes.writeUInt32(p, o, ssrc)
        let lost = UInt32(bitPattern: min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)) & 0xFF_FFFF
        RTPBytes.writeUInt32(p, o + 4, UInt32(fractionLost) << 24 | lost)
        RTPBytes.writeUInt32(p, o + 8, extendedHighestSequence)
        RTPBytes.writeUInt32(p, o + 12, jitter)
        RTPBytes.writeUInt32(p, o + 16, lastSR)
        RTPBytes.writeUInt32(p, o + 20, delaySinceLastSR)
    }
}
