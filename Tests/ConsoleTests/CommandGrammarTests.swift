// CommandGrammarTests: declarations, abbreviations, ambiguity, ranges, optional parts, suggestions, help, TAB.
import Testing
@testable import Console

@Suite struct CommandGrammarTests {
    let exec = CommandMatcher(ConsoleCommands.exec)
    let configure = CommandMatcher(ConsoleCommands.configure)

    func action(_ m: CommandMatcher, _ line: String) -> ConsoleAction? {
        if case .command(let c) = m.parse(line) { return c.action }
        return nil
    }

    func error(_ m: CommandMatcher, _ line: String) -> String? {
        if case .error(let e) = m.parse(line) { return e }
        return nil
    }

    @Test func declarationsExpandToEveryPath() throws {
        let spec = try CommandSpec(.showCDR, "show cdr [month YYYY-MM] [profile WORD] [last <1-1000>]",
                                   help: ["a", "b", "c", "d", "e", "f", "g", "h"])
        #expect(spec.paths.count == 8)
        #expect(spec.paths.map { $0.map(\.token.display).joined(separator: " ") }.contains("show cdr month YYYY-MM last <1-1000>"))
        let alt = try CommandSpec(.commit, "commit [{force|confirmed <1-60>}]", help: ["c", "f", "k", "m"])
        #expect(alt.paths.map { $0.map(\.token.display).joined(separator: " ") } == ["commit", "commit force", "commit confirmed <1-60>"])
        let choice = try CommandSpec(.debugSIP, "debug {sip|line}", help: ["d", "s", "l"])
        #expect(choice.paths.count == 2)
    }

    @Test func badDeclarationsAreRefused() {
        #expect(throws: CommandDeclarationError.self) { try CommandSpec(.reload, "show [cdr", help: ["a", "b"]) }
        #expect(throws: CommandDeclarationError.self) { try CommandSpec(.reload, "show cdr]", help: ["a", "b"]) }
        #expect(throws: CommandDeclarationError.self) { try CommandSpec(.reload, "show <5-1>", help: ["a", "b"]) }
        #expect(throws: CommandDeclarationError.self) { try CommandSpec(.reload, "show Status", help: ["a", "b"]) }
        #expect(throws: CommandDeclarationError.self) { try CommandSpec(.reload, "show status", help: ["only one"]) }
        #expect(throws: CommandDeclarationError.self) { try CommandSpec(.reload, "show {a|b]", help: ["s", "a", "b"]) }
    }

    @Test func tablesHaveNoTwoCommandsWithTheSamePath() {
        for table in [ConsoleCommands.exec, ConsoleCommands.configure] {
            var seen = Set<String>()
            for spec in table {
                for p in spec.paths {
                    let key = p.map(\.token.display).joined(separator: " ")
                    #expect(seen.insert(key).inserted, "duplicate path \(key)")
                }
            }
        }
        // every issue-5 command is declared
        let actions = Set((ConsoleCommands.exec + ConsoleCommands.configure).map(\.action))
        #expect(actions == Set(ConsoleAction.allCases))
    }

    @Test func uniquePrefixesAbbreviate() {
        #expect(action(exec, "sh reg") == .showRegistrations)
        #expect(action(exec, "SH REG") == .showRegistrations)
        #expect(action(exec, "sh stat") == .showStatus)
        #expect(action(exec, "show running-config") == .showRunningConfig)
        #expect(action(exec, "sh ru") == .showRunningConfig)
        #expect(action(exec, "sh conf hist") == .showConfigHistory)
        #expect(action(exec, "  sh   ch  ") == .showChannels)
        #expect(action(exec, "conf t") == .configure)
        #expect(action(exec, "no deb s") == .noDebugSIP)
        #expect(action(configure, "commit conf 5") == .commitConfirmed)
        #expect(action(configure, "comm") == .commit)
    }

    @Test func ambiguousPrefixNamesTheChoices() {
        #expect(error(exec, "ex") == "% Ambiguous command: 'ex' could be exit, export")
        #expect(error(exec, "e") == "% Ambiguous command: 'e' could be exit, export")
        #expect(action(exec, "conf") == .configure)
        #expect(error(exec, "sh c") == "% Ambiguous command: 'sh c' could be calls, cdr, channels, config")
        #expect(error(configure, "co") == "% Ambiguous command: 'co' could be commit, confirm")
    }

    @Test func exactKeywordBeatsLongerKeyword() throws {
        let m = CommandMatcher([try CommandSpec(.exit, "exit", help: ["e"]), try CommandSpec(.end, "exitall", help: ["x"])])
        #expect(action(m, "exit") == .exit)
        #expect(action(m, "exita") == .end)
        #expect(error(m, "ex") == "% Ambiguous command: 'ex' could be exit, exitall")
    }

    @Test func optionalPartsAndArguments() throws {
        guard case .command(let c) = exec.parse("sh cdr month 2026-11 prof skype1 last 25") else {
            Issue.record("did not parse"); return
        }
        #expect(c.action == .showCDR)
        #expect(c.value(after: "month") == "2026-11")
        #expect(c.value(after: "profile") == "skype1")
        #expect(c.value(after: "last") == "25")
        #expect(c.canonical == "show cdr month 2026-11 profile skype1 last 25")
        #expect(action(exec, "show cdr") == .showCDR)
        #expect(action(exec, "show cdr last 7") == .showCDR)
        guard case .command(let d) = exec.parse("show cdr last 7") else { return }
        #expect(d.value(after: "month") == nil)
        #expect(d.value(after: "last") == "7")
    }

