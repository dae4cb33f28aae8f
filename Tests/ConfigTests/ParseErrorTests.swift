// ParseErrorTests: syntax errors name the line and field, suggest the nearest keyword, and all are reported.

import Testing
@testable import Config

@Suite("Parse errors and positions")
struct ParseErrorTests {
    /// The issues of a text that must not parse.
    func issues(_ text: String) -> [ConfigIssue] {
        do {
            _ = try ConfigText.parse(text)
            Issue.record("parsed, but should not have: \(text)")
            return []
        } catch {
            return error.issues
        }
    }

    @Test func unknownKeywordGetsTheNearestSuggested() {
        let i = issues("hostname gw\nprofile sales\n chanels 10\n")
        #expect(i.map(\.description) == ["line 3: chanels: unknown keyword 'chanels' in profile; did you mean 'channels'?"])
        #expect(issues("hostnme gw\n").first?.description == "line 1: hostnme: unknown keyword 'hostnme'; did you mean 'hostname'?")
        #expect(issues("profile a\n srtp-user 1\n").first?.message.hasSuffix("did you mean 'sip-user'?") == true)
        #expect(issues("profile a\n zzzzzz 1\n").first?.message == "unknown keyword 'zzzzzz' in profile")
        #expect(issues("lan\n adress 10.0.0.1\n").first?.message.hasSuffix("did you mean 'address'?") == true)
    }

    @Test func wrongChoiceGetsTheNearestSuggested() {
        let i = issues("profile a\n transport tsl\n")
        #expect(i.map(\.description) == ["line 2: transport: 'tsl' is not one of udp, tcp, tls; did you mean 'tls'?"])
        #expect(issues("profile a\n srtp mandatory\n").first?.message == "'mandatory' is not one of off, optional, required")
    }

    @Test func statementInTheWrongPlace() {
        #expect(issues("channels 10\n").first?.description == "line 1: channels: belongs in a profile block: indent it under 'profile NAME'")
        #expect(issues("lan\n hostname x\n").first?.description == "line 2: hostname: is a top-level statement: write it without indentation")
        #expect(issues("lan\n channels 3\n").first?.message == "belongs in a profile block, not in lan")
        #expect(issues(" speed 9600\n").first?.message.hasPrefix("indented line is not inside a block") == true)
        #expect(issues("hostname a\n device /dev/ttyS0\n").first?.line == 2)
        #expect(issues("console\n lan\n").first?.message == "is a block header: write it without indentation")
    }

