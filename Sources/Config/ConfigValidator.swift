// ConfigValidator: checks a whole candidate config (ranges, references, the Skype Connect guide's rules).

/// Checks a candidate as a whole, separately from syntax. Each issue names the line (from the text the
/// candidate was parsed from, or from its canonical text) and the field. Errors stop a commit; warnings
/// are shown. Rules, by block:
/// - console: device a path, speed a standard termios rate, idle time-out 0-1440 minutes;
/// - lan/wan: IPv4/IPv6 addresses, ports 1-65535, transports given once, no port used twice
///   (UDP/TCP on `sip-port`, TLS on `tls-port`, across both sides when their addresses overlap);
/// - pbx: address, ACL networks (no host bits), username and password together;
/// - profile: unique names and SIP user names; registrar; SIP user name `99051`+9 digits and a password (registration mode);
///   1-300 channels; 0 ≤ US bundles ≤ channels; at most 99 Online Numbers; E.164 numbers; an Online Number
///   or Skype Name on one profile only and mapped once; caller ID one of the profile's Online Numbers or
///   verified numbers; SRTP over plain transport (error when required without `srtp-plain-signalling
///   allow`, else a warning);
/// - routing: routes and default-profile name existing profiles (or a configured line); extension ranges
///   do not overlap; prefixes not repeated; emergency numbers digits;
/// - numbering, line, media (RTP range even-aligned, clear of SIP ports; codecs once; ptime), logging.
public enum ConfigValidator {
    /// Every issue of a config (errors and warnings), in line order. Without a source map, lines refer to
    /// the config's canonical text (`ConfigText.serialize`).
    public static func validate(_ config: GatewayConfig, sourceMap: ConfigSourceMap? = nil) -> [ConfigIssue] {
        let map = sourceMap ?? ConfigValidator.canonicalMap(config)
        var v = ConfigValidation(config: config, map: map)
        v.run()
        return v.issues.sorted { ($0.line, $0.field, $0.message) < ($1.line, $1.field, $1.message) }
    }

    /// Every issue of a parsed document, lines referring to its text.
    public static func validate(_ document: ConfigDocument) -> [ConfigIssue] {
        validate(document.config, sourceMap: document.sourceMap)
    }

    /// The source map of a config's canonical text (empty when that text does not parse).
    static func canonicalMap(_ config: GatewayConfig) -> ConfigSourceMap {
        (try? ConfigText.parseDocument(ConfigText.serialize(config)))?.sourceMap ?? ConfigSourceMap()
    }
}

extension Array where Element == ConfigIssue {
    /// The errors only.
    public var errors: [ConfigIssue] { filter { $0.severity == .error } }
    /// The warnings only.
    public var warnings: [ConfigIssue] { filter { $0.severity == .warning } }
}

struct ConfigValidation {
    let config: GatewayConfig
    let map: ConfigSourceMap
    var issues: [ConfigIssue] = []

    mutating func error(_ scope: ConfigScope, _ field: String, _ occurrence: Int = 0, _ message: String) {
        issues.append(ConfigIssue(line: map.line(scope, field, occurrence: occurrence), field: field, message))
    }

    mutating func warning(_ scope: ConfigScope, _ field: String, _ occurrence: Int = 0, _ message: String) {
        issues.append(ConfigIssue(line: map.line(scope, field, occurrence: occurrence), field: field, message, severity: .warning))
    }

    mutating func range(_ value: Int, _ r: ClosedRange<Int>, _ scope: ConfigScope, _ field: String) {
        if !r.contains(value) { error(scope, field, 0, "\(value) is out of range \(r.lowerBound)-\(r.upperBound)") }
    }

    mutating func run() {
        words()
        if !ConfigSyntax.isHostName(config.hostname) || config.hostname.contains(".") || config.hostname.utf8.count > ConfigLimits.maxHostnameLength {
            error(.top, "hostname", 0, "'\(config.hostname)' is not a valid host name (1-63 letters, digits and hyphens)")
        }
        console()
        listener(config.lan, .lan)
        listener(config.wan, .wan)
        listenersApart()
        pbx()
        profiles()
        routing()
        numbering()
        line()
        media()
        logging()
    }

