// ConfigChanges: what changed between two configs, in the terms the gateway needs to apply a commit live.

/// The structural difference between the running config and a new one, for applying a commit without
/// dropping calls: which profiles to start, stop (after their calls finish), re-register or just update,
/// and which blocks changed (listeners to rebind, media, line, console, ...). Fields are statement
/// keywords (`channels`, `online-number`, `password`); values, and secrets above all, are not included.
public struct ConfigChanges: Sendable, Hashable, CustomStringConvertible {
    /// How one profile present in both configs changed.
    public struct ProfileChange: Sendable, Hashable {
        /// The profile's name in the new config.
        public var name: String
        /// The old name when the profile was renamed (matched by its SIP user name).
        public var previousName: String?
        /// Registrar, transport, auth mode, SIP user name, password or expiry changed: register again.
        public var reregister: Bool
        /// Statements that changed, in schema order (`profile` when renamed).
        public var fields: [String]
    }

    /// Profiles only in the new config (start and register them).
    public var profilesAdded: [String] = []
    /// Profiles only in the old config (stop taking calls; unregister once their calls have ended).
    public var profilesRemoved: [String] = []
    /// Profiles in both that changed.
    public var profilesChanged: [ProfileChange] = []
    /// Changed statements of each other block (`.top` for hostname; `.line` lists `line` when the block
    /// was added or removed). Blocks that did not change are absent.
    public var blocks: [ConfigBlock: [String]] = [:]

    public init(from old: GatewayConfig, to new: GatewayConfig) {
        for block in [ConfigBlock.top] + ConfigSchema.blockOrder where block != .profile {
            let scope: ConfigScope = block == .top ? .top : .block(block)
            var fields: [String] = []
            if block == .line, (old.line == nil) != (new.line == nil) { fields.append("line") }
            for st in ConfigSchema.statements(in: block) where st.render(old, scope) != st.render(new, scope) {
                if !fields.contains(st.field) { fields.append(st.field) }
            }
            if !fields.isEmpty { blocks[block] = fields }
        }

        var unmatchedOld = Array(old.profiles.indices)
        var pairs: [(Int, Int)] = []
        var unmatchedNew: [Int] = []
        for (j, p) in new.profiles.enumerated() {
            if let k = unmatchedOld.firstIndex(where: { old.profiles[$0].name == p.name }) {
                pairs.append((unmatchedOld.remove(at: k), j))
            } else {
                unmatchedNew.append(j)
            }
        }
        // A profile whose name changed but whose SIP user name did not is the same trunk profile.
        for j in unmatchedNew {
            if let user = new.profiles[j].sipUser, let k = unmatchedOld.firstIndex(where: { old.profiles[$0].sipUser == user }) {
                pairs.append((unmatchedOld.remove(at: k), j))
            } else {
                profilesAdded.append(new.profiles[j].name)
            }
        }
        profilesRemoved = unmatchedOld.map { old.profiles[$0].name }
        for (i, j) in pairs.sorted(by: { $0.1 < $1.1 }) {
            let a = old.profiles[i], b = new.profiles[j]
            var fields: [String] = a.name == b.name ? [] : ["profile"]
            for st in ConfigSchema.statements(in: .profile) where st.render(old, .profile(i)) != st.render(new, .profile(j)) {
                if !fields.contains(st.field) { fields.append(st.field) }
            }
            if !fields.isEmpty {
                profilesChanged.append(ProfileChange(name: b.name, previousName: a.name == b.name ? nil : a.name,
                                                     reregister: b.registrationDiffers(from: a), fields: fields))
            }
        }
    }

    /// Nothing changed.
    public var isEmpty: Bool { profilesAdded.isEmpty && profilesRemoved.isEmpty && profilesChanged.isEmpty && blocks.isEmpty }

    /// Profiles that must register again (changed credentials or registrar), by new name.
    public var profilesToReregister: [String] { profilesChanged.filter(\.reregister).map(\.name) }

    /// The LAN (PBX-side) SIP listener must be rebound.
    public var lanListenerChanged: Bool { blocks[.lan] != nil }
    /// The WAN (trunk-side) SIP listener must be rebound.
    public var wanListenerChanged: Bool { blocks[.wan] != nil }
    public var pbxChanged: Bool { blocks[.pbx] != nil }
    public var routingChanged: Bool { blocks[.routing] != nil || blocks[.numbering] != nil }
    public var mediaChanged: Bool { blocks[.media] != nil }
    public var lineChanged: Bool { blocks[.line] != nil }
    public var consoleChanged: Bool { blocks[.console] != nil }
    public var loggingChanged: Bool { blocks[.logging] != nil }
    public var hostnameChanged: Bool { blocks[.top] != nil }

    /// One line per change, e.g. `profile sales: changed channels, password (re-register)`.
    public var summary: [String] {
        var out: [String] = []
        for p in profilesAdded { out.append("profile \(p): added") }
        for p in profilesRemoved { out.append("profile \(p): removed (its calls finish first)") }
        for c in profilesChanged {
            let renamed = c.previousName.map { " (renamed from \($0))" } ?? ""
            out.append("profile \(c.name)\(renamed): changed \(c.fields.joined(separator: ", "))" + (c.reregister ? " (re-register)" : ""))
        }
        for block in [ConfigBlock.top] + ConfigSchema.blockOrder {
            guard let fields = blocks[block] else { continue }
            out.append("\(block == .top ? "top level" : block.rawValue): changed \(fields.joined(separator: ", "))")
        }
        return out
    }

    public var description: String { isEmpty ? "no changes" : summary.joined(separator: "\n") }
}
