// ConfigCheck: what `commit` needs from a candidate text: parse, keep masked secrets, validate, in one call.

/// The outcome of checking a candidate text: the config when it parsed, and every issue (syntax errors;
/// unresolved masked secrets; validation errors and warnings), in line order.
public struct ConfigCheck: Sendable, Equatable {
    /// The candidate, with kept secrets filled in; nil when the text did not parse.
    public var config: GatewayConfig?
    public var issues: [ConfigIssue]

    /// Parsed, secrets resolved, and no validation error: the candidate may be committed.
    public var isValid: Bool { config != nil && issues.errors.isEmpty }
}

extension ConfigText {
    /// Parses a candidate text, fills `password ********` from `running` (when given), and validates the
    /// result. Issue lines refer to `text`.
    public static func check(_ text: String, running: GatewayConfig? = nil) -> ConfigCheck {
        let document: ConfigDocument
        do {
            document = try parseDocument(text)
        } catch {
            return ConfigCheck(config: nil, issues: error.issues)
        }
        var config = document.config
        var issues: [ConfigIssue] = []
        if config.hasKeptSecrets {
            do {
                try config.resolveSecrets(from: running ?? .factoryDefault, sourceMap: document.sourceMap)
            } catch {
                issues += error.issues
            }
        }
        issues += ConfigValidator.validate(config, sourceMap: document.sourceMap)
        issues.sort { ($0.line, $0.field, $0.message) < ($1.line, $1.field, $1.message) }
        return ConfigCheck(config: config, issues: issues)
    }
}