    @Test func valueShapeErrors() {
        #expect(issues("profile a\n channels ten\n").first?.description == "line 2: channels: 'ten' is not a whole number (N)")
        #expect(issues("profile a\n channels\n").first?.description == "line 2: channels: missing (1-300)")
        #expect(issues("profile a\n channels 1 2\n").first?.description == "line 2: channels: unexpected '2' (syntax: channels (1-300))")
        #expect(issues("media\n rtp-ports 10000\n").first?.message.hasPrefix("'10000' is not a range LOW-HIGH") == true)
        #expect(issues("profile a\n channels 9999999999\n").first?.message.contains("not a whole number") == true)
        #expect(issues("routing\n route prefix 00 profle sales\n").first?.description
                == "line 2: route: expected 'profile' or 'line', not 'profle'; did you mean 'profile'?")
        #expect(issues("routing\n route suffix 00 line\n").first?.message == "expected 'prefix' or 'extensions' after 'route', not 'suffix'")
        #expect(issues("profile a\n online-number +12025550100 ext 201\n").first?.message == "expected 'extension', not 'ext'; did you mean 'extension'?")
        #expect(issues("media\n codecs\n").first?.message == "needs at least 1 (pcmu|pcma|g729) value")
        #expect(issues("line\n gpio hook\n").first?.field == "gpio hook")
    }

    @Test func headerErrors() {
        #expect(issues("profile\n").first?.description == "line 1: profile: missing the profile name (profile NAME)")
        #expect(issues("profile a b\n").first?.message == "takes one name; quote a name with spaces")
        #expect(issues("lan 10.0.0.1\n").first?.field == "lan")
        // Statements under a refused header are skipped, not reported again.
        #expect(issues("profile\n channels 5\n chanels 4\n").count == 1)
    }

    @Test func repeatedStatementIsAnError() {
        let i = issues("profile a\n channels 5\n channels 6\n")
        #expect(i.map(\.description) == ["line 3: channels: given twice in this block (first at line 2)"])
        // Repeatable statements add items instead.
        #expect((try? ConfigText.parse("profile a\n verified-number +12025550100\n verified-number +12025550101\n"))?.profiles[0].verifiedNumbers.count == 2)
        // A singleton block opened twice is one block: a statement in each is a repeat.
        #expect(issues("lan\n sip-port 5060\nwan\nlan\n sip-port 5062\n").first?.line == 5)
    }

    @Test func everyErrorIsReportedInLineOrder() {
        let i = issues("hostnam x\nprofile a\n channels x\n transport foo\nmedia\n ptime x\n")
        #expect(i.map(\.line) == [1, 3, 4, 6])
        #expect(i.map(\.field) == ["hostnam", "channels", "transport", "ptime"])
        let error = ConfigError(i)
        #expect(error.first.line == 1)
        #expect(error.description.split(separator: "\n").count == 4)
    }

    @Test func tokenizerErrors() {
        #expect(issues("hostname \"abc\n").first?.description == "line 1: hostname: quoted word has no closing quote")
        #expect(issues("\"abc\n").first?.description == "line 1: quoted word has no closing quote")
        #expect(issues("hostname ab\"c\n").first?.message == "quote inside a word (quote the whole word)")
        #expect(issues("hostname \"a\\nb\"\n").first?.message.hasPrefix("unknown escape") == true)
        #expect(issues("hostname \"ab\"c\n").first?.message == "a quoted word must be followed by a space")
        #expect(issues("hostname a\u{1}b\n").first?.message == "control character 0x01 in the line")
        #expect(issues("\n\nhostname a\u{7f}\n").first?.line == 3)
    }

    @Test func commentsQuotesAndLineEndings() throws {
        let text = "# a comment\r\n! another\r\nhostname gw   ! trailing comment\r\nprofile \"a\"\r\n\tchannels 3 # tab-indented\r\n password \"has space # and ! too\"\r\n"
        let c = try ConfigText.parse(text)
        #expect(c.hostname == "gw")
        #expect(c.profiles[0].channels == 3)
        #expect(c.profiles[0].password == .value("has space # and ! too"))
        // A word that only starts with ! or # further in is not a comment.
        #expect(try ConfigText.parse("profile a\n password ab!#cd\n").profiles[0].password == .value("ab!#cd"))
        // A quoted mask is a literal password; an unquoted one keeps the current secret.
        #expect(try ConfigText.parse("profile a\n password \"********\"\n").profiles[0].password == .value("********"))
        #expect(try ConfigText.parse("profile a\n password ********\n").profiles[0].password == .keepCurrent)
        // Escapes round-trip.
        let tricky = GatewayConfig(profiles: [ProfileConfig(name: "a", password: .value("q\"uo\\te ********"))])
        #expect(try ConfigText.parse(ConfigText.serialize(tricky)) == tricky)
        // A word starting with "!" plus a combining mark is one Character but still starts like a comment.
        let combining = GatewayConfig(hostname: "!\u{301}gw", profiles: [ProfileConfig(name: "#\u{308}", password: .value("!\u{301}"))])
        #expect(try ConfigText.parse(ConfigText.serialize(combining)) == combining)
        let masklike = GatewayConfig(profiles: [ProfileConfig(name: "a", password: .value("********"))])
        #expect(ConfigText.serialize(masklike).contains(" password \"********\"\n"))
        #expect(try ConfigText.parse(ConfigText.serialize(masklike)) == masklike)
    }

    @Test func errorsNeverEchoASecret() {
        let i = issues("profile a\n password my secret words\n pbx\n")
        #expect(i.first?.description == "line 2: password: takes one word (quote a password with spaces)")
        #expect(!i.map(\.description).joined().contains("secret"))
        #expect(!issues("pbx\n password \"hunter2\n").map(\.description).joined().contains("hunter2"))
        #expect(!issues("pbx\n password hun\u{1}ter2\n").map(\.description).joined().contains("hun"))
    }

    @Test func limits() {
        let long = "hostname " + String(repeating: "a", count: ConfigLimits.maxLineBytes)
        #expect(issues(long).first?.message == "line is longer than \(ConfigLimits.maxLineBytes) bytes (limit)")
        let tooManyLines = String(repeating: "!\n", count: ConfigLimits.maxLines + 1)
        #expect(issues(tooManyLines).first?.description == "line \(ConfigLimits.maxLines + 1): config has more than \(ConfigLimits.maxLines) lines (limit)")
        #expect((try? ConfigText.parse(String(repeating: "!\n", count: ConfigLimits.maxLines - 1))) != nil)
        let huge = String(repeating: "! padding padding padding padding\n", count: ConfigLimits.maxTextBytes / 30)
        #expect(issues(huge).first?.message == "config is larger than \(ConfigLimits.maxTextBytes) bytes (limit)")
        let words = "routing\n emergency" + String(repeating: " 911", count: ConfigLimits.maxWordsPerLine)
        #expect(issues(words).first?.message == "more than \(ConfigLimits.maxWordsPerLine) words on the line (limit)")
        let emergency = "routing\n emergency" + String(repeating: " 911", count: ConfigLimits.maxEmergencyNumbers + 1)
        #expect(issues(emergency).first?.message == "more than \(ConfigLimits.maxEmergencyNumbers) numbers (limit)")
        let profiles = (0...ConfigLimits.maxProfiles).map { "profile p\($0)\n" }.joined()
        let p = issues(profiles)
        #expect(p.map(\.description) == ["line \(ConfigLimits.maxProfiles + 1): profile: more than \(ConfigLimits.maxProfiles) profiles (limit)"])
        let numbers = "profile a\n" + (0...ConfigLimits.maxNumbersPerProfile).map { " verified-number +1202555\(String(1000 + $0))\n" }.joined()
        #expect(issues(numbers).first?.line == ConfigLimits.maxNumbersPerProfile + 2)
        let acl = "pbx\n" + (0...ConfigLimits.maxACLEntries).map { " acl 10.0.\($0).0/24\n" }.joined()
        #expect(issues(acl).first?.line == ConfigLimits.maxACLEntries + 2)
        let routes = "routing\n" + (0...ConfigLimits.maxRoutes).map { " route prefix \($0) line\n" }.joined()
        #expect(issues(routes).first?.line == ConfigLimits.maxRoutes + 2)
        // Reporting stops at maxIssues.
        let many = String(repeating: "bogus\n", count: ConfigLimits.maxIssues * 3)
        #expect(issues(many).count == ConfigLimits.maxIssues)
    }

    @Test func bytesThatAreNotUTF8AreRefusedWithTheirLine() throws {
        let bytes = Array("hostname gw\nprofile a\n password ".utf8) + [0xFF, 0xFE] + Array("\n".utf8)
        #expect(throws: ConfigError(line: 3, field: "", "the line is not valid UTF-8 text")) { try ConfigText.parse(utf8: bytes) }
        #expect(try ConfigText.parse(utf8: Array("hostname gw\n".utf8)).hostname == "gw")
    }

    @Test func missingKeptSecretIsAnErrorWithItsLine() throws {
        let text = "hostname gw\nprofile new\n sip-user 99051000012345\n password ********\n"
        let check = ConfigText.check(text, running: .factoryDefault)
        #expect(!check.isValid)
        #expect(check.issues.errors.map(\.description) == ["line 4: password: ******** keeps the current password, but the running config has no password for profile new"])
        var c = try ConfigText.parse("pbx\n username u\n password ********\n")
        #expect(throws: ConfigError.self) { try c.resolveSecrets(from: .factoryDefault) }
    }
}
