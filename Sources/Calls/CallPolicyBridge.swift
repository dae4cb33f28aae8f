// CallPolicyBridge: the call-routing rules the controller applies (interim: replaced by CallPolicy).
import Config
import Store

enum CallPolicyBridge {
    static func outgoing(dialled: String, callerExtension: String?, config: GatewayConfig) -> OutgoingRoute {
        let digits = dialled.filter { $0.isNumber || $0 == "+" }
        if config.routing.emergency.contains(digits) {
            return .refuse(403, "emergency calls cannot use the Skype Connect trunk and this box has no analog line")
        }
        guard let name = config.routing.defaultProfile ?? config.profiles.first?.name else { return .refuse(404, "no profile") }
        let e164 = digits.hasPrefix("+") ? digits : "+" + (digits.hasPrefix("00") ? String(digits.dropFirst(2)) : digits)
        let trunk = "00" + e164.dropFirst()
        let profile = config.profile(named: name)
        return .trunk(CallPlan(profile: name, caller: callerExtension ?? "anonymous", called: e164, requestUser: trunk,
                               callerID: profile?.callerID, assertIdentity: profile?.pAssertedIdentity ?? false, billing: .credit))
    }

    static func incoming(requestUser: String?, toUser: String?, calledPartyUser: String?, profile: ProfileConfig, caller: String) -> IncomingRoute {
        let called = toUser ?? requestUser ?? ""
        let mapping = profile.onlineNumbers.first { $0.identity == called || $0.identity == "+" + called }
        guard let ext = mapping?.extension ?? profile.defaultExtension, mapping != nil else { return .refuse(404, "number not assigned") }
        return .pbx(CallPlan(profile: profile.name, caller: caller, called: mapping!.identity, requestUser: ext,
                             onlineNumber: mapping!.identity, pbxExtension: ext, billing: .free))
    }
}

/// Channels in use per profile (interim: replaced by CallPolicy's ChannelBook).
struct ChannelCounter {
    var inUse: [String: Int] = [:]
    mutating func take(_ profile: String, limit: Int) -> Bool {
        let n = inUse[profile, default: 0]
        guard n < limit else { return false }
        inUse[profile] = n + 1
        return true
    }
    mutating func release(_ profile: String) {
        guard let n = inUse[profile], n > 0 else { return }
        inUse[profile] = n == 1 ? nil : n - 1
    }
}
