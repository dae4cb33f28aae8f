// RTCPGoodbye: a parsed BYE packet, the leaving sources and an optional reason (RFC 3550 §6.6).

/// BYE: the listed sources are leaving, with an optional reason (§6.6).
public struct RTCPGoodbye: Sendable, Equatable {
    public var ssrcs: [UInt32]
    /// The reason octets as sent (UTF-8 text by §6.6), nil when none.
    public var reason: [UInt8]?

    public init(ssrcs: [UInt32], reason: [UInt8]? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    public var reasonText: String? { reason.map { String(decoding: $0, as: UTF8.self) } }
}
