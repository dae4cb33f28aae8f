// ConsoleSession+Commands: running a typed line, and `?`/TAB in exec and configure mode.

extension ConsoleSession {
    /// Who owns a configure-mode line: the console's own commands or the backend's config language.
    enum Owner {
        case console
        /// The backend, with the words rewritten so every keyword is in full.
        case backend([String])
        case error(String)
    }

    // MARK: Running lines

    func runLine(_ text: String, now: ConsoleInstant, into out: inout [UInt8]) {
        let words = CommandMatcher.words(text)
        if words.isEmpty { prompt(into: &out); return }
        if phase == .exec {
            switch execMatcher.parse(text) {
            case .empty: prompt(into: &out)
            case .error(let message): out += line(message); prompt(into: &out)
            case .command(let c): execute(c, now: now, into: &out)
            }
            return
        }
        switch owner(words) {
        case .error(let message):
            out += line(message)
            prompt(into: &out)
        case .console:
            switch configureMatcher.parse(text) {
            case .empty: prompt(into: &out)
            case .error(let message): out += line(message); prompt(into: &out)
            case .command(let c): execute(c, now: now, into: &out)
            }
        case .backend(let canonical):
            let result = backend.configureLine(canonical.joined(separator: " "), context: context)
            if let c = result.context { context = Array(c.prefix(16)) }
            show(result.output, into: &out)
        }
    }

    func execute(_ c: ParsedCommand, now: ConsoleInstant, into out: inout [UInt8]) {
        let args = c.arguments
        switch c.action {
        case .showStatus: show(backend.showStatus(), into: &out)
        case .showRegistrations: show(backend.showRegistrations(), into: &out)
        case .showCalls: show(backend.showCalls(), into: &out)
        case .showChannels: show(backend.showChannels(), into: &out)
        case .showCDR:
            show(backend.showCDR(month: c.value(after: "month").flatMap(ConsoleMonth.init),
                                 profile: c.value(after: "profile"),
                                 last: c.value(after: "last").flatMap(CommandToken.integer)), into: &out)
        case .showReport:
            guard let m = c.value(after: "month").flatMap(ConsoleMonth.init) else { return badArguments(into: &out) }
            show(backend.showReport(month: m), into: &out)
        case .exportCDR:
            guard let m = c.value(after: "month").flatMap(ConsoleMonth.init) else { return badArguments(into: &out) }
            show(backend.exportCDR(month: m), into: &out)
        case .showRunningConfig: show(backend.showRunningConfig(), into: &out)
        case .showLog: show(backend.showLog(), into: &out)
        case .showConfigHistory: show(backend.showConfigHistory(), into: &out)
        case .showConfigDiff:
            guard args.count == 2, let a = CommandToken.integer(args[0]), let b = CommandToken.integer(args[1]) else {
                return badArguments(into: &out)
            }
            show(backend.showConfigDiff(from: a, to: b), into: &out)
        case .exportConfig: show(backend.exportConfig(), into: &out)
        case .importConfig:
            phase = .importing
            importLines = []
            out += line("Paste the configuration, then a line with only '.' (Ctrl-C cancels).")
            prompt(into: &out)
        case .testTrunk:
            guard let p = args.first else { return badArguments(into: &out) }
            show(backend.testTrunk(profile: p), into: &out)
        case .debugSIP:
            debugging = true
            show(backend.setSIPDebug(true), into: &out)
        case .noDebugSIP:
            debugging = false
            show(backend.setSIPDebug(false), into: &out)
        case .simulateRing: show(backend.simulateRing(from: c.value(after: "from")), into: &out)
        case .simulateResetButton:
            guard let seconds = args.first.flatMap(CommandToken.integer) else { return badArguments(into: &out) }
            show(backend.simulateResetButton(seconds: seconds), into: &out)
        case .reload: show(backend.reload(), into: &out)
        case .factoryReset:
            phase = .confirmFactoryReset
            out += line("This erases the configuration, the call records and the console password.")
            editor.begin(prompt: "Type 'yes' to reset to factory defaults: ", echo: true, commandKeys: false, into: &out)
        case .terminalLength:
            guard let n = args.first.flatMap(CommandToken.integer) else { return badArguments(into: &out) }
            pager = Pager(height: n, width: settings.terminalWidth)
            prompt(into: &out)
        case .configure:
            phase = .configure
            context = []
            show(backend.beginConfigure(who: settings.origin), into: &out)
        case .exit:
            if phase == .configure {
                if context.isEmpty { leaveConfigure(into: &out) } else { context.removeLast(); prompt(into: &out) }
            } else {
                logout(now: now, into: &out)
            }
        case .logout:
            logout(now: now, into: &out)
        case .end:
            leaveConfigure(into: &out)
        case .commit: show(backend.commit(who: settings.origin), into: &out)
        case .commitConfirmed:
            guard let n = args.first.flatMap(CommandToken.integer) else { return badArguments(into: &out) }
            show(backend.commitConfirmed(minutes: n, who: settings.origin), into: &out)
        case .confirm: show(backend.confirmCommit(), into: &out)
        case .rollback:
            guard let n = args.first.flatMap(CommandToken.integer) else { return badArguments(into: &out) }
            show(backend.rollback(version: n), into: &out)
        }
    }

