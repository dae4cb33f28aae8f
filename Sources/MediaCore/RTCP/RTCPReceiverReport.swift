// RTCPReceiverReport: a parsed RR packet (RFC 3550 §6.4.2).

/// RR: reception reports from `ssrc`, a participant that is not sending (§6.4.2).
public struct RTCPReceiverReport: Sendable, Equatable {
    public var ssrc: UInt32
    public var reportBlocks: [RTCPReportBlock]

    public init(ssrc: UInt32, reportBlocks: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
    }
}
