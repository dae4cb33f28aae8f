// CallRouting: turns a new INVITE into a plan (which profile, which number, caller ID, extension) and builds the INVITE for the second leg.
import Config
import SIPCore
import SIPStack
import Store

/// What the box decided for a new call.
struct CallPlan {
    var profile: String
    /// Who calls and who is called, as the record shows them.
    var caller: String
    var called: String
    /// Request-URI user on the second leg: `00<cc><number>` toward the trunk, the extension toward the PBX.
    var requestUser: String
    /// Outgoing: the caller ID the trunk shows (E.164) and whether P-Asserted-Identity carries it.
    var callerID: String?
    var assertIdentity = false
    var onlineNumber: String?
    var pbxExtension: String?
    var billing: BillingClass
    /// Incoming: the caller's From display name, and whether the caller asked for privacy.
    var callerDisplay: String?
    var privacy: [String] = []
}

enum OutgoingRoute {
    case trunk(CallPlan)
    case line(String)
    /// The profile's trunk is down and the line has `fallback on`: dial these digits on the line.
    case lineFallback(String, profile: String)
    case refuse(Int, String)
}

enum IncomingRoute {
    case pbx(CallPlan)
    case refuse(Int, String)
}

enum CallRouting {
    static func user(_ uri: URI?) -> String? { uri?.userOrNumber }

    /// A call from the PBX: emergency numbers, routes, numbering and caller ID (CallPolicy does the rules).
    static func outgoing(request: SIPMessage, config: GatewayConfig, lineAvailable: Bool = false,
                         trunkUp: (String) -> Bool = { _ in true }) -> OutgoingRoute {
        let dialled = user(request.requestURI) ?? ""
        let from = (try? request.headers.from) ?? nil
        let callerExtension = from?.uri.userOrNumber
        return CallPolicyBridge.outgoing(dialled: dialled, callerExtension: callerExtension, config: config, lineAvailable: lineAvailable,
                                         trunkUp: trunkUp)
    }

    /// A call from the trunk of `profile`: the called Online Number or Skype Name and its extension.
    static func incoming(request: SIPMessage, profile: ProfileConfig, config: GatewayConfig) -> IncomingRoute {
        let from = (try? request.headers.from) ?? nil
        let pai = ((try? request.headers.pAssertedIdentity) ?? [])?.first
        let caller = pai?.uri.userOrNumber ?? from?.uri.userOrNumber ?? "anonymous"
        let decision = CallPolicyBridge.incoming(requestUser: user(request.requestURI), toUser: ((try? request.headers.to) ?? nil)?.uri.userOrNumber,
                                                 calledPartyUser: ((try? request.headers.pCalledPartyID) ?? nil)?.uri.userOrNumber,
                                                 profile: profile, caller: caller, config: config)
        guard case .pbx(var plan) = decision else { return decision }
        plan.callerDisplay = from?.decodedDisplayName
        plan.privacy = ((try? request.headers.privacy) ?? []) ?? []
        return .pbx(plan)
    }

    /// Which profile an INVITE from a trunk shared by `candidates` is for.
    static func profile(among candidates: [ProfileConfig], request: SIPMessage, config: GatewayConfig) -> ProfileConfig? {
        CallPolicyBridge.profile(among: candidates, requestUser: user(request.requestURI),
                                 toUser: ((try? request.headers.to) ?? nil)?.uri.userOrNumber,
                                 calledPartyUser: ((try? request.headers.pCalledPartyID) ?? nil)?.uri.userOrNumber, config: config)
    }

    /// The INVITE the box sends on the second leg. Nothing of the first leg's topology (Via, Contact,
    /// Record-Route, Call-ID, tags) is copied.
    static func secondInvite(plan: CallPlan, call: Call, profile: ProfileConfig, destination: SIPDestination, contact: SIPNameAddress,
                             callID: String, tag: String, sdp: SDPSession, original: SIPMessage, userAgent: String,
                             config: GatewayConfig) -> SIPMessage {
        var h = SIPHeaders()
        let maxForwards = (((try? original.headers.maxForwards) ?? nil) ?? 70)
        h.add(.maxForwards, "\(max(1, maxForwards - 1))")
        let uri: SIPURI
        let from: SIPNameAddress
        let to: SIPNameAddress
        if call.direction == .outgoing {
            // Skype Connect: the SIP user name in From; the dialled number as 00<cc><number>.
            let (host, port) = splitHostPort(profile.registrar)
            uri = SIPURI(user: plan.requestUser, host: host, port: port)
            let user = profile.sipUser ?? "anonymous"
            var f = SIPNameAddress(uri: .sip(SIPURI(user: user, host: host)))
            if let id = plan.callerID { f = SIPNameAddress(quotedDisplayName: id, uri: .sip(SIPURI(user: user, host: host))) }
            f.tag = tag
            from = f
            to = SIPNameAddress(uri: .sip(SIPURI(user: plan.requestUser, host: host)))
            if plan.assertIdentity, let id = plan.callerID {
                h.add(.pAssertedIdentity, "<sip:\(id)@\(host)>")
            } else if plan.callerID == nil {
                h.add(.privacy, "id")
            }
        } else {
            let host = destination.ip.contains(":") ? "[\(destination.ip)]" : destination.ip
            uri = SIPURI(user: plan.requestUser, host: host, port: destination.port == 5060 ? nil : destination.port)
            let boxHost = contact.uri.sipURI?.host ?? "trunkbox.invalid"
            var f: SIPNameAddress
            let callerURI = SIPURI(user: plan.caller == "anonymous" ? "anonymous" : plan.caller, host: boxHost)
            let hidden = plan.privacy.contains { ["id", "user", "header"].contains($0.lowercased()) }
            if hidden {
                // Privacy (RFC 3323/3325): the caller asked not to be shown. From is anonymous; the PBX, inside
                // the box's trust domain, still gets the identity in P-Asserted-Identity with the Privacy header.
                f = SIPNameAddress(quotedDisplayName: "Anonymous", uri: .sip(SIPURI(user: "anonymous", host: "anonymous.invalid")))
                if plan.caller != "anonymous" { h.add(.pAssertedIdentity, SIPNameAddress(uri: .sip(callerURI)).description) }
            } else if let display = plan.callerDisplay, !display.isEmpty {
                f = SIPNameAddress(quotedDisplayName: display, uri: .sip(callerURI))
            } else {
                f = SIPNameAddress(uri: .sip(callerURI))
            }
            f.tag = tag
            from = f
            // The PBX sees the dialled Online Number in To and the extension in the Request-URI.
            to = SIPNameAddress(uri: .sip(SIPURI(user: plan.onlineNumber ?? plan.requestUser, host: boxHost)))
            if !plan.privacy.isEmpty { h.add(.privacy, plan.privacy.joined(separator: ";")) }
        }
        h.add(.from, from.description)
        h.add(.to, to.description)
        h.add(.callID, callID)
        h.add(.cseq, "1 INVITE")
        h.add(.contact, contact.description)
        h.add(.allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE")
        h.add(.supported, "timer, 100rel")
        h.add(.sessionExpires, "\(call.sessionExpires);refresher=uac")
        h.add(.minSE, "90")
        h.add(.userAgent, userAgent)
        h.add(.contentType, "application/sdp")
        return SIPMessage.request(.invite, .sip(uri), headers: h, body: sdp.serializedBytes)
    }

    static func splitHostPort(_ text: String) -> (String, Int?) { CallController.hostPort(text) }
}
