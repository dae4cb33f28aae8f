// PolicyFixtures: the numbering plans and the Architects-style config the call-policy tests route with.

import Config

enum PolicyFixtures {
    /// UK: country code 44, national prefix 0, international prefix 00, access prefix 9.
    static let uk = NumberingConfig(countryCode: "44", nationalPrefix: "0", internationalPrefix: "00", accessPrefix: "9")
    /// US: country code 1, national prefix 1, international prefix 011, no access prefix.
    static let us = NumberingConfig(countryCode: "1", nationalPrefix: "1", internationalPrefix: "011")
    /// No country code: only international numbers normalise.
    static let noCountry = NumberingConfig(countryCode: nil, nationalPrefix: "0", internationalPrefix: "00", accessPrefix: "9")

    /// Sales: US bundles, caller ID one of its Online Numbers, a business Skype Name, a default extension.
    static let sales = ProfileConfig(
        name: "sales", sipUser: "99051000000001", password: .value("s3cret"), channels: 4, usBundles: 2,
        callerID: "+442079460000", calledNumberFrom: .to, defaultExtension: "100",
        onlineNumbers: [NumberMapping("+442079460000", extension: "201"), NumberMapping("+12025550100")],
        skypeNames: [NumberMapping("Architects.Sales", extension: "200"), NumberMapping("architects.info")])

    /// Engineering: 300 channels, no bundles, a verified landline as caller ID asserted in P-Asserted-Identity,
    /// the called number read from P-Called-Party-ID, no default extension.
    static let engineering = ProfileConfig(
        name: "engineering", sipUser: "99051000000002", password: .value("s3cret"), channels: 300, usBundles: 0,
        callerID: "+12025550199", pAssertedIdentity: true, calledNumberFrom: .pCalledPartyID,
        verifiedNumbers: ["+12025550199"],
        onlineNumbers: [NumberMapping("+13125550100", extension: "301"), NumberMapping("+13125550101")])

    /// Support: IP authentication (no SIP user name), called number in the Request-URI.
    static let support = ProfileConfig(
        name: "support", auth: .ip, channels: 2, calledNumberFrom: .requestURI, defaultExtension: "400",
        onlineNumbers: [NumberMapping("+442079460400")])

    static let line = LineConfig(device: "hw:0")

    /// UK box: prefix 00353 (Ireland) to engineering, extensions 300-399 to engineering, 118 directory on the
    /// line, default sales.
    static func config(numbering: NumberingConfig = uk, line: LineConfig? = line,
                       routes: [RouteRule] = standardRoutes, defaultProfile: String? = "sales") -> GatewayConfig {
        GatewayConfig(pbx: PBXConfig(address: "192.0.2.10"), profiles: [sales, engineering, support],
                      routing: RoutingConfig(routes: routes, defaultProfile: defaultProfile),
                      numbering: numbering, line: line)
    }

    static let standardRoutes: [RouteRule] = [
        RouteRule(.prefix("00353"), .profile("engineering")),
        RouteRule(.extensions(low: 300, high: 399), .profile("engineering")),
        RouteRule(.prefix("118"), .line),
    ]
}
