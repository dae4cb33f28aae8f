// SDPStaticPayloadTypes: the RFC 3551 §6 static audio payload types trunkbox uses when no rtpmap is given.

extension SDPRtpMap {
    /// Static payload types the box understands without an `a=rtpmap` line (RFC 3551 §6 table 4):
    /// 0 PCMU/8000, 8 PCMA/8000, 9 G722/8000, 13 CN/8000, 18 G729/8000.
    public static let staticPayloadTypes: [SDPRtpMap] = [
        SDPRtpMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000),
        SDPRtpMap(payloadType: 8, encodingName: "PCMA", clockRate: 8000),
        SDPRtpMap(payloadType: 9, encodingName: "G722", clockRate: 8000),
        SDPRtpMap(payloadType: 13, encodingName: "CN", clockRate: 8000),
        SDPRtpMap(payloadType: 18, encodingName: "G729", clockRate: 8000),
    ]

    /// The implied mapping of a static payload type in `staticPayloadTypes`, nil otherwise.
    public static func staticPayloadType(_ payloadType: UInt8) -> SDPRtpMap? {
        staticPayloadTypes.first { $0.payloadType == payloadType }
    }
}