    private func badArguments(into out: inout [UInt8]) {
        out += line("% Invalid arguments")
        prompt(into: &out)
    }

    // MARK: Configure mode: console commands beside the backend's statements

    /// Backend keywords possible after `words` (complete, canonical) in the current context.
    private func backendItems(_ words: [String]) -> [ConsoleHelpItem] {
        Array(backend.configureHelp(words: words, context: context).prefix(256))
    }

    /// Decides who owns a configure-mode line and writes the backend's keywords in full.
    func owner(_ words: [String]) -> Owner {
        guard let first = words.first else { return .console }
        let consoleKeys = configureMatcher.firstKeywords
        let backendKeys = Set(backendItems([]).filter(\.isKeyword).map(\.token))
        let lower = first.lowercased()
        if consoleKeys.contains(lower) { return .console }
        var canonical: [String] = []
        if backendKeys.contains(lower) {
            canonical = [lower]
        } else {
            let fits = consoleKeys.union(backendKeys).filter { $0.hasPrefix(lower) }.sorted()
            if fits.count > 1 { return .error("% Ambiguous command: '\(first)' could be \(fits.joined(separator: ", "))") }
            guard let only = fits.first else {
                var message = "% Unknown command '\(first)'"
                if let k = EditDistance.nearest(first, in: Array(consoleKeys.union(backendKeys))) {
                    message += ". Did you mean '\(k)'?"
                } else {
                    message += ". Type '?' for the choices."
                }
                return .error(message)
            }
            if consoleKeys.contains(only) { return .console }
            canonical = [only]
        }
        // Later words: expand a keyword abbreviation when the backend lists a unique keyword for it.
        for w in words.dropFirst() {
            if canonical.count >= 64 { canonical.append(w); continue }
            let keys = backendItems(canonical).filter(\.isKeyword).map(\.token)
            let lw = w.lowercased()
            if keys.contains(lw) { canonical.append(lw); continue }
            let fits = keys.filter { $0.hasPrefix(lw) }
            if fits.count == 1, !backendItems(canonical).contains(where: { !$0.isKeyword && $0.token != "<cr>" }) {
                canonical.append(fits[0])
            } else if fits.count > 1, !backendItems(canonical).contains(where: { !$0.isKeyword && $0.token != "<cr>" }) {
                let typed = (canonical + [w]).joined(separator: " ")
                return .error("% Ambiguous command: '\(typed)' could be \(fits.sorted().joined(separator: ", "))")
            } else {
                canonical.append(w)
            }
        }
        return .backend(canonical)
    }

    // MARK: Help and completion

    func helpLines(_ text: String) -> [[UInt8]] {
        let items: Result<[ConsoleHelpItem], HelpError>
        if phase == .configure {
            items = configureHelp(text)
        } else {
            items = execMatcher.help(text)
        }
        switch items {
        case .success(let list): return ConsoleHelpItem.render(list).map { Array($0.utf8) }
        case .failure(let e): return [Array(e.message.utf8)]
        }
    }

    private func configureHelp(_ text: String) -> Result<[ConsoleHelpItem], HelpError> {
        let words = CommandMatcher.words(text)
        let trailing = CommandMatcher.endsInSpace(text)
        let fixed = trailing ? words : Array(words.dropLast())
        let partial = trailing ? "" : (words.last ?? "").lowercased()
        if fixed.isEmpty {
            var items: [ConsoleHelpItem] = []
            if case .success(let c) = configureMatcher.help(text) { items += c }
            items += backendItems([]).filter { $0.isKeyword && $0.token.hasPrefix(partial) }
            if items.isEmpty { return .failure(HelpError(message: "% Unknown command '\(partial)'. Type '?' for the choices.")) }
            return .success(ConsoleHelpItem.ordered(items))
        }
        switch owner(fixed) {
        case .error(let m): return .failure(HelpError(message: m))
        case .console: return configureMatcher.help(text)
        case .backend(let canonical):
            let items = backendItems(canonical).filter { item in
                if item.token == "<cr>" { return trailing }
                return !item.isKeyword || item.token.hasPrefix(partial)
            }
            if items.isEmpty {
                return .failure(HelpError(message: trailing ? "% Nothing can follow '\(canonical.joined(separator: " "))'"
                                                        : "% Nothing matches '\(partial)'"))
            }
            return .success(ConsoleHelpItem.ordered(items))
        }
    }

    func completion(_ text: String) -> CommandMatcher.Completion {
        guard phase == .configure else { return execMatcher.complete(text) }
        let words = CommandMatcher.words(text)
        let trailing = CommandMatcher.endsInSpace(text)
        let fixed = trailing ? words : Array(words.dropLast())
        let partial = trailing ? "" : (words.last ?? "")
        if fixed.isEmpty {
            let keys = configureMatcher.firstKeywords.union(backendItems([]).filter(\.isKeyword).map(\.token))
            return CommandMatcher.completion(partial: partial, keywords: Array(keys))
        }
        switch owner(fixed) {
        case .error: return .none
        case .console: return configureMatcher.complete(text)
        case .backend(let canonical):
            return CommandMatcher.completion(partial: partial, keywords: backendItems(canonical).filter(\.isKeyword).map(\.token))
        }
    }
}
