// CallSDPPlan: the SDP each leg of a call hears: the other leg's offer or answer, anchored at the box's media address (interim: replaced by CallMedia).
import Config
import SIPCore

enum CallSDPPlan {
    /// The offer sent on the second leg for the first leg's offer.
    static func offer(from offer: SDPSession, leg: inout CallLeg, call: Call, config: GatewayConfig, profile: ProfileConfig) throws -> SDPSession {
        try anchored(offer, on: &leg)
    }

    /// The answer the first leg hears for the second leg's answer.
    static func answer(call: Call, secondAnswer: SDPSession) throws -> SDPSession {
        try anchored(secondAnswer, on: &call.legs[0])
    }

    /// A re-INVITE's offer relayed toward leg `toward`.
    static func reoffer(from offer: SDPSession, toward: Int, call: Call, config: GatewayConfig, profile: ProfileConfig?) throws -> SDPSession {
        try anchored(offer, on: &call.legs[toward])
    }

    /// A re-INVITE's answer relayed back to leg `to`.
    static func reanswer(call: Call, to leg: Int, answer: SDPSession) throws -> SDPSession {
        try anchored(answer, on: &call.legs[leg])
    }

    static func anchored(_ sdp: SDPSession, on leg: inout CallLeg) throws -> SDPSession {
        guard let address = leg.mediaAddress else { throw CallSetupError(503, "no media address") }
        var out = sdp
        let host = address.host
        out.anchorMedia(at: host.contains(":") ? .ip6(host) : .ip4(host), ports: [address.port])
        out.sessionName = "trunkbox"
        if let previous = leg.localSDP {
            out.updateVersion(after: previous)
        } else {
            out.origin = SDPOrigin(username: "trunkbox", sessionID: String(UInt32.random(in: 1...UInt32.max)), sessionVersion: 1,
                                   networkType: "IN", addressType: host.contains(":") ? "IP6" : "IP4", address: host)
        }
        leg.localSDP = out
        return out
    }
}
