// IncomingRouter: the extension mapping for calls from the trunk (Online Numbers, Skype Names, default extension).

import Config

/// Decides which PBX extension an incoming trunk call goes to, the guide's "extension mapping":
/// - the called identity is read from the place the profile's `calledNumberFrom` names (To, Request-URI
///   or P-Called-Party-ID user, %-escapes decoded; `;` parameters ignored);
/// - a Skype Name is matched case-insensitively against the profile's `skypeNames`; a number against its
///   `onlineNumbers` as E.164 digits, accepting `+12025550100`, `0012025550100`, the configured
///   international prefix, `12025550100` (country code, no prefix) and national or local forms of the
///   box's own country (via `NumberNormalizer`);
/// - a known identity goes to its own extension, else the profile's `defaultExtension`;
/// - refusals, all 404: the place is missing or empty; the identity is not one of the profile's
///   ("not assigned to this profile"); known but with no extension and no default extension.
/// The default extension is deliberately *not* used for unknown identities: the trunk only sends numbers
/// it sold to the profile, so an unknown one is a misconfiguration better seen than silently delivered.
public struct IncomingRouter: Sendable {
    public let config: GatewayConfig
    /// Normalises national and local forms of the box's country; no access prefix (the trunk sends none).
    let normalizer: NumberNormalizer

    public init(config: GatewayConfig) {
        self.config = config
        var numbering = config.numbering
        numbering.accessPrefix = nil
        normalizer = NumberNormalizer(numbering: numbering)
    }

    /// The user (of the Request-URI, To, or P-Called-Party-ID) that `source` names.
    public static func calledUser(from source: CalledNumberSource, requestUser: String?, toUser: String?,
                                  calledUser: String?) -> String? {
        switch source {
        case .to: return toUser
        case .requestURI: return requestUser
        case .pCalledPartyID: return calledUser
        }
    }

    /// The decision for an INVITE that arrived on `profile`'s trunk.
    public func route(profile: ProfileConfig, requestUser: String?, toUser: String?, calledUser: String?) -> IncomingDecision {
        let place = profile.calledNumberFrom
        let user = Self.calledUser(from: place, requestUser: requestUser, toUser: toUser, calledUser: calledUser)
        guard let user, !NumberText.droppingParameters(user).isEmpty else {
            return .refuse(status: 404, reason: "the call carries no called number in the \(Self.placeName(place)) (called-number-from \(place.rawValue))")
        }
        guard let (called, mapping) = identify(user, in: profile) else {
            let shown = NumberText.shown(NumberText.droppingParameters(user))
            return .refuse(status: 404, reason: "\(shown) is not assigned to profile \(profile.name)")
        }
        if let ext = nonEmpty(mapping.extension) ?? nonEmpty(profile.defaultExtension) {
            return .extension(ext, profile: profile, called: called)
        }
        return .refuse(status: 404, reason: "no extension for \(called) on profile \(profile.name) (no own extension and no default-extension)")
    }

    /// The Online Number or Skype Name of `profile` that `user` names, with its mapping; nil when none.
    public func identify(_ user: String, in profile: ProfileConfig) -> (CalledIdentity, NumberMapping)? {
        let text = String(NumberText.droppingParameters(user))
        guard !text.isEmpty else { return nil }
        let lowered = text.lowercased()
        if let m = profile.skypeNames.first(where: { !$0.identity.isEmpty && $0.identity.lowercased() == lowered }) {
            return (.skypeName(m.identity), m)
        }
        for digits in candidateDigits(text) {
            if let m = profile.onlineNumbers.first(where: { NumberText.e164Digits($0.identity) == digits }) {
                return (.onlineNumber("+" + digits), m)
            }
        }
        return nil
    }

    /// The E.164 digit strings `text` may stand for, most explicit first.
    func candidateDigits(_ text: String) -> [String] {
        let clean = NumberText.droppingSeparators(text)[...]
        var out: [String] = []
        func add(_ s: Substring) {
            if NumberText.isDigits(s), s.first != "0", !out.contains(where: { $0 == s }) { out.append(String(s)) }
        }
        if clean.hasPrefix("+") {
            add(clean.dropFirst())
        } else {
            if clean.hasPrefix("00") { add(clean.dropFirst(2)) }
            let intl = config.numbering.internationalPrefix
            if NumberText.has(clean, prefix: intl) { add(clean.dropFirst(intl.count)) }
            add(clean)
            if let n = try? normalizer.normalize(String(clean)) { add(n.digits) }
        }
        return out
    }

    /// The profile an incoming INVITE belongs to when only the message is known: the profile whose SIP
    /// user name is the Request-URI user; else the profile one of whose Online Numbers or Skype Names is
    /// in the place that profile reads (`calledNumberFrom`); else in any of the three places. Nil: none.
    public func profileForIncoming(requestUser: String?, toUser: String?, calledUser: String?) -> ProfileConfig? {
        if let r = requestUser.map({ String(NumberText.droppingParameters($0)) }), !r.isEmpty,
           let p = config.profiles.first(where: { $0.sipUser == r }) {
            return p
        }
        for p in config.profiles {
            if let u = Self.calledUser(from: p.calledNumberFrom, requestUser: requestUser, toUser: toUser, calledUser: calledUser),
               identify(u, in: p) != nil {
                return p
            }
        }
        for u in [toUser, requestUser, calledUser].compactMap({ $0 }) {
            if let p = config.profiles.first(where: { identify(u, in: $0) != nil }) { return p }
        }
        return nil
    }

    /// `profileForIncoming(requestUser:toUser:calledUser:)` on `config`.
    public static func profileForIncoming(requestUser: String?, toUser: String?, calledUser: String?,
                                          config: GatewayConfig) -> ProfileConfig? {
        IncomingRouter(config: config).profileForIncoming(requestUser: requestUser, toUser: toUser, calledUser: calledUser)
    }

    static func placeName(_ source: CalledNumberSource) -> String {
        switch source {
        case .to: return "To header"
        case .requestURI: return "Request-URI"
        case .pCalledPartyID: return "P-Called-Party-ID header"
        }
    }

    func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }
}
