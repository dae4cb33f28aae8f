// SchemaTests: the statement table drives help and completion, and covers every statement the serializer writes.

import Testing
@testable import Config

@Suite("Statement schema, help and completion")
struct SchemaTests {
    @Test func helpLinesComeFromTheTable() {
        let help = ConfigSchema.help(in: .profile)
        #expect(help.contains { $0.syntax == "channels (1-300)" && $0.help.contains("Channels") })
        #expect(help.contains { $0.syntax == "transport (udp|tcp|tls)" })
        #expect(help.contains { $0.syntax == "online-number E164 [extension EXT]" && $0.repeatable })
        #expect(ConfigSchema.help(in: .routing).contains { $0.syntax == "route prefix DIGITS {profile NAME|line}" })
        #expect(ConfigSchema.help(in: .media).contains { $0.syntax == "codecs (pcmu|pcma|g729)..." })
        let top = ConfigSchema.help(in: .top).map(\.syntax)
        #expect(top == ["hostname NAME", "console", "lan", "wan", "pbx", "profile NAME", "routing", "numbering", "line", "media", "logging"])
        for block in ConfigBlock.allCases {
            for h in ConfigSchema.help(in: block) { #expect(!h.help.isEmpty, "\(block) \(h.syntax)") }
        }
    }

    @Test func completion() {
        #expect(ConfigSchema.completions(for: ["ch"], in: .profile) == ["channels"])
        #expect(ConfigSchema.completions(for: ["srtp", "re"], in: .profile) == ["required"])
        #expect(ConfigSchema.completions(for: ["srtp", ""], in: .profile) == ["off", "optional", "required"])
        #expect(ConfigSchema.completions(for: ["route", ""], in: .routing) == ["extensions", "prefix"])
        #expect(ConfigSchema.completions(for: ["route", "prefix", "00", ""], in: .routing) == ["line", "profile"])
        #expect(ConfigSchema.completions(for: ["online-number", "+12025550100", ""], in: .profile) == ["extension"])
        #expect(ConfigSchema.completions(for: ["codecs", "pcmu", "g"], in: .media) == ["g729"])
        #expect(ConfigSchema.completions(for: ["channels", ""], in: .profile) == [])
        #expect(ConfigSchema.completions(for: ["p"], in: .top) == ["pbx", "profile"])
        #expect(ConfigSchema.completions(for: ["gpio", ""], in: .line) == ["hook", "polarity", "ring"])
    }

    @Test func questionMarkHelpAfterWords() {
        let channels = ConfigSchema.help(after: ["channels", ""], in: .profile)
        #expect(channels.map(\.syntax) == ["(1-300)"])
        #expect(channels.first?.help.hasPrefix("Channels bought") == true)
        #expect(ConfigSchema.help(after: ["channels", "10", ""], in: .profile).map(\.syntax) == ["<cr>"])
        #expect(ConfigSchema.help(after: ["srtp", "o"], in: .profile).map(\.syntax) == ["off", "optional"])
        #expect(ConfigSchema.help(after: ["online-number", "+12025550100", ""], in: .profile).map(\.syntax) == ["<cr>", "extension"])
        #expect(ConfigSchema.help(after: ["online-number", "+12025550100", "extension", ""], in: .profile).map(\.syntax) == ["EXT"])
        #expect(ConfigSchema.help(after: ["route", "extensions", ""], in: .routing).map(\.syntax) == ["LOW-HIGH"])
        #expect(ConfigSchema.help(after: ["codecs", "pcmu", ""], in: .media).map(\.syntax) == ["<cr>", "g729", "pcma", "pcmu"])
        #expect(ConfigSchema.help(after: ["codecs", ""], in: .media).map(\.syntax) == ["g729", "pcma", "pcmu"])
        #expect(ConfigSchema.help(after: ["emergency", ""], in: .routing).map(\.syntax) == ["<cr>", "NUMBER..."])
        let top = ConfigSchema.help(after: ["p"], in: .top)
        #expect(top.map(\.syntax) == ["pbx", "profile"])
        #expect(top.last?.help == ConfigSchema.headerHelp(.profile))
        #expect(ConfigSchema.help(after: ["profile", ""], in: .top).map(\.syntax) == ["NAME"])
        #expect(ConfigSchema.help(after: ["bogus", ""], in: .profile).isEmpty)
        #expect(ConfigSchema.help(after: [""], in: .profile).count == ConfigSchema.keywords(in: .profile).count)
    }

    @Test func secretStatementsAreDeclared() {
        #expect(ConfigSchema.secretKeywords == ["password"])
        #expect(ConfigSchema.statements(in: .pbx).filter(\.isSecret).map(\.field) == ["password"])
    }

    @Test func everyStatementRoundTripsThroughTheSerializer() throws {
        // A config that sets every statement away from its default: each must render and parse back.
        var c = try ConfigText.parse(try ConfigFixtures.architects)
        c.lan.transports = [.tls]
        c.lan.tlsPort = 5_071
        c.pbx.port = 5_070
        c.pbx.transport = .tcp
        c.profiles[1].srtpPlainSignalling = .allow
        c.profiles[1].auth = .ip
        c.profiles[1].registerExpires = 600
        c.profiles[1].keepAlive = 0
        c.media.rtpTimeoutSeconds = 120
        c.routing.overflowResponse = .busyHere
        c.line?.gpioChip = "gpiochip1"
        c.line?.polarityPin = 22
        c.line?.echoTailMilliseconds = 128
        c.line?.callerIDStandard = .v23
        c.media.ptime = 30
        c.routing.redirects = .follow
        c.line?.tones = .uk
        c.line?.periodMilliseconds = 10
        c.line?.rateHz = 48_000
        c.wan.tlsCAFile = "/etc/trunkbox/trunk-ca.pem"
        let text = ConfigText.serialize(c)
        let back = try ConfigText.parse(text)
        #expect(back == c)
        #expect(ConfigText.serialize(back) == text)
        var written = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix(" ") {
            let words = line.split(separator: " ")
            written.insert(String(words[0]))
            if words[0] == "gpio" || words[0] == "route" { written.insert("\(words[0]) \(words[1])") }
        }
        for block in ConfigBlock.allCases where block != .top {
            for st in ConfigSchema.statements(in: block) {
                let name = st.keywords.count > 1 ? st.keywords.prefix(2).joined(separator: " ") : st.keywords[0]
                #expect(written.contains(name), "\(block) \(name) was never written")
            }
        }
    }
}

@Suite("WAN trust anchors")
struct TLSCAFileTests {
    @Test func wanTakesACAFileAndWritesItBack() throws {
        let c = try ConfigText.parse("wan\n transports udp tls\n tls-ca-file /etc/trunkbox/trunk-ca.pem\n")
        #expect(c.wan.tlsCAFile == "/etc/trunkbox/trunk-ca.pem")
        #expect(c.lan.tlsCAFile == nil)
        #expect(ConfigText.serialize(c).contains(" tls-ca-file /etc/trunkbox/trunk-ca.pem\n"))
        #expect(try ConfigText.parse(ConfigText.serialize(c)) == c)
    }

    @Test func theLANSideHasNoTrustAnchors() {
        #expect(throws: (any Error).self) { try ConfigText.parse("lan\n tls-ca-file /tmp/ca.pem\n") }
    }
}
