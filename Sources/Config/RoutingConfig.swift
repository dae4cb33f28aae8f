// RoutingConfig: which profile (or the analog line) an outgoing call takes, and the emergency numbers.

/// One outgoing routing rule. Rules are tried in the order written; the first match wins; then
/// `RoutingConfig.defaultProfile`.
public struct RouteRule: Sendable, Hashable {
    /// What a call must match.
    public enum Match: Sendable, Hashable {
        /// The dialled number (as the PBX sent it, after the access prefix is stripped) starts with these digits.
        case prefix(String)
        /// The calling extension is numerically within `low...high`.
        case extensions(low: Int, high: Int)
    }

    /// Where a matching call goes.
    public enum Target: Sendable, Hashable {
        case profile(String)
        case line
    }

    public var match: Match
    public var target: Target

    public init(_ match: Match, _ target: Target) {
        self.match = match
        self.target = target
    }
}

/// Outgoing call routing. Emergency numbers never go to the trunk (it carries none): they take the
/// analog line when there is one, else the PBX hears 403 with a reason.
public struct RoutingConfig: Sendable, Hashable {
    public var emergency: [String]
    public var routes: [RouteRule]
    public var defaultProfile: String?
    public var overflowResponse: OverflowResponse
    /// 3xx answers from the trunk: followed by the box, or passed on to the PBX.
    public var redirects: RedirectHandling

    /// The emergency numbers a box knows out of the factory.
    public static let defaultEmergencyNumbers = ["911", "112", "999", "000"]

    public init(emergency: [String] = RoutingConfig.defaultEmergencyNumbers, routes: [RouteRule] = [],
                defaultProfile: String? = nil, overflowResponse: OverflowResponse = .serviceUnavailable,
                redirects: RedirectHandling = .pass) {
        self.emergency = emergency
        self.routes = routes
        self.defaultProfile = defaultProfile
        self.overflowResponse = overflowResponse
        self.redirects = redirects
    }
}
