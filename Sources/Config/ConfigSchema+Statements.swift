// ConfigSchema+Statements: the table of every statement of the config language, in serialization order.

/// Words of one rendered line.
private func line(_ words: String...) -> [ConfigWord] { words.map(ConfigWord.text) }
private func one(_ words: String...) -> [[ConfigWord]] { [words.map(ConfigWord.text)] }
private func some(_ value: String?, _ keyword: String) -> [[ConfigWord]] { value.map { one(keyword, $0) } ?? [] }
private func unlessDefault<T: Equatable>(_ value: T, _ def: T, _ words: @autoclosure () -> [[ConfigWord]]) -> [[ConfigWord]] {
    value == def ? [] : words()
}
private func choice<K: ConfigKeyword>(_: K.Type) -> ConfigPatternElement { .choice(K.words) }
private func mapped(_ m: NumberMapping, _ keyword: String) -> [ConfigWord] {
    var w = line(keyword, m.identity)
    if let e = m.extension { w += line("extension", e) }
    return w
}
private func target(_ t: RouteRule.Target) -> [ConfigWord] {
    switch t {
    case .profile(let p): line("profile", p)
    case .line: line("line")
    }
}
private let routeTarget = ConfigPatternElement.oneOf([[.keyword("profile"), .word("NAME")], [.keyword("line")]])
private func target(_ a: ConfigArgument) -> RouteRule.Target {
    if case .alternative(0, let args) = a, case .word(let name)? = args.first { return .profile(name) }
    return .line
}
private func checkCount(_ n: Int, _ limit: Int, _ what: String) throws {
    if n >= limit { throw ConfigProblem("more than \(limit) \(what) (limit)") }
}

extension ConfigSchema {
    /// Statements of the singleton listener blocks (`lan`, `wan`), which share their shape.
    static func listenerStatements(_ block: ConfigBlock, _ s: ConfigSection<ListenerConfig>, _ def: ListenerConfig) -> [ConfigStatement] {
        let side = block == .lan ? "the PBX (LAN)" : "the trunk (WAN)"
        let trust: [ConfigStatement] = block != .wan ? [] : [
            s.statement(block, [.keyword("tls-ca-file"), .word("PATH")], "PEM file of the CAs trusted for the trunk's TLS certificate (default: the system CAs)",
                        apply: { $0.tlsCAFile = $1.word(0) }, render: { some($0.tlsCAFile, "tls-ca-file") }),
        ]
        return [
            s.statement(block, [.keyword("address"), .word("IP")], "Address the SIP listener toward \(side) binds to (0.0.0.0 or :: for all)",
                        apply: { $0.address = $1.word(0) }, render: { one("address", $0.address) }),
            s.statement(block, [.keyword("sip-port"), .integer("PORT", ConfigLimits.ports)], "UDP and TCP port toward \(side)",
                        apply: { $0.sipPort = $1.int(0) }, render: { one("sip-port", String($0.sipPort)) }),
            s.statement(block, [.keyword("tls-port"), .integer("PORT", ConfigLimits.ports)], "TLS port toward \(side) (shown when TLS is on or the port is not \(def.tlsPort))",
                        apply: { $0.tlsPort = $1.int(0) },
                        render: { $0.transports.contains(.tls) || $0.tlsPort != def.tlsPort ? one("tls-port", String($0.tlsPort)) : [] }),
            s.statement(block, [.keyword("transports"), .list(choice(ConfigTransport.self), min: 1)], "Transports listened on toward \(side)",
                        apply: { $0.transports = $1.words(0).compactMap(ConfigTransport.init(rawValue:)) },
                        render: { [line("transports") + $0.transports.map { .text($0.rawValue) }] }),
        ] + trust
    }

