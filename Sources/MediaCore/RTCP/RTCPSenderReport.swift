// RTCPSenderReport: a parsed SR packet (RFC 3550 §6.4.1).

/// SR: sender info and reception reports from the sender `ssrc` (§6.4.1).
public struct RTCPSenderReport: Sendable, Equatable {
    public var ssrc: UInt32
    public var senderInfo: RTCPSenderInfo
    public var reportBlocks: [RTCPReportBlock]

    public init(ssrc: UInt32, senderInfo: RTCPSenderInfo, reportBlocks: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.senderInfo = senderInfo
        self.reportBlocks = reportBlocks
    }
}
