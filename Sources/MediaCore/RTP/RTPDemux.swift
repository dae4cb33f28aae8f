// RTPDemux: tells RTCP from RTP on a multiplexed port by the second octet (RFC 5761 §4).
// Realtime: no allocation, no lock.

/// RTP/RTCP demultiplexing for rtcp-mux.
public enum RTPDemux {
    /// True when the packet's second octet is 192...223: RTCP packet types 192-223 (FIR..., SR 200, RR 201,
    /// SDES 202, BYE 203, APP 204, RTPFB 205, PSFB 206), which RTP avoids by not using payload types
    /// 64-95 (RFC 5761 §4). A packet shorter than 2 octets is not RTCP.
    @inlinable
    public static func isRTCP(_ p: UnsafeRawBufferPointer) -> Bool {
        guard p.count >= 2 else { return false }
        let pt = p[1]
        return pt >= 192 && pt <= 223
    }
}
