// ConfigText+Serialize: GatewayConfig to its canonical text, with secrets written (store) or masked (display).

extension ConfigText {
    /// How secrets are rendered.
    public enum Secrets: Sendable {
        /// Clear text: for the store only.
        case include
        /// `********` whatever the secret: for display, logs, diffs, export to a screen.
        case mask
    }

    /// The canonical text of a config: `hostname`, then each block in `ConfigSchema.blockOrder` (profiles in
    /// their order), statements in schema order, one space of indentation, a `!` line after each block.
    /// `parse(serialize(c)) == c` for every config whose strings hold no control characters (validation
    /// refuses those), and serializing a parsed canonical text gives the same bytes. A `.keepCurrent` secret
    /// is written `********` in both modes: resolve secrets (`resolveSecrets(from:)`) before storing.
    public static func serialize(_ config: GatewayConfig, secrets: Secrets = .include) -> String {
        var out = ""
        for line in renderedLines(config) {
            if line.indented { out += " " }
            out += line.scope == nil ? "!" : render(line.words, secrets: secrets)
            out += "\n"
        }
        return out
    }

    /// The text for display: every secret shown as `********`, never its text or length.
    public static func masked(_ config: GatewayConfig) -> String {
        serialize(config, secrets: .mask)
    }

    /// One rendered line: indentation and words.
    static func render(_ words: [ConfigWord], secrets: Secrets) -> String {
        var parts: [String] = []
        for w in words {
            switch w {
            case .text(let t): parts.append(ConfigTokenizedLine.render(t))
            case .secret(.keepCurrent): parts.append(ConfigSecret.mask)
            case .secret(.value(let v)):
                parts.append(secrets == .mask ? ConfigSecret.mask : ConfigTokenizedLine.render(v, forceQuote: v == ConfigSecret.mask))
            }
        }
        return parts.joined(separator: " ")
    }

    /// One line of the canonical text before it becomes a string.
    struct RenderedLine {
        /// The block the line belongs to; nil for a `!` separator.
        var scope: ConfigScope?
        var indented: Bool
        var words: [ConfigWord]
    }

    /// Every line of the canonical text, in order.
    static func renderedLines(_ config: GatewayConfig) -> [RenderedLine] {
        var out: [RenderedLine] = []
        let separator = RenderedLine(scope: nil, indented: false, words: [.text("!")])
        for st in ConfigSchema.statements(in: .top) {
            for l in st.render(config, .top) { out.append(RenderedLine(scope: .top, indented: false, words: l)) }
        }
        out.append(separator)
        for block in ConfigSchema.blockOrder {
            let scopes: [(ConfigScope, [ConfigWord])]
            switch block {
            case .profile: scopes = config.profiles.indices.map { (.profile($0), [.text("profile"), .text(config.profiles[$0].name)]) }
            case .line: scopes = config.line == nil ? [] : [(.block(.line), [.text("line")])]
            default: scopes = [(.block(block), [.text(block.keyword)])]
            }
            for (scope, header) in scopes {
                out.append(RenderedLine(scope: scope, indented: false, words: header))
                for st in ConfigSchema.statements(in: block) {
                    for l in st.render(config, scope) { out.append(RenderedLine(scope: scope, indented: true, words: l)) }
                }
                out.append(separator)
            }
        }
        return out
    }
}
