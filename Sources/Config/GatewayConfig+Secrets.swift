// GatewayConfig+Secrets: filling "keep the current secret" (a masked `password ********`) from the running config.

extension GatewayConfig {
    /// Whether any secret is `.keepCurrent` (the text was a masked rendering).
    public var hasKeptSecrets: Bool {
        pbx.password == .keepCurrent || profiles.contains { $0.password == .keepCurrent }
    }

    /// Replaces every `.keepCurrent` secret with the running config's secret for the same place: the
    /// PBX password, or the password of the running profile with the same name. Throws, naming each line,
    /// when there is no current secret to keep (new profile, renamed profile, no password running).
    /// `sourceMap` gives the lines (of the candidate's text); without it, lines of the canonical text.
    public mutating func resolveSecrets(from running: GatewayConfig, sourceMap: ConfigSourceMap? = nil) throws(ConfigError) {
        guard hasKeptSecrets else { return }
        let map = sourceMap ?? ConfigValidator.canonicalMap(self)
        var issues: [ConfigIssue] = []
        if pbx.password == .keepCurrent {
            if case .value? = running.pbx.password {
                pbx.password = running.pbx.password
            } else {
                issues.append(ConfigIssue(line: map.line(.block(.pbx), "password"), field: "password",
                                          "\(ConfigSecret.mask) keeps the current password, but the running pbx block has none"))
            }
        }
        for i in profiles.indices where profiles[i].password == .keepCurrent {
            if let current = running.profile(named: profiles[i].name)?.password, case .value = current {
                profiles[i].password = current
            } else {
                issues.append(ConfigIssue(line: map.line(.profile(i), "password"), field: "password",
                                          "\(ConfigSecret.mask) keeps the current password, but the running config has no password for profile \(profiles[i].name)"))
            }
        }
        if !issues.isEmpty { throw ConfigError(issues) }
    }

    /// A copy with every secret replaced by `.keepCurrent` (what parsing the masked text gives).
    public var withSecretsMasked: GatewayConfig {
        var c = self
        if c.pbx.password != nil { c.pbx.password = .keepCurrent }
        for i in c.profiles.indices where c.profiles[i].password != nil { c.profiles[i].password = .keepCurrent }
        return c
    }
}