    /// No rendered word may hold a control character (the text could not be parsed back).
    mutating func words() {
        for line in ConfigText.renderedLines(config) {
            guard let scope = line.scope, let first = line.words.first, case .text(let keyword) = first else { continue }
            let statement = ConfigSchema.statements(in: scope.block, startingWith: keyword).first
            for w in line.words {
                let text: String
                switch w {
                case .text(let t): text = t
                case .secret(let s): text = s.clearText ?? ""
                }
                if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    error(scope, line.indented || scope == .top ? (statement?.field ?? keyword) : scope.block.keyword, 0, "holds a control character")
                    return
                }
            }
        }
    }

    mutating func console() {
        let c = config.console, s = ConfigScope.block(.console)
        if !c.device.hasPrefix("/") || c.device.contains(" ") { error(s, "device", 0, "'\(c.device)' is not a device path (e.g. /dev/ttyS0)") }
        if !ConfigLimits.consoleSpeeds.contains(c.speed) {
            error(s, "speed", 0, "\(c.speed) is not a standard rate (" + ConfigLimits.consoleSpeeds.map(String.init).joined(separator: ", ") + ")")
        }
        range(c.idleTimeoutMinutes, ConfigLimits.idleTimeoutMinutes, s, "idle-timeout")
    }

    mutating func listener(_ l: ListenerConfig, _ block: ConfigBlock) {
        let s = ConfigScope.block(block)
        if !ConfigSyntax.isIPAddress(l.address) { error(s, "address", 0, "'\(l.address)' is not an IPv4 or IPv6 address") }
        range(l.sipPort, ConfigLimits.ports, s, "sip-port")
        range(l.tlsPort, ConfigLimits.ports, s, "tls-port")
        if l.transports.isEmpty { error(s, "transports", 0, "needs at least one of udp, tcp, tls") }
        if Set(l.transports).count != l.transports.count { error(s, "transports", 0, "lists a transport twice") }
        if l.transports.contains(.tcp), l.transports.contains(.tls), l.sipPort == l.tlsPort {
            error(s, "tls-port", 0, "\(l.tlsPort) is also the TCP sip-port")
        }
    }

    /// Sockets (protocol, port) a listener binds.
    static func sockets(_ l: ListenerConfig) -> Set<String> {
        var out = Set<String>()
        for t in l.transports {
            switch t {
            case .udp: out.insert("udp/\(l.sipPort)")
            case .tcp: out.insert("tcp/\(l.sipPort)")
            case .tls: out.insert("tcp/\(l.tlsPort)")
            }
        }
        return out
    }

    mutating func listenersApart() {
        let lan = config.lan, wan = config.wan
        let overlap = lan.address == wan.address || ConfigSyntax.isWildcard(lan.address) || ConfigSyntax.isWildcard(wan.address)
        guard overlap else { return }
        let shared = Self.sockets(lan).intersection(Self.sockets(wan))
        if let clash = shared.sorted().first {
            let port = Int(clash.split(separator: "/")[1]) ?? 0
            let field = (wan.sipPort == port) ? "sip-port" : "tls-port"
            error(.block(.wan), field, 0, "\(clash) is also used by the lan listener on an overlapping address")
        }
    }

    mutating func pbx() {
        let p = config.pbx, s = ConfigScope.block(.pbx)
        if let a = p.address, !ConfigSyntax.isIPAddress(a) { error(s, "address", 0, "'\(a)' is not an IPv4 or IPv6 address") }
        range(p.port, ConfigLimits.ports, s, "port")
        if p.acl.count > ConfigLimits.maxACLEntries { error(s, "acl", ConfigLimits.maxACLEntries, "more than \(ConfigLimits.maxACLEntries) entries") }
        var seen: [String: Int] = [:]
        for (i, entry) in p.acl.enumerated() {
            if let problem = ConfigSyntax.cidrProblem(entry) { error(s, "acl", i, problem) }
            if let first = seen[entry] { error(s, "acl", i, "'\(entry)' is listed twice (line \(map.line(s, "acl", occurrence: first)))") }
            seen[entry] = seen[entry] ?? i
        }
        if let u = p.username, !ConfigSyntax.isName(u) && !u.contains("@") {
            error(s, "username", 0, "'\(u)' is not a valid user name (letters, digits, . _ -)")
        }
        switch (p.username, p.password) {
        case (nil, .some): error(s, "password", 0, "is set without a username")
        case (.some, nil): error(s, "username", 0, "is set without a password")
        case (_, .value(let pw)?) where pw.isEmpty: error(s, "password", 0, "is empty")
        default: break
        }
        if p.address == nil, p.acl.isEmpty, !config.profiles.isEmpty {
            warning(s, "pbx", 0, "no PBX address or acl: no call will be accepted from the LAN")
        }
    }

    mutating func profiles() {
        var names: [String: Int] = [:]
        var onlineOwner: [String: (Int, Int)] = [:]   // number -> (profile, occurrence)
        var skypeOwner: [String: (Int, Int)] = [:]     // lower-cased name -> (profile, occurrence)
        var userOwner: [String: Int] = [:]             // SIP user name -> profile
        for (pi, p) in config.profiles.enumerated() {
            let s = ConfigScope.profile(pi)
            if !ConfigSyntax.isName(p.name) {
                error(s, "profile", 0, "'\(p.name)' is not a valid profile name (1-32 letters, digits, . _ -)")
            }
            if let first = names[p.name] {
                error(s, "profile", 0, "profile \(p.name) is defined twice (first at line \(map.headerLine(.profile(first)) ?? 1))")
            } else {
                names[p.name] = pi
            }
            profile(p, s)
            if let user = p.sipUser {
                if let owner = userOwner[user] {
                    error(s, "sip-user", 0, "\(user) is already the SIP user name of profile \(config.profiles[owner].name) (line \(map.line(.profile(owner), "sip-user"))); each SIP Profile is configured once")
                } else {
                    userOwner[user] = pi
                }
            }
            for (i, m) in p.onlineNumbers.enumerated() {
                if let (owner, occ) = onlineOwner[m.identity] {
                    if owner == pi {
                        error(s, "online-number", i, "\(m.identity) is mapped twice in this profile (line \(map.line(s, "online-number", occurrence: occ))): ambiguous")
                    } else {
                        error(s, "online-number", i, "\(m.identity) is already an Online Number of profile \(config.profiles[owner].name) (line \(map.line(.profile(owner), "online-number", occurrence: occ))); a number belongs to one profile")
                    }
                } else {
                    onlineOwner[m.identity] = (pi, i)
                }
            }
            for (i, m) in p.skypeNames.enumerated() {
                let key = m.identity.lowercased()
                if let (owner, occ) = skypeOwner[key] {
                    if owner == pi {
                        error(s, "skype-name", i, "\(m.identity) is mapped twice in this profile (line \(map.line(s, "skype-name", occurrence: occ))): ambiguous")
                    } else {
                        error(s, "skype-name", i, "\(m.identity) is already a Skype Name of profile \(config.profiles[owner].name) (line \(map.line(.profile(owner), "skype-name", occurrence: occ))); a name belongs to one profile")
                    }
                } else {
                    skypeOwner[key] = (pi, i)
                }
            }
        }
    }

    mutating func profile(_ p: ProfileConfig, _ s: ConfigScope) {
        if !ConfigSyntax.isHostPort(p.registrar) { error(s, "registrar", 0, "'\(p.registrar)' is not a host or host:port") }
        switch p.auth {
        case .registration:
            if let u = p.sipUser {
                if !ConfigSyntax.isSkypeConnectUser(u) {
                    error(s, "sip-user", 0, "'\(u)' is not a Skype Connect SIP user name (14 digits: 99051 and 9 more)")
                }
            } else {
                error(s, "sip-user", 0, "is missing (the profile's 14-digit SIP user name; or 'auth ip')")
            }
            switch p.password {
            case nil: error(s, "password", 0, "is missing (needed to register)")
            case .value(let pw)? where pw.isEmpty: error(s, "password", 0, "is empty")
            default: break
            }
        case .ip:
            if let u = p.sipUser, !ConfigSyntax.isName(u) { error(s, "sip-user", 0, "'\(u)' is not a valid user name") }
            if p.password != nil { warning(s, "password", 0, "is not used in IP authentication mode") }
        }
        range(p.registerExpires, ConfigLimits.registerExpiresSeconds, s, "register-expires")
        range(p.channels, ConfigLimits.channels, s, "channels")
        if p.usBundles < 0 {
            error(s, "us-bundles", 0, "\(p.usBundles) is out of range 0-\(max(p.channels, 0))")
        } else if p.usBundles > p.channels {
            error(s, "us-bundles", 0, "\(p.usBundles) is more than the profile's \(p.channels) channels (bundles never exceed channels)")
        }
        if p.onlineNumbers.count > ConfigLimits.maxOnlineNumbersPerProfile {
            error(s, "online-number", ConfigLimits.maxOnlineNumbersPerProfile,
                  "more than \(ConfigLimits.maxOnlineNumbersPerProfile) Online Numbers in one profile")
        }
        for (i, m) in p.onlineNumbers.enumerated() {
            if !ConfigSyntax.isE164(m.identity) { error(s, "online-number", i, "'\(m.identity)' is not an E.164 number (+ and 6-15 digits)") }
            if let e = m.extension, !ConfigSyntax.isExtension(e) { error(s, "online-number", i, "'\(e)' is not a valid extension") }
        }
        for (i, m) in p.skypeNames.enumerated() {
            if !ConfigSyntax.isSkypeName(m.identity) { error(s, "skype-name", i, "'\(m.identity)' is not a valid Skype Name") }
            if let e = m.extension, !ConfigSyntax.isExtension(e) { error(s, "skype-name", i, "'\(e)' is not a valid extension") }
        }
        var verified = Set<String>()
        for (i, n) in p.verifiedNumbers.enumerated() {
            if !ConfigSyntax.isE164(n) { error(s, "verified-number", i, "'\(n)' is not an E.164 number (+ and 6-15 digits)") }
            if !verified.insert(n).inserted { error(s, "verified-number", i, "\(n) is listed twice") }
        }
        if let c = p.callerID {
            if !ConfigSyntax.isE164(c) {
                error(s, "caller-id", 0, "'\(c)' is not an E.164 number (+ and 6-15 digits)")
            } else if !verified.contains(c), !p.onlineNumbers.contains(where: { $0.identity == c }) {
                error(s, "caller-id", 0, "\(c) is neither an Online Number nor a verified-number of this profile")
            }
        }
        if let e = p.defaultExtension, !ConfigSyntax.isExtension(e) { error(s, "default-extension", 0, "'\(e)' is not a valid extension") }
        if p.srtp != .off, p.transport != .tls {
            if p.srtpPlainSignalling == .allow {
                warning(s, "srtp", 0, "SRTP keys travel in clear over \(p.transport.rawValue) signalling (use transport tls)")
            } else if p.srtp == .required {
                error(s, "srtp", 0, "required needs transport tls (keys are only sent over TLS), or 'srtp-plain-signalling allow'")
            } else {
                warning(s, "srtp", 0, "SRTP will not be offered over \(p.transport.rawValue) (keys are only sent over TLS)")
            }
        }
    }

    mutating func routing() {
        let r = config.routing, s = ConfigScope.block(.routing)
        let names = Set(config.profiles.map(\.name))
        if r.emergency.isEmpty { warning(s, "emergency", 0, "no emergency numbers: none will be kept off the trunk") }
        var seen = Set<String>()
        for n in r.emergency {
            if !ConfigSyntax.isDigits(n, 2...8) { error(s, "emergency", 0, "'\(n)' is not an emergency number (2-8 digits)") }
            if !seen.insert(n).inserted { error(s, "emergency", 0, "\(n) is listed twice") }
        }
        var prefixes: [String: Int] = [:]
        var ranges: [(Int, Int, Int)] = []
        for (i, rule) in r.routes.enumerated() {
            switch rule.match {
            case .prefix(let p):
                if !(1...16).contains(p.utf8.count) || !p.utf8.allSatisfy({ ConfigSyntax.isDigit($0) || "+*#".utf8.contains($0) }) {
                    error(s, "route", i, "prefix '\(p)' is not digits (with + * #)")
                }
                if let first = prefixes[p] {
                    error(s, "route", i, "prefix \(p) repeats the route at line \(map.line(s, "route", occurrence: first)) and can never match")
                } else {
                    prefixes[p] = i
                }
            case .extensions(let low, let high):
                if low < 0 || low > high {
                    error(s, "route", i, "extensions \(low)-\(high) is not a range (LOW-HIGH, LOW ≤ HIGH)")
                } else if let other = ranges.first(where: { $0.0 <= high && low <= $0.1 }) {
                    error(s, "route", i, "extensions \(low)-\(high) overlap \(other.0)-\(other.1) (line \(map.line(s, "route", occurrence: other.2))): ambiguous")
                } else {
                    ranges.append((low, high, i))
                }
            }
            switch rule.target {
            case .profile(let name) where !names.contains(name):
                error(s, "route", i, "profile \(name) does not exist" + ConfigSuggestion.hint(name, config.profiles.map(\.name)))
            case .line where config.line == nil:
                error(s, "route", i, "goes to the line, but there is no line block")
            default: break
            }
        }
        if let d = r.defaultProfile, !names.contains(d) {
            error(s, "default-profile", 0, "profile \(d) does not exist" + ConfigSuggestion.hint(d, config.profiles.map(\.name)))
        }
        if r.defaultProfile == nil, !config.profiles.isEmpty {
            warning(s, "default-profile", 0, "no default-profile: calls that match no route are refused")
        }
    }

    mutating func numbering() {
        let n = config.numbering, s = ConfigScope.block(.numbering)
        if let c = n.countryCode, !ConfigSyntax.isDigits(c, 1...3) || c.hasPrefix("0") {
            error(s, "country-code", 0, "'\(c)' is not a country calling code (1-3 digits, not starting with 0)")
        }
        if let p = n.nationalPrefix, !ConfigSyntax.isDigits(p, 1...4) { error(s, "national-prefix", 0, "'\(p)' is not 1-4 digits") }
        if !ConfigSyntax.isDigits(n.internationalPrefix, 1...4) { error(s, "international-prefix", 0, "'\(n.internationalPrefix)' is not 1-4 digits") }
        if let a = n.accessPrefix, !(1...4).contains(a.utf8.count) || !a.utf8.allSatisfy({ ConfigSyntax.isDigit($0) || "*#".utf8.contains($0) }) {
            error(s, "access-prefix", 0, "'\(a)' is not 1-4 digits (with * #)")
        }
        if n.nationalPrefix == n.internationalPrefix {
            error(s, "national-prefix", 0, "is the same as the international-prefix")
        }
    }

    mutating func line() {
        guard let l = config.line else { return }
        let s = ConfigScope.block(.line)
        if l.device.isEmpty || !l.device.utf8.allSatisfy({ ConfigSyntax.isAlnum($0) || ":,._-/".utf8.contains($0) }) {
            error(s, "device", 0, "'\(l.device)' is not an ALSA device name (e.g. hw:0, plughw:1,0, default)")
        }
        if !ConfigSyntax.isName(l.board) { error(s, "board", 0, "'\(l.board)' is not a board profile name") }
        if let c = l.gpioChip, !ConfigSyntax.isName(c) { error(s, "gpio-chip", 0, "'\(c)' is not a GPIO chip name (e.g. gpiochip0)") }
        var pins: [Int: String] = [:]
        for (field, pin) in [("gpio hook", l.hookPin), ("gpio ring", l.ringPin), ("gpio polarity", l.polarityPin)] {
            guard let pin else { continue }
            range(pin, ConfigLimits.gpioPins, s, field)
            if let other = pins[pin] { error(s, field, 0, "pin \(pin) is also the \(other) pin") }
            pins[pin] = field
        }
        if let e = l.incomingExtension, !ConfigSyntax.isExtension(e) {
            error(s, "incoming-extension", 0, "'\(e)' is not a valid extension")
        }
        range(l.echoTailMilliseconds, ConfigLimits.echoTailMilliseconds, s, "echo-tail")
        if ![10, 20].contains(l.periodMilliseconds) { error(s, "period", 0, "\(l.periodMilliseconds) is not 10 or 20") }
        if !ConfigLimits.lineRates.contains(l.rateHz) { error(s, "rate", 0, "\(l.rateHz) is not 8000, 16000, 44100 or 48000") }
    }

    mutating func media() {
        let m = config.media, s = ConfigScope.block(.media)
        let low = m.rtpPortLow, high = m.rtpPortHigh
        if !ConfigLimits.rtpPorts.contains(low) || !ConfigLimits.rtpPorts.contains(high) {
            error(s, "rtp-ports", 0, "\(low)-\(high) is outside \(ConfigLimits.rtpPorts.lowerBound)-\(ConfigLimits.rtpPorts.upperBound)")
        } else if low % 2 != 0 {
            error(s, "rtp-ports", 0, "starts at odd port \(low); RTP ports are even (RTCP takes the odd one above)")
        } else if high <= low {
            error(s, "rtp-ports", 0, "\(low)-\(high) is empty: HIGH must be above LOW")
        } else {
            var sip: [(String, Int)] = []
            for (name, l) in [("lan", config.lan), ("wan", config.wan)] {
                sip.append((name + " sip-port", l.sipPort))
                if l.transports.contains(.tls) { sip.append((name + " tls-port", l.tlsPort)) }
            }
            if let clash = sip.first(where: { (low...high).contains($0.1) }) {
                error(s, "rtp-ports", 0, "\(low)-\(high) contains the \(clash.0) \(clash.1)")
            }
        }
        if m.codecs.isEmpty { error(s, "codecs", 0, "needs at least one codec") }
        if Set(m.codecs).count != m.codecs.count { error(s, "codecs", 0, "lists a codec twice") }
        if !ConfigLimits.ptimes.contains(m.ptime) {
            error(s, "ptime", 0, "\(m.ptime) is not one of " + ConfigLimits.ptimes.map(String.init).joined(separator: ", "))
        }
    }

    mutating func logging() {
        if let h = config.logging.syslog, !ConfigSyntax.isHostPort(h) {
            error(.block(.logging), "syslog", 0, "'\(h)' is not a host or host:port")
        }
    }
}