    /// Every statement, grouped by block, in the order the serializer writes them.
    static let table: [ConfigStatement] = {
        var t: [ConfigStatement] = []
        let top = ConfigSection<GatewayConfig>.top
        t.append(top.statement(.top, [.keyword("hostname"), .word("NAME")], "Name of the box (prompt, syslog); letters, digits, hyphens",
                               apply: { $0.hostname = $1.word(0) }, render: { one("hostname", $0.hostname) }))

        let console = ConfigSection<ConsoleConfig>.console
        t += [
            console.statement(.console, [.keyword("device"), .word("PATH")], "Serial device of the console (e.g. /dev/ttyS0)",
                              apply: { $0.device = $1.word(0) }, render: { one("device", $0.device) }),
            console.statement(.console, [.keyword("speed"), .integer("BAUD", nil)], "Line speed, a standard rate: " + ConfigLimits.consoleSpeeds.map(String.init).joined(separator: " "),
                              apply: { $0.speed = $1.int(0) }, render: { one("speed", String($0.speed)) }),
            console.statement(.console, [.keyword("idle-timeout"), .integer("MINUTES", ConfigLimits.idleTimeoutMinutes)], "Log out after this many idle minutes (0: never)",
                              apply: { $0.idleTimeoutMinutes = $1.int(0) }, render: { one("idle-timeout", String($0.idleTimeoutMinutes)) }),
        ]
        t += listenerStatements(.lan, .lan, .lanDefault)
        t += listenerStatements(.wan, .wan, .wanDefault)

        let pbx = ConfigSection<PBXConfig>.pbx
        t += [
            pbx.statement(.pbx, [.keyword("address"), .word("IP")], "The PBX's address (incoming trunk calls are sent there)",
                          apply: { $0.address = $1.word(0) }, render: { some($0.address, "address") }),
            pbx.statement(.pbx, [.keyword("port"), .integer("PORT", ConfigLimits.ports)], "The PBX's SIP port (default 5060)",
                          apply: { $0.port = $1.int(0) }, render: { unlessDefault($0.port, 5_060, one("port", String($0.port))) }),
            pbx.statement(.pbx, [.keyword("transport"), choice(ConfigTransport.self)], "Transport toward the PBX (default udp)",
                          apply: { $0.transport = $1.keyword(0) }, render: { unlessDefault($0.transport, .udp, one("transport", $0.transport.rawValue)) }),
            pbx.statement(.pbx, [.keyword("acl"), .word("CIDR")], "A source network allowed to send calls (repeat for more; none: the PBX address only)",
                          repeatable: true,
                          apply: { try checkCount($0.acl.count, ConfigLimits.maxACLEntries, "acl entries"); $0.acl.append($1.word(0)) },
                          render: { $0.acl.map { line("acl", $0) } }),
            pbx.statement(.pbx, [.keyword("username"), .word("NAME")], "Digest user name the PBX must authenticate with",
                          apply: { $0.username = $1.word(0) }, render: { some($0.username, "username") }),
            pbx.statement(.pbx, [.keyword("password"), .secret], "Digest password the PBX must authenticate with (******** keeps the current one)",
                          secret: true,
                          apply: { $0.password = $1.secret(0) }, render: { $0.password.map { [[.text("password"), .secret($0)]] } ?? [] }),
        ]

        let p = ConfigSection<ProfileConfig>.profile
        t += [
            p.statement(.profile, [.keyword("registrar"), .word("HOST[:PORT]")], "Trunk registrar and proxy (sip.skype.com)",
                        apply: { $0.registrar = $1.word(0) }, render: { one("registrar", $0.registrar) }),
            p.statement(.profile, [.keyword("transport"), choice(ConfigTransport.self)], "Signalling transport to the trunk",
                        apply: { $0.transport = $1.keyword(0) }, render: { one("transport", $0.transport.rawValue) }),
            p.statement(.profile, [.keyword("srtp"), choice(SRTPPolicy.self)], "Encrypt media: off, optional (when the trunk agrees), required (never plain RTP)",
                        apply: { $0.srtp = $1.keyword(0) }, render: { one("srtp", $0.srtp.rawValue) }),
            p.statement(.profile, [.keyword("srtp-plain-signalling"), choice(PlainSignallingKeys.self)], "Allow SRTP keys over UDP/TCP signalling, i.e. in clear (default deny)",
                        apply: { $0.srtpPlainSignalling = $1.keyword(0) },
                        render: { unlessDefault($0.srtpPlainSignalling, .deny, one("srtp-plain-signalling", $0.srtpPlainSignalling.rawValue)) }),
            p.statement(.profile, [.keyword("auth"), choice(TrunkAuthMode.self)], "registration (REGISTER with digest) or ip (IP authentication, no REGISTER)",
                        apply: { $0.auth = $1.keyword(0) }, render: { unlessDefault($0.auth, .registration, one("auth", $0.auth.rawValue)) }),
            p.statement(.profile, [.keyword("sip-user"), .word("DIGITS")], "SIP user name of the profile: 14 digits starting 99051",
                        apply: { $0.sipUser = $1.word(0) }, render: { some($0.sipUser, "sip-user") }),
            p.statement(.profile, [.keyword("password"), .secret], "SIP password of the profile (******** keeps the current one)",
                        secret: true,
                        apply: { $0.password = $1.secret(0) }, render: { $0.password.map { [[.text("password"), .secret($0)]] } ?? [] }),
            p.statement(.profile, [.keyword("register-expires"), .integer("SECONDS", ConfigLimits.registerExpiresSeconds)], "Registration expiry asked of the registrar (default 3600)",
                        apply: { $0.registerExpires = $1.int(0) },
                        render: { unlessDefault($0.registerExpires, 3_600, one("register-expires", String($0.registerExpires))) }),
            p.statement(.profile, [.keyword("keepalive"), .integer("SECONDS", ConfigLimits.keepAliveSeconds)], "OPTIONS keep-alive to the trunk every N seconds (0: none; default 30 with auth ip)",
                        apply: { $0.keepAlive = $1.int(0) },
                        render: { $0.keepAlive.map { one("keepalive", String($0)) } ?? [] }),
            p.statement(.profile, [.keyword("channels"), .integer("N", ConfigLimits.channels)], "Channels bought for the profile: concurrent calls either way",
                        apply: { $0.channels = $1.int(0) }, render: { one("channels", String($0.channels)) }),
            p.statement(.profile, [.keyword("us-bundles"), .integer("N", 0...ConfigLimits.channels.upperBound)], "US minute bundles (5,000 minutes a month each); never more than channels",
                        apply: { $0.usBundles = $1.int(0) }, render: { one("us-bundles", String($0.usBundles)) }),
            p.statement(.profile, [.keyword("caller-id"), .word("E164")], "Number shown on outgoing calls: an Online Number or a verified-number of this profile",
                        apply: { $0.callerID = $1.word(0) }, render: { some($0.callerID, "caller-id") }),
            p.statement(.profile, [.keyword("p-asserted-identity"), choice(OnOff.self)], "Also send the caller ID as P-Asserted-Identity (default off)",
                        apply: { $0.pAssertedIdentity = $1.keyword(0, as: OnOff.self).isOn },
                        render: { $0.pAssertedIdentity ? one("p-asserted-identity", "on") : [] }),
            p.statement(.profile, [.keyword("called-number-from"), choice(CalledNumberSource.self)], "Where incoming calls carry the dialled Online Number (default to)",
                        apply: { $0.calledNumberFrom = $1.keyword(0) },
                        render: { unlessDefault($0.calledNumberFrom, .to, one("called-number-from", $0.calledNumberFrom.rawValue)) }),
            p.statement(.profile, [.keyword("default-extension"), .word("EXT")], "Extension for incoming calls without an extension of their own",
                        apply: { $0.defaultExtension = $1.word(0) }, render: { some($0.defaultExtension, "default-extension") }),
            p.statement(.profile, [.keyword("verified-number"), .word("E164")], "A landline number the business has shown it owns (usable as caller ID)",
                        repeatable: true,
                        apply: { try checkCount($0.verifiedNumbers.count, ConfigLimits.maxNumbersPerProfile, "verified numbers"); $0.verifiedNumbers.append($1.word(0)) },
                        render: { $0.verifiedNumbers.map { line("verified-number", $0) } }),
            p.statement(.profile, [.keyword("online-number"), .word("E164"), .optional([.keyword("extension"), .word("EXT")])],
                        "An Online Number of the profile and the extension its calls ring (up to 99)",
                        repeatable: true,
                        apply: {
                            try checkCount($0.onlineNumbers.count, ConfigLimits.maxNumbersPerProfile, "online numbers")
                            $0.onlineNumbers.append(NumberMapping($1.word(0), extension: $1.optionalWord(1)))
                        },
                        render: { $0.onlineNumbers.map { mapped($0, "online-number") } }),
            p.statement(.profile, [.keyword("skype-name"), .word("NAME"), .optional([.keyword("extension"), .word("EXT")])],
                        "A business Skype Name of the profile and the extension its calls ring",
                        repeatable: true,
                        apply: {
                            try checkCount($0.skypeNames.count, ConfigLimits.maxNumbersPerProfile, "skype names")
                            $0.skypeNames.append(NumberMapping($1.word(0), extension: $1.optionalWord(1)))
                        },
                        render: { $0.skypeNames.map { mapped($0, "skype-name") } }),
        ]

        let r = ConfigSection<RoutingConfig>.routing
        t += [
            r.statement(.routing, [.keyword("emergency"), .list(.word("NUMBER"), min: 0)], "Emergency numbers: never sent to the trunk; the analog line carries them",
                        apply: {
                            let numbers = $1.words(0)
                            if numbers.count > ConfigLimits.maxEmergencyNumbers { throw ConfigProblem("more than \(ConfigLimits.maxEmergencyNumbers) numbers (limit)") }
                            $0.emergency = numbers
                        },
                        render: { [line("emergency") + $0.emergency.map(ConfigWord.text)] }),
            r.statement(.routing, field: "route", [.keyword("route"), .keyword("prefix"), .word("DIGITS"), routeTarget],
                        "Calls whose dialled number (after the access prefix) starts with DIGITS take this profile or the line",
                        repeatable: true,
                        apply: {
                            try checkCount($0.routes.count, ConfigLimits.maxRoutes, "routes")
                            $0.routes.append(RouteRule(.prefix($1.word(0)), target($1[1])))
                        },
                        // Renders both kinds, so rules keep the order they are tried in.
                        render: { $0.routes.map { rule in
                            switch rule.match {
                            case .prefix(let digits): line("route", "prefix", digits) + target(rule.target)
                            case .extensions(let low, let high): line("route", "extensions", "\(low)-\(high)") + target(rule.target)
                            }
                        } }),
            r.statement(.routing, field: "route", [.keyword("route"), .keyword("extensions"), .integerRange("LOW-HIGH"), routeTarget],
                        "Calls from extensions LOW to HIGH take this profile or the line",
                        repeatable: true,
                        apply: {
                            try checkCount($0.routes.count, ConfigLimits.maxRoutes, "routes")
                            let (low, high) = $1.range(0)
                            $0.routes.append(RouteRule(.extensions(low: low, high: high), target($1[1])))
                        },
                        render: { _ in [] }),  // written by `route prefix`, in rule order
            r.statement(.routing, [.keyword("default-profile"), .word("NAME")], "Profile for calls no route matches",
                        apply: { $0.defaultProfile = $1.word(0) }, render: { some($0.defaultProfile, "default-profile") }),
            r.statement(.routing, [.keyword("overflow-response"), choice(OverflowResponse.self)], "Answer to the PBX when a profile's channels are all busy (default 503)",
                        apply: { $0.overflowResponse = $1.keyword(0) },
                        render: { unlessDefault($0.overflowResponse, .serviceUnavailable, one("overflow-response", $0.overflowResponse.rawValue)) }),
            r.statement(.routing, [.keyword("redirects"), choice(RedirectHandling.self)], "3xx answers from the trunk: follow them, or pass them to the PBX (default pass)",
                        apply: { $0.redirects = $1.keyword(0) },
                        render: { unlessDefault($0.redirects, .pass, one("redirects", $0.redirects.rawValue)) }),
        ]

        let n = ConfigSection<NumberingConfig>.numbering
        t += [
            n.statement(.numbering, [.keyword("country-code"), .word("DIGITS")], "Country calling code of the site (1 to 3 digits)",
                        apply: { $0.countryCode = $1.word(0) }, render: { some($0.countryCode, "country-code") }),
            n.statement(.numbering, [.keyword("national-prefix"), .word("DIGITS")], "Trunk prefix of national numbers (0 in most countries, 1 in North America)",
                        apply: { $0.nationalPrefix = $1.word(0) }, render: { some($0.nationalPrefix, "national-prefix") }),
            n.statement(.numbering, [.keyword("international-prefix"), .word("DIGITS")], "Prefix of international numbers (00; 011 in North America)",
                        apply: { $0.internationalPrefix = $1.word(0) }, render: { one("international-prefix", $0.internationalPrefix) }),
            n.statement(.numbering, [.keyword("access-prefix"), .word("DIGITS")], "Outside-line prefix the PBX leaves on dialled numbers (stripped)",
                        apply: { $0.accessPrefix = $1.word(0) }, render: { some($0.accessPrefix, "access-prefix") }),
        ]

        let l = ConfigSection<LineConfig>.line
        t += [
            l.statement(.line, [.keyword("device"), .word("PCM")], "ALSA PCM of the line (hw:0, plughw:1,0, default)",
                        apply: { $0.device = $1.word(0) }, render: { one("device", $0.device) }),
            l.statement(.line, [.keyword("board"), .word("PROFILE")], "Board profile (pin map) under board/",
                        apply: { $0.board = $1.word(0) }, render: { one("board", $0.board) }),
            l.statement(.line, [.keyword("gpio-chip"), .word("CHIP")], "GPIO chip of the line's pins (overrides the board profile)",
                        apply: { $0.gpioChip = $1.word(0) }, render: { some($0.gpioChip, "gpio-chip") }),
            l.statement(.line, field: "gpio hook", [.keyword("gpio"), .keyword("hook"), .integer("PIN", ConfigLimits.gpioPins)], "Hook relay output pin (overrides the board profile)",
                        apply: { $0.hookPin = $1.int(0) }, render: { $0.hookPin.map { one("gpio", "hook", String($0)) } ?? [] }),
            l.statement(.line, field: "gpio ring", [.keyword("gpio"), .keyword("ring"), .integer("PIN", ConfigLimits.gpioPins)], "Ring detect input pin (overrides the board profile)",
                        apply: { $0.ringPin = $1.int(0) }, render: { $0.ringPin.map { one("gpio", "ring", String($0)) } ?? [] }),
            l.statement(.line, field: "gpio polarity", [.keyword("gpio"), .keyword("polarity"), .integer("PIN", ConfigLimits.gpioPins)], "Polarity reversal input pin, where wired",
                        apply: { $0.polarityPin = $1.int(0) }, render: { $0.polarityPin.map { one("gpio", "polarity", String($0)) } ?? [] }),
            l.statement(.line, [.keyword("incoming-extension"), .word("EXT")], "PBX extension a ringing line is delivered to",
                        apply: { $0.incomingExtension = $1.word(0) }, render: { some($0.incomingExtension, "incoming-extension") }),
            l.statement(.line, [.keyword("fallback"), choice(OnOff.self)], "Send calls of a profile that is down over the line",
                        apply: { $0.fallback = $1.keyword(0, as: OnOff.self).isOn }, render: { one("fallback", OnOff($0.fallback).rawValue) }),
            l.statement(.line, [.keyword("echo-tail"), .integer("MS", ConfigLimits.echoTailMilliseconds)], "Echo canceller tail in milliseconds (default 64)",
                        apply: { $0.echoTailMilliseconds = $1.int(0) },
                        render: { unlessDefault($0.echoTailMilliseconds, 64, one("echo-tail", String($0.echoTailMilliseconds))) }),
            l.statement(.line, [.keyword("caller-id-standard"), choice(LineCallerIDStandard.self)], "Caller ID signalling on the line (default bell202)",
                        apply: { $0.callerIDStandard = $1.keyword(0) },
                        render: { unlessDefault($0.callerIDStandard, .bell202, one("caller-id-standard", $0.callerIDStandard.rawValue)) }),
            l.statement(.line, [.keyword("tones"), choice(ToneCountry.self)], "Call-progress tone cadences of the line's country (default us)",
                        apply: { $0.tones = $1.keyword(0) }, render: { unlessDefault($0.tones, .us, one("tones", $0.tones.rawValue)) }),
            l.statement(.line, [.keyword("period"), .integer("MS", nil)], "ALSA period in milliseconds: 10 or 20 (default 20)",
                        apply: { $0.periodMilliseconds = $1.int(0) },
                        render: { unlessDefault($0.periodMilliseconds, 20, one("period", String($0.periodMilliseconds))) }),
            l.statement(.line, [.keyword("rate"), .integer("HZ", nil)], "Sample rate asked of the sound card: 8000, 16000, 44100 or 48000 (default 8000; above 8000 resampled with speexdsp)",
                        apply: { $0.rateHz = $1.int(0) },
                        render: { unlessDefault($0.rateHz, 8000, one("rate", String($0.rateHz))) }),
        ]

        let m = ConfigSection<MediaConfig>.media
        t += [
            m.statement(.media, [.keyword("rtp-ports"), .integerRange("LOW-HIGH")], "RTP port range; LOW even (RTCP takes the odd port above each RTP port)",
                        apply: { ($0.rtpPortLow, $0.rtpPortHigh) = $1.range(0) }, render: { one("rtp-ports", "\($0.rtpPortLow)-\($0.rtpPortHigh)") }),
            m.statement(.media, [.keyword("codecs"), .list(choice(ConfigCodec.self), min: 1)], "Codecs offered, most preferred first",
                        apply: { $0.codecs = $1.words(0).compactMap(ConfigCodec.init(rawValue:)) },
                        render: { [line("codecs") + $0.codecs.map { .text($0.rawValue) }] }),
            m.statement(.media, [.keyword("ptime"), .integer("MS", nil)], "Packet time in milliseconds: 10, 20 or 30 (default 20)",
                        apply: { $0.ptime = $1.int(0) }, render: { unlessDefault($0.ptime, 20, one("ptime", String($0.ptime))) }),
            m.statement(.media, [.keyword("rtp-timeout"), .integer("SECONDS", ConfigLimits.rtpTimeoutSeconds)], "Hang up a call after this long with no RTP either way, not on hold (0: never; default 30; takes effect at reload)",
                        apply: { $0.rtpTimeoutSeconds = $1.int(0) },
                        render: { unlessDefault($0.rtpTimeoutSeconds, 30, one("rtp-timeout", String($0.rtpTimeoutSeconds))) }),
        ]

        let g = ConfigSection<LoggingConfig>.logging
        t += [
            g.statement(.logging, [.keyword("level"), choice(LogLevel.self)], "Least severe messages logged",
                        apply: { $0.level = $1.keyword(0) }, render: { one("level", $0.level.rawValue) }),
            g.statement(.logging, [.keyword("syslog"), .word("HOST[:PORT]")], "Also send log messages to this syslog collector (UDP, port 514 by default)",
                        apply: { $0.syslog = $1.word(0) }, render: { some($0.syslog, "syslog") }),
        ]
        return t
    }()
}
