// OutgoingRouter: the routing policy for calls from the PBX (emergency, route rules, default profile).

import Config

/// Decides where a call from the PBX goes. In order:
/// 1. **Emergency** (`EmergencyDetector`, before any other check): the analog line when the box has one and
///    it is usable, else 403 when there is no line (the trunk carries no emergency calls), 503 when the line
///    exists but is busy or down.
/// 2. **Characters**: the dialled text must be digits with an optional leading `+` (separators dropped, access
///    prefix stripped), else 484 Address Incomplete.
/// 3. **Route rules** in the order written, first match wins: `prefix` matches the dialled digits after the
///    access prefix is stripped and separators dropped, *before* normalisation (so `+44` and `0044` are
///    different prefixes); `extensions` matches a calling extension that is all digits and numerically in
///    range. A rule naming a profile that does not exist is skipped. A rule to the line goes to the line
///    (503 when there is no usable line).
/// 4. **default-profile**, when set and existing; else 404 (no route to destination, RFC 3398's mapping).
/// 5. **Fallback**: when the chosen profile's trunk is down (`trunkUp` says so) and the line has
///    `fallback on` and is usable, the call goes to the line (dialled like a line route). A busy or down
///    line leaves the call to the trunk as if there were no fallback.
/// 6. For a trunk profile: the number must normalise (`NumberNormalizer`), else 484; a profile in
///    registration mode must have a SIP user name, else 503. IP-authenticated profiles need none.
///
/// Line calls need no normalisation: the line dials the digits after the access prefix, with a leading `+`
/// written as the international prefix. Channel limits are not checked here (see `ChannelBook`).
public struct OutgoingRouter: Sendable {
    public let config: GatewayConfig
    public let normalizer: NumberNormalizer
    public let emergency: EmergencyDetector

    public init(config: GatewayConfig) {
        self.config = config
        normalizer = NumberNormalizer(numbering: config.numbering)
        emergency = EmergencyDetector(routing: config.routing, numbering: config.numbering)
    }

    /// The decision for a call to `dialled` (the decoded Request-URI user) from `callingExtension` (the
    /// From user; may be non-numeric or nil). `lineAvailable`: whether the analog line is up and idle
    /// (ignored, taken as false, when the config has no line). `trunkUp`: whether a profile (by name) is
    /// registered or trusted by address; only asked when the line has `fallback on`.
    public func route(dialled: String, callingExtension: String?, lineAvailable: Bool,
                      trunkUp: (String) -> Bool = { _ in true }) -> OutgoingDecision {
        let lineUsable = config.line != nil && lineAvailable
        if let number = emergency.match(dialled: dialled) {
            if lineUsable { return .line(number: number, emergency: true) }
            if config.line == nil {
                return .refuse(status: 403, reason: "emergency calls cannot use the Skype Connect trunk and this box has no analog line")
            }
            return .refuse(status: 503, reason: "emergency calls cannot use the Skype Connect trunk and the analog line is busy or down")
        }
        let digits: String
        do {
            digits = try normalizer.dialledDigits(dialled)
        } catch {
            return .refuse(status: 484, reason: error.message)
        }
        switch target(digits: digits, callingExtension: callingExtension) {
        case .line(let why):
            guard lineUsable else {
                let state = config.line == nil ? "this box has no analog line" : "the analog line is busy or down"
                return .refuse(status: 503, reason: "\(why) sends the call to the analog line, but \(state)")
            }
            return .line(number: lineDigits(digits), emergency: false)
        case .profile(let profile):
            if lineUsable, config.line?.fallback == true, !trunkUp(profile.name) {
                return .fallback(profile: profile.name, number: lineDigits(digits))
            }
            return trunk(profile, dialled: dialled)
        case .none(let why):
            return .refuse(status: 404, reason: why)
        }
    }

    /// Where routing sends dialled digits, before any number or profile check.
    enum Target {
        case profile(ProfileConfig)
        /// `why`: the rule that chose the line, in words.
        case line(String)
        /// `why`: in words.
        case none(String)
    }

    func target(digits: String, callingExtension: String?) -> Target {
        let ext = callingExtension.flatMap { NumberText.isDigits($0) ? Int($0) : nil }
        for (i, rule) in config.routing.routes.enumerated() {
            let matches: Bool
            switch rule.match {
            case .prefix(let p): matches = !p.isEmpty && digits.hasPrefix(p)
            case .extensions(let low, let high): matches = ext.map { low <= $0 && $0 <= high } ?? false
            }
            guard matches else { continue }
            switch rule.target {
            case .line:
                return .line("route \(i + 1) (\(Self.describe(rule.match)))")
            case .profile(let name):
                if let profile = config.profile(named: name) { return .profile(profile) }
            }
        }
        guard let name = config.routing.defaultProfile else {
            return .none("no route matches \(NumberText.shown(digits[...])) and no default-profile is configured")
        }
        guard let profile = config.profile(named: name) else {
            return .none("no route matches \(NumberText.shown(digits[...])) and the default-profile \(name) does not exist")
        }
        return .profile(profile)
    }

    func trunk(_ profile: ProfileConfig, dialled: String) -> OutgoingDecision {
        let number: NormalizedNumber
        do {
            number = try normalizer.normalize(dialled)
        } catch {
            return .refuse(status: 484, reason: error.message)
        }
        if profile.auth == .registration, (profile.sipUser ?? "").isEmpty {
            return .refuse(status: 503, reason: "profile \(profile.name) has no sip-user configured")
        }
        return .trunk(profile: profile, number: number, callerID: CallerIDPolicy.identity(for: profile))
    }

    /// What the line dials for routed digits: a leading `+` becomes the international prefix.
    func lineDigits(_ digits: String) -> String {
        digits.hasPrefix("+") ? config.numbering.internationalPrefix + digits.dropFirst() : digits
    }

    static func describe(_ match: RouteRule.Match) -> String {
        switch match {
        case .prefix(let p): return "prefix \(p)"
        case .extensions(let low, let high): return "extensions \(low)-\(high)"
        }
    }
}
