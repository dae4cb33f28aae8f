// CallPolicyBridge: applies CallPolicy's rules (numbering, emergency, routes, caller ID, DID mapping, billing) to a new call and says what the controller does.
import CallPolicy
import Config
import Store

enum CallPolicyBridge {
    /// A call from the PBX. `lineAvailable`: an analog line is configured and free.
    static func outgoing(dialled: String, callerExtension: String?, config: GatewayConfig, lineAvailable: Bool = false,
                         trunkUp: (String) -> Bool = { _ in true }) -> OutgoingRoute {
        switch OutgoingRouter(config: config).route(dialled: dialled, callingExtension: callerExtension, lineAvailable: lineAvailable,
                                                    trunkUp: trunkUp) {
        case .refuse(let status, let reason):
            return .refuse(status, reason)
        case .line(let number, _):
            return .line(number)
        case .fallback(let profile, let number):
            return .lineFallback(number, profile: profile)
        case .trunk(let profile, let number, let callerID):
            return .trunk(CallPlan(profile: profile.name, caller: callerExtension ?? "anonymous", called: number.e164,
                                   requestUser: number.trunkForm, callerID: callerID.number,
                                   assertIdentity: callerID.sendPAssertedIdentity,
                                   billing: billing(BillingClassifier.outgoing(e164: number.e164, profile: profile))))
        }
    }

    /// A call from the trunk of `profile`.
    static func incoming(requestUser: String?, toUser: String?, calledPartyUser: String?, profile: ProfileConfig, caller: String,
                         config: GatewayConfig) -> IncomingRoute {
        switch IncomingRouter(config: config).route(profile: profile, requestUser: requestUser, toUser: toUser, calledUser: calledPartyUser) {
        case .refuse(let status, let reason):
            return .refuse(status, reason)
        case .extension(let ext, let profile, let called):
            let identity: String
            switch called {
            case .onlineNumber(let n): identity = n
            case .skypeName(let n): identity = n
            }
            return .pbx(CallPlan(profile: profile.name, caller: caller, called: identity, requestUser: ext,
                                 onlineNumber: identity, pbxExtension: ext, billing: billing(BillingClassifier.incoming)))
        }
    }

    /// Which of the profiles whose trunk sent the request it belongs to (several profiles share sip.skype.com).
    static func profile(among candidates: [ProfileConfig], requestUser: String?, toUser: String?, calledPartyUser: String?,
                        config: GatewayConfig) -> ProfileConfig? {
        if candidates.count == 1 { return candidates[0] }
        var narrowed = config
        narrowed.profiles = candidates
        return IncomingRouter.profileForIncoming(requestUser: requestUser, toUser: toUser, calledUser: calledPartyUser, config: narrowed)
    }

    static func billing(_ category: BillingCategory) -> BillingClass {
        BillingClass(rawValue: category.rawValue) ?? .credit
    }
}

typealias ChannelCounter = ChannelBook
