// DiffTests: the unified-style line diff (secrets masked) and the structural change summary for live apply.

import Testing
@testable import Config

@Suite("Diff and change summary")
struct DiffTests {
    static func architects() throws -> GatewayConfig { try ConfigText.parse(try ConfigFixtures.architects) }

    @Test func equalTextsHaveNoDiff() throws {
        let text = try ConfigFixtures.architects
        #expect(ConfigDiff.text(from: text, to: text) == "")
        #expect(ConfigChanges(from: try Self.architects(), to: try Self.architects()).isEmpty)
    }

    @Test func changedValueShowsAsMinusPlusWithContext() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n"
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n"
        #expect(ConfigDiff.text(from: old, to: new, context: 2, oldLabel: "v1", newLabel: "v2") == """
            --- v1
            +++ v2
            @@ -3,5 +3,5 @@
             c
             d
            -e
            +E
             f
             g

            """)
    }

    @Test func separateHunksAndPureInsertionsAndDeletions() {
        let old = (1...20).map { "l\($0)" }.joined(separator: "\n") + "\n"
        var lines = (1...20).map { "l\($0)" }
        lines.insert("new", at: 2)      // after l2
        lines.remove(at: 18)            // l18 (index 18 after the insert)
        let new = lines.joined(separator: "\n") + "\n"
        let d = ConfigDiff.text(from: old, to: new, context: 1)
        #expect(d == """
            --- a
            +++ b
            @@ -2,2 +2,3 @@
             l2
            +new
             l3
            @@ -17,3 +18,2 @@
             l17
            -l18
             l19

            """)
        #expect(ConfigDiff.text(from: "", to: "x\n") == "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n")
        #expect(ConfigDiff.text(from: "x\n", to: "") == "--- a\n+++ b\n@@ -1,1 +0,0 @@\n-x\n")
    }

    @Test func secretsAreMaskedInDiffs() throws {
        let old = try Self.architects()
        var new = old
        new.profiles[0].password = .value("Brand-New-Secret-99")
        new.profiles[0].channels = 12
        let d = ConfigDiff.configs(from: old, to: new, oldLabel: "running", newLabel: "candidate")
        #expect(!d.contains("S4les-Trunk") && !d.contains("Brand-New") && !d.contains("Pbx-Secret"))
        #expect(d.contains("\n- password ********\n- channels 10\n+ password ********\n+ channels 12\n"))
        #expect(d.hasPrefix("--- running\n+++ candidate\n@@ -28,8 +28,8 @@\n  transport tls\n"))
        // Text diffs mask too, even of lines that do not tokenize.
        let t = ConfigDiff.text(from: "pbx\n password abc\n", to: "pbx\n password \"unterminated\n \"password\" \"q q\"\n")
        #expect(!t.contains("abc") && !t.contains("unterminated") && !t.contains("q q"))
        #expect(ConfigDiff.mask("\tpassword hunter2   ! comment") == "\tpassword ********")
        #expect(ConfigDiff.mask(" channels 3") == " channels 3")
    }

    @Test func profileChangesSayWhetherToReregister() throws {
        let old = try Self.architects()
        var new = old
        new.profiles[0].channels = 12
        new.profiles[0].onlineNumbers.append(NumberMapping("+12025550125", extension: "203"))
        new.profiles[1].password = .value("rotated")
        let changes = ConfigChanges(from: old, to: new)
        #expect(changes.profilesAdded == [] && changes.profilesRemoved == [])
        #expect(changes.profilesChanged == [
            .init(name: "sales", previousName: nil, reregister: false, fields: ["channels", "online-number"]),
            .init(name: "engineering", previousName: nil, reregister: true, fields: ["password"]),
        ])
        #expect(changes.profilesToReregister == ["engineering"])
        #expect(changes.blocks.isEmpty)
        #expect(changes.summary == ["profile sales: changed channels, online-number",
                                    "profile engineering: changed password (re-register)"])
        #expect(!changes.description.contains("rotated"))
    }

    @Test func addedRemovedAndRenamedProfiles() throws {
        let old = try Self.architects()
        var new = old
        new.profiles.remove(at: 1)                                  // engineering removed
        new.profiles[0].name = "sales-team"                         // renamed, same SIP user name
        new.profiles.append(ProfileConfig(name: "support", sipUser: "99051000099999", password: .value("p"), channels: 2))
        let changes = ConfigChanges(from: old, to: new)
        #expect(changes.profilesAdded == ["support"])
        #expect(changes.profilesRemoved == ["engineering"])
        #expect(changes.profilesChanged == [.init(name: "sales-team", previousName: "sales", reregister: false, fields: ["profile"])])
        // A new SIP user name under the old name is the same profile with new credentials.
        var swapped = old
        swapped.profiles[0].sipUser = "99051000011111"
        #expect(ConfigChanges(from: old, to: swapped).profilesToReregister == ["sales"])
    }

    @Test func blockChangesForListenersMediaLineConsole() throws {
        let old = try Self.architects()
        var new = old
        new.lan.sipPort = 5062
        new.wan.transports = [.tls]
        new.media.codecs = [.g729, .pcmu]
        new.line = nil
        new.console.speed = 9_600
        new.hostname = "gw2"
        new.routing.routes.removeLast()
        new.pbx.acl.append("10.0.0.0/8")
        let c = ConfigChanges(from: old, to: new)
        #expect(c.lanListenerChanged && c.wanListenerChanged && c.mediaChanged && c.lineChanged && c.consoleChanged)
        #expect(c.hostnameChanged && c.routingChanged && c.pbxChanged && !c.loggingChanged)
        #expect(c.blocks[.lan] == ["sip-port"])
        #expect(c.blocks[.wan] == ["transports"])
        #expect(c.blocks[.line]?.first == "line")
        #expect(c.blocks[.pbx] == ["acl"])
        #expect(c.profilesChanged.isEmpty)
        var lineOnly = old
        lineOnly.line?.fallback = false
        #expect(ConfigChanges(from: old, to: lineOnly).blocks == [.line: ["fallback"]])
    }
}