    @Test func rangesAndDatesAreChecked() {
        #expect(action(exec, "show cdr last 1000") == .showCDR)
        #expect(action(exec, "show cdr last 1") == .showCDR)
        #expect(error(exec, "show cdr last 1001") == "% Invalid value '1001' for <1-1000> after 'show cdr last': expected a number from 1 to 1000")
        #expect(error(exec, "show cdr last 0") != nil)
        #expect(error(exec, "show cdr last -3") != nil)
        #expect(error(exec, "show cdr last 99999999999999999999") != nil)
        #expect(error(exec, "show report month 2026-13") == "% Invalid value '2026-13' for YYYY-MM after 'show report month': expected a month as YYYY-MM")
        #expect(error(exec, "show report month 2026-1") != nil)
        #expect(action(exec, "show report month 2026-01") == .showReport)
        #expect(error(configure, "commit confirmed 61") != nil)
        #expect(action(configure, "commit confirmed 60") == .commitConfirmed)
        #expect(ConsoleMonth("2026-11")?.description == "2026-11")
        #expect(ConsoleMonth("20a6-11") == nil)
    }

    @Test func wrongCommandsGetOneLineWithTheNearestCommand() {
        #expect(error(exec, "shwo") == "% Unknown command 'shwo'. Did you mean 'show'?")
        #expect(error(exec, "shwo reg") == "% Unknown command 'shwo'. Did you mean 'show registrations'?")
        #expect(error(exec, "show regs") == "% Unknown word 'regs' after 'show'. Did you mean 'show registrations'?")
        #expect(error(exec, "show statsu") == "% Unknown word 'statsu' after 'show'. Did you mean 'show status'?")
        #expect(error(exec, "relaod") == "% Unknown command 'relaod'. Did you mean 'reload'?")
        #expect(error(exec, "xyzzy") == "% Unknown command 'xyzzy'. Type '?' for the choices.")
        #expect(error(exec, "show status now") == "% Unexpected 'now' after 'show status': the command ends there")
        #expect(error(exec, "show") == "% Incomplete command 'show': next comes calls, cdr, channels, config, log, registrations, ...")
        #expect(error(exec, "test trunk") == "% Incomplete command 'test trunk': next comes WORD")
        for e in [error(exec, "shwo"), error(exec, "show regs"), error(exec, "show")] { #expect(e?.contains("\n") == false) }
    }

    @Test func helpListsNextTokens() throws {
        let top = try exec.help("").get().map(\.token)
        #expect(top.contains("show") && top.contains("configure") && top.contains("factory-reset"))
        #expect(!top.contains("<cr>"))
        #expect(try exec.help("sh").get().map(\.token) == ["show"])
        let cdr = try exec.help("show cdr ").get()
        #expect(cdr.map(\.token) == ["last", "month", "profile", "<cr>"])
        #expect(cdr.first?.help == "Only the most recent records")
        #expect(try exec.help("show cdr last ").get().map(\.token) == ["<1-1000>"])
        #expect(try exec.help("show cdr month 2026-11 ").get().map(\.token) == ["last", "profile", "<cr>"])
        #expect(try exec.help("show status ").get().map(\.token) == ["<cr>"])
        #expect(throws: HelpError.self) { try exec.help("shwo ").get() }
        #expect(exec.help("ex ") == .failure(HelpError(message: "% Ambiguous command: 'ex' could be exit, export")))
        #expect(try exec.help("conf t").get().map(\.token) == ["terminal"])
        let rendered = ConsoleHelpItem.render(try exec.help("show cdr ").get())
        #expect(rendered == [
            "  last     Only the most recent records",
            "  month    Only one month",
            "  profile  Only one profile",
            "  <cr>",
        ])
    }

    @Test func tabCompletesUniquePrefixesAndListsOthers() {
        #expect(exec.complete("sh") == .insert("ow "))
        #expect(exec.complete("show reg") == .insert("istrations "))
        #expect(exec.complete("show c") == .candidates(["calls", "cdr", "channels", "config"]))
        #expect(exec.complete("show ch") == .insert("annels "))
        #expect(exec.complete("co") == .insert("nfigure "))
        #expect(configure.complete("co") == .candidates(["commit", "confirm"]))
        #expect(configure.complete("com") == .insert("mit "))
        #expect(exec.complete("ex") == .candidates(["exit", "export"]))
        #expect(exec.complete("show status ") == .none)
        #expect(exec.complete("xyz") == .none)
        #expect(exec.complete("test trunk ") == .none)
    }

    @Test func editDistanceKnowsTranspositionsAndAbbreviations() {
        #expect(EditDistance.osa("shwo", "show") == 1)
        #expect(EditDistance.osa("", "abc") == 3)
        #expect(EditDistance.toAbbreviation("regs", of: "registrations") == 1)
        #expect(EditDistance.nearest("x", in: ["exit", "show"]) == nil)
        #expect(EditDistance.nearest("sow", in: ["exit", "show"]) == "show")
    }
}
