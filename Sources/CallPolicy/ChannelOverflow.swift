// ChannelOverflow: the answer to a call that would exceed a profile's channels (503 + Retry-After, or 486).

import Config

/// The SIP answer for one call too many on a profile. Toward the PBX (outgoing calls) it follows
/// `RoutingConfig.overflowResponse`: 503 Service Unavailable with Retry-After, or 486 Busy Here. Toward the
/// trunk (incoming calls) it is always 486 Busy Here: the caller is told the business is busy.
public struct ChannelOverflow: Sendable, Hashable {
    /// Retry-After (seconds) sent with a 503 unless the caller chooses another.
    public static let defaultRetryAfterSeconds = 30

    public let status: Int
    /// Plain words for the SIP Reason header text and the call record.
    public let reason: String
    /// Retry-After seconds (503 only), nil for 486.
    public let retryAfter: Int?

    public init(status: Int, reason: String, retryAfter: Int?) {
        self.status = status
        self.reason = reason
        self.retryAfter = retryAfter
    }

    /// The extra header fields of the answer, in order (Retry-After for a 503).
    public var headers: [(name: String, value: String)] {
        retryAfter.map { [(name: "Retry-After", value: String($0))] } ?? []
    }

    /// The answer to the PBX when an outgoing call finds all `channels` of profile `profile` in use.
    /// `retryAfterSeconds` is clamped to 0 or more.
    public static func outgoing(profile: String, channels: Int, routing: RoutingConfig,
                                retryAfterSeconds: Int = defaultRetryAfterSeconds) -> ChannelOverflow {
        let reason = busyReason(profile: profile, channels: channels)
        switch routing.overflowResponse {
        case .serviceUnavailable: return ChannelOverflow(status: 503, reason: reason, retryAfter: max(0, retryAfterSeconds))
        case .busyHere: return ChannelOverflow(status: 486, reason: reason, retryAfter: nil)
        }
    }

    /// The answer to the trunk when an incoming call finds all `channels` of profile `profile` in use: 486.
    public static func incoming(profile: String, channels: Int) -> ChannelOverflow {
        ChannelOverflow(status: 486, reason: busyReason(profile: profile, channels: channels), retryAfter: nil)
    }

    static func busyReason(profile: String, channels: Int) -> String {
        channels == 1 ? "the only channel of profile \(profile) is in use" : "all \(channels) channels of profile \(profile) are in use"
    }
}
