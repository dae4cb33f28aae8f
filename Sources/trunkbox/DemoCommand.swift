// DemoCommand: `trunkbox demo`, the README's main command: the Skype Connect guide's example company on
// loopback (a simulated PBX, the box, the trunk emulator), the guide's story told step by step with a ladder
// diagram per call, each step checked. Exits non-zero when a step fails, so the test command runs it too.
import ArgumentParser
import Calls
import Console
import LineDSP
import LineCore
import Foundation
import NIOCore
import NIOPosix
import SIPCore
import SIPStack
import Store
import TrunkEmulator
import TrunkEmulatorCore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Tell the Skype Connect guide's story end to end on loopback: a simulated PBX, this box and the trunk emulator."
    )

    @Option(help: "Folder for the demo's store, TLS test CA and logs (its store is started afresh).")
    var dir: String = "/tmp/trunkbox-demo"

    @Flag(help: "Leave everything running after the story and open the box's console on this terminal.")
    var interactive = false

    @Flag(help: "Leave everything running after the story until Ctrl-C (the console on its socket only).")
    var keepRunning = false

    @Flag(help: "Print the box's and the trunk's log lines as they happen.")
    var verbose = false

    func run() throws {
        let demo = try Demo(dir: dir, verbose: verbose)
        let passed = demo.tellTheStory()
        if interactive {
            demo.openConsole()
        } else if keepRunning {
            demo.waitForInterrupt()
        }
        demo.stop()
        if !passed { throw ExitCode(1) }
    }
}

/// The addresses of the demo's three parties (all loopback; 127.0.0.x are all this machine on Linux).
enum DemoNet {
    static let pbx = (host: "127.0.0.1", port: 5090)
    static let boxLAN = (host: "127.0.0.1", port: 5060)
    static let boxWAN = (host: "127.0.0.3", port: 5080)
    static let trunk = (host: "127.0.0.4", udp: 5060, tls: 5061)
}

/// The demo's world: the emulated trunk, the box, the simulated PBX, and what it has checked so far.
final class Demo: @unchecked Sendable {
    let dir: String
    let verbose: Bool
    let emulatorGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let pbxGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let emulator: TrunkEmulator
    let runner: BoxRunner
    let pbx: SimulatedPBX
    let ladder = LadderRecorder()
    let month = BillingMonth(epochSeconds: Int64(Date().timeIntervalSince1970))
    private(set) var failures: [String] = []
    /// The trunk's control socket (`call`, `status`, `report`), for the installer's guide and a curious user.
    private(set) var control: ControlSocket?
    /// What the box played to the analog line (alsa-lib's file plugin).
    private(set) var linePlayback = ""
    private var stepNumber = 0
    static let stepCount = 7

    init(dir: String, verbose: Bool) throws {
        self.dir = dir
        self.verbose = verbose
        let fm = FileManager.default
        try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // A fresh store every time (the TLS test CA is kept: made once, like the trunk's own).
        for f in ["trunkbox.db", "trunkbox.db-wal", "trunkbox.db-shm", "trunkbox.db.lock"] { try? fm.removeItem(atPath: "\(dir)/\(f)") }
        let logFile = "\(dir)/demo.log"
        fm.createFile(atPath: logFile, contents: nil)
        let logHandle = FileHandle(forWritingAtPath: logFile)
        let verbose = self.verbose
        let log: @Sendable (String) -> Void = { line in
            logHandle?.write(Data("\(UTCTime.now()) \(line)\n".utf8))
            if verbose { say("        · \(line)") }
        }

        // The trunk.
        let emulatorConfig: EmulatorConfig
        do { emulatorConfig = try EmulatorConfigParser.parse(Self.trunkConfig(tlsDir: "\(dir)/trunk-tls")) } catch {
            throw ValidationError("the demo's trunk config does not parse: \(error)")
        }
        let tls: EmulatorTLS
        do { tls = try EmulatorTLS.prepare(directory: "\(dir)/trunk-tls", addresses: [DemoNet.trunk.host]) } catch {
            throw ValidationError("\(error)")
        }
        let loop = emulatorGroup.next()
        let emulator = try loop.submit {
            TrunkEmulator(config: emulatorConfig, transactions: SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: loop, settings: tls.transportSettings)),
                          log: { log("trunk: \($0)") })
        }.wait()
        self.emulator = emulator
        do { _ = try loop.flatSubmit { emulator.start() }.wait() } catch {
            throw ValidationError("the trunk emulator cannot listen on \(DemoNet.trunk.host) (\(error)); is another demo running?")
        }
        control = try? ControlSocket(path: "\(dir)/trunk.sock", handle: { emulator.control($0) })

        // The analog line's audio: alsa-lib reads this config when the box opens the line.
        let lineAudio: (config: String, playback: String)
        do { lineAudio = try Self.prepareLineAudio(dir: dir) } catch { throw ValidationError("cannot prepare the demo's line audio: \(error)") }
        setenv("ALSA_CONFIG_PATH", lineAudio.config, 1)
        linePlayback = lineAudio.playback

        // The box, on its embedded demo config.
        do {
            runner = try BoxRunner(BoxRunOptions(lan: nil, wan: nil, db: "\(dir)/trunkbox.db",
                                                 config: (Self.boxConfig(caFile: tls.caFile), "the demo's embedded config"),
                                                 consoleSocket: "\(dir)/console.sock", openSerialConsole: false, quiet: true,
                                                 echoLog: false, announce: false))
        } catch {
            try? loop.flatSubmit { emulator.transactions.transport.close() }.wait()
            throw ValidationError("the box did not start: \(error)")
        }
        let ladder = self.ladder
        let boxLog = runner.log
        try runner.loop.submit { [runner] in
            runner.box.transactions.transport.onTrace = { outbound, text, _, transport, side in
                ladder.record(outbound: outbound, text: text, side: side, transport: transport)
            }
        }.wait()
        _ = boxLog

        // The office's PBX.
        let pbxLoop = pbxGroup.next()
        let pbx = try pbxLoop.submit {
            SimulatedPBX(transactions: SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: pbxLoop)),
                         box: SIPDestination(ip: DemoNet.boxLAN.host, port: DemoNet.boxLAN.port, transport: .udp, side: .lan),
                         mediaIP: DemoNet.pbx.host, rtpPorts: 46000...46999, log: { log("pbx: \($0)") })
        }.wait()
        self.pbx = pbx
        do { _ = try pbxLoop.flatSubmit { pbx.start(host: DemoNet.pbx.host, port: DemoNet.pbx.port) }.wait() } catch {
            throw ValidationError("the simulated PBX cannot listen on \(DemoNet.pbx.host):\(DemoNet.pbx.port) (\(error))")
        }
    }

    // MARK: - The story

    /// Runs every step; true when all passed.
    func tellTheStory() -> Bool {
        say("trunkbox demo: the Skype Connect guide's example company, Architects, on this machine's loopback")
        say("  the office PBX        \(DemoNet.pbx.host):\(DemoNet.pbx.port) (simulated: extensions that dial, ring and answer)")
        say("  trunkbox              PBX side \(DemoNet.boxLAN.host):\(DemoNet.boxLAN.port), trunk side \(DemoNet.boxWAN.host):\(DemoNet.boxWAN.port)")
        say("  Skype Connect trunk   \(DemoNet.trunk.host):\(DemoNet.trunk.tls) TLS (emulated: profiles Sales and Engineering)")
        say("  store, logs, test CA  \(dir)")
        say("")
        registrations()
        outgoingSRTPCall()
        incomingCall()
        oneCallTooMany()
        emergencyCall()
        reportAndRecords()
        cleanUp()
        say("")
        if failures.isEmpty {
            say("demo: all \(Self.stepCount) steps passed")
        } else {
            say("demo: \(failures.count) check(s) FAILED:")
            for f in failures { say("  FAIL: \(f)") }
        }
        return failures.isEmpty
    }

    func step(_ title: String) {
        stepNumber += 1
        say("[\(stepNumber)/\(Self.stepCount)] \(title)")
    }

    /// A checked fact: printed as it is seen, counted when false.
    func check(_ ok: Bool, _ text: String) {
        say("      \(ok ? "ok  " : "FAIL") \(text)")
        if !ok { failures.append("step \(stepNumber): \(text)") }
    }

    func note(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { say("      \(line)") }
    }

    func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }

    func drawLadder(since start: Double) {
        let events = ladder.calls(from: start, to: ladder.now)
        say(LadderRecorder.draw(events, pbx: "PBX \(DemoNet.pbx.host)", trunk: "trunk \(DemoNet.trunk.host)"), terminator: "")
    }

    var trunkCallsEnded: [EmulatorCallSummary] { (try? emulator.transactions.eventLoop.submit { self.emulator.finished }.wait()) ?? [] }
    var trunkLiveCalls: Int { emulator.snapshot().liveCalls }

    func records() -> [CallRecord] { (try? runner.service.withStore { try $0.callRecords() }) ?? [] }

    // 1
    func registrations() {
        step("Both SIP Profiles register to the trunk over TLS (digest, the trunk's certificate checked against its CA)")
        let registered = waitUntil(15) {
            let lines = runner.box.registrationLines()
            return lines.count == 2 && lines.allSatisfy { $0.contains(": registered via tls:") }
        }
        note(console("show registrations"))
        check(registered, "sales and engineering are registered over TLS")
        let bindings = emulator.snapshot().registrar.bindings
        for (user, name) in [("99051000012345", "Sales"), ("99051000067890", "Engineering")] {
            let b = bindings[user]
            check(b?.transport == "tls", "the trunk holds a TLS binding for \(name) (\(user))\(b.map { ": \($0.contact)" } ?? "")")
        }
    }

    // 2
    func outgoingSRTPCall() {
        step("An outgoing call with SRTP: extension 201 dials 9-1-202-555-0100 (a US number) through profile sales")
        let start = ladder.now
        let before = trunkCallsEnded.count
        guard let answer = try? pbx.call(from: "201", to: "912025550100").wait() else { check(false, "the PBX's call did not complete"); return }
        check(answer.status == 200, "the far end answered: \(answer.status) \(answer.reasonPhrase)")
        if answer.status == 200 {
            Thread.sleep(forTimeInterval: 4)
            let live = pbx.info(answer.id)
            note("while the call is up, the box's console says:")
            note(console("show calls"))
            _ = try? pbx.hangup(answer.id).wait()
            _ = waitUntil(5) { trunkCallsEnded.count > before }
            let heard = live?.media?.secondsHeard(1000) ?? 0
            check(heard >= 1, String(format: "the PBX's phone heard the trunk's 1 kHz tone for %.1f s", heard))
            if let t = trunkCallsEnded.dropFirst(before).first {
                let farHeard = t.media?.secondsHeard(600) ?? 0
                check(farHeard >= 1, String(format: "the trunk's far end heard the phone's 600 Hz tone for %.1f s", farHeard))
                check(t.srtp && t.transport == "tls" && (t.media?.srtpFailures ?? 1) == 0 && (t.media?.received ?? 0) > 50,
                      "the trunk leg was SRTP (every packet authenticated and decrypted: \(t.media?.received ?? 0) received, \(t.media?.srtpFailures ?? 0) failures) over TLS signalling")
                let asked = ladder.messages("INVITE", from: start, to: ladder.now).first { $0.side == .wan && $0.outbound }?.label ?? "nothing"
                check(asked == "INVITE 0012025550100", "the box sent the trunk \(asked) (9-1-202-555-0100 normalised to the 00<country><number> form Skype Connect expects)")
                check(t.shownCallerID == "+12026555376", "the far end was shown caller ID \(t.shownCallerID ?? "none") (the profile's Online Number)")
            } else {
                check(false, "the trunk saw the call end")
            }
        }
        drawLadder(since: start)
    }

    // 3
    func incomingCall() {
        step("An incoming call: +44 20 7946 0000 calls Sales' Online Number +1 202 655 5376, mapped to extension 201")
        let start = ladder.now
        let before = pbx.allCalls().count
        note("trunk control> call +12026555376 from +442079460000")
        note(emulator.control("call +12026555376 from +442079460000"))
        let rang = waitUntil(10) { pbx.allCalls().dropFirst(before).contains { $0.answered } }
        let call = pbx.allCalls().dropFirst(before).first
        check(rang, "the PBX was offered the call and answered it")
        check(call?.to == "201", "the box delivered it to extension \(call?.to ?? "none")")
        check(call?.from.contains("442079460000") == true, "the caller's number reached the PBX (\(call?.from ?? "none"))")
        if rang, let id = call?.id {
            Thread.sleep(forTimeInterval: 4)
            let heard = pbx.info(id)?.media?.secondsHeard(1000) ?? 0
            check(heard >= 1, String(format: "the PBX's phone heard the caller's 1 kHz tone for %.1f s", heard))
            let ended = trunkCallsEnded.count
            _ = try? pbx.hangup(id).wait()
            _ = waitUntil(5) { trunkCallsEnded.count > ended }
            let farHeard = trunkCallsEnded.last?.media?.secondsHeard(600) ?? 0
            check(farHeard >= 1, String(format: "the caller heard extension 201's 600 Hz tone for %.1f s", farHeard))
        }
        drawLadder(since: start)
    }

    // 4
    func oneCallTooMany() {
        step("One call too many: profile engineering has 2 channels; extensions 301 and 302 are on calls, 303 tries a third")
        let start = ladder.now
        let first = try? pbx.call(from: "301", to: "914155550199").wait()
        let second = try? pbx.call(from: "302", to: "914155550198").wait()
        check(first?.status == 200 && second?.status == 200, "the first two calls are answered (\(first?.status ?? 0), \(second?.status ?? 0))")
        let trunkBefore = trunkLiveCalls
        let third = try? pbx.call(from: "303", to: "914155550197").wait()
        check(third?.status == 503, "the third gets \(third?.status ?? 0) \(third?.reasonPhrase ?? "") from the box\(third?.retryAfter.map { ", Retry-After \($0)" } ?? "")")
        check(trunkLiveCalls == trunkBefore, "it never reached the trunk (the trunk has \(trunkLiveCalls) live calls, as before)")
        note(console("show channels"))
        for c in [first, second].compactMap({ $0 }) where c.status == 200 { _ = try? pbx.hangup(c.id).wait() }
        _ = waitUntil(5) { trunkLiveCalls == 0 }
        drawLadder(since: start)
    }

    // 5
    func emergencyCall() {
        step("An emergency call: extension 202 dials 911; the trunk carries none, so the box takes it out on the analog line")
        let start = ladder.now
        let trunkBefore = trunkCallsEnded.count + trunkLiveCalls
        let playedBefore = (try? FileManager.default.attributesOfItem(atPath: linePlayback)[.size] as? Int) ?? 0
        let answer = try? pbx.call(from: "202", to: "911").wait()
        check(answer?.provisional.contains(183) == true, "the PBX heard the line as early media while the box dialled (183 with SDP)")
        check(answer?.status == 200, "the line call went through: \(answer?.status ?? 0) \(answer?.reasonPhrase ?? "")\(answer?.reasonHeader.map { ", Reason: \($0)" } ?? "")")
        let offHook = (try? runner.loop.submit { self.runner.box.line?.simulated?.isActive(.hookRelay) }.wait()) ?? nil
        check(offHook == true, "the line's hook relay is off hook during the call (simulated board)")
        note(console("show status").split(separator: "\n").filter { $0.hasPrefix("analog line") || $0.hasPrefix("  hook relay") }.joined(separator: "\n"))
        if let id = answer?.id, answer?.status == 200 {
            Thread.sleep(forTimeInterval: 2)
            _ = try? pbx.hangup(id).wait()
        }
        let idle = waitUntil(5) { (try? self.runner.loop.submit { self.runner.box.line?.isAvailable }.wait()) == true }
        check(idle, "after the PBX hung up, the line is back on hook")
        let digits = Self.dtmfDigits(inRawFile: linePlayback, fromByte: playedBefore)
        check(digits == "911", "the digits the box dialled on the line, read back from what it played: \(digits.isEmpty ? "none" : digits)")
        let reachedTrunk = ladder.messages("INVITE", from: start, to: ladder.now).contains { $0.side == .wan }
        check(!reachedTrunk && trunkCallsEnded.count + trunkLiveCalls == trunkBefore, "911 was never sent to the trunk")
        drawLadder(since: start)
    }

    /// The DTMF digits in a stretch of 16-bit 8 kHz audio (LineDSP's detector, spandsp's dtmf_rx).
    static func dtmfDigits(inRawFile path: String, fromByte offset: Int) -> String {
        guard let data = FileManager.default.contents(atPath: path), data.count > offset, let detector = DTMFDetector() else { return "" }
        var digits = ""
        let samples = data.dropFirst(offset).withUnsafeBytes { raw in Array(raw.bindMemory(to: Int16.self)) }
        var i = 0
        while i + 160 <= samples.count {
            samples[i..<i + 160].withUnsafeBufferPointer { block in
                detector.process(block) { event in if event.kind == .start { digits.append(event.character) } }
            }
            i += 160
        }
        return digits
    }

    // 6
    func reportAndRecords() {
        step("The month's figures: the trunk's call history report and the box's call records")
        let report = emulator.control("report \(month)")
        note("trunk control> report \(month)")
        note(report)
        // Records are written by group commit, a moment after each call ends.
        _ = waitUntil(5) { self.records().count >= 6 }
        let records = records()
        note(console("show cdr"))
        let out = records.filter { $0.direction == .outgoing }
        let incoming = records.filter { $0.direction == .incoming }
        check(records.count == 6, "the box wrote a record for each of the 6 calls (\(records.count): \(out.count) outgoing, \(incoming.count) incoming)")
        let sales = records.first { $0.profile == "sales" && $0.direction == .outgoing }
        check(sales?.srtp == true && sales?.billing == .usBundle && sales?.disposition == .answered,
              "the SRTP call's record: \(sales.map { "\($0.disposition), \($0.billing), SRTP \($0.srtp), codec \($0.codec ?? "?"), MOS \($0.trunkLeg?.mos.map { String(format: "%.2f", $0) } ?? "?")" } ?? "missing")")
        let refused = records.first { $0.disposition == .refused && $0.sipCause == 503 }
        check(refused?.profile == "engineering", "the refused third call is recorded: \(refused.map { "\($0.profile), \($0.disposition), cause \($0.sipCause)" } ?? "missing")")
        check(report.contains("profile Sales") && report.contains("outgoing: 1 calls"), "the trunk's report counts Sales' outgoing call")
        note(console("show report month \(month)"))
    }

    // 7
    func cleanUp() {
        step("Everything is released: no call, dialog, channel or media port left behind (transactions end on their RFC 3261 timers)")
        let clean = waitUntil(5) {
            guard let c = try? runner.loop.submit({ self.runner.box.calls?.liveCounts }).wait(), let counts = c as CallCounts? else { return false }
            return counts.calls == 0 && counts.dialogs == 0 && counts.channels.values.reduce(0, +) == 0 && counts.mediaSessions == 0 && counts.mediaPorts == 0
        }
        let counts = (try? runner.loop.submit { self.runner.box.calls?.liveCounts }.wait()) ?? nil
        check(clean, "the box: \(counts.map { "\($0)" } ?? "?")")
        check(trunkLiveCalls == 0, "the trunk: \(trunkLiveCalls) live calls")
    }

    // MARK: - The box's console

    /// Runs one console command on the box and returns what the console printed.
    func console(_ command: String) -> String { DemoConsole(runner: runner).run(command) }

    func openConsole() {
        say("")
        say("The demo keeps running: the trunk, the box and the PBX. Its console opens here ('exit' ends the demo).")
        say("Other terminals: \(CommandLine.arguments[0]) console --socket \(dir)/console.sock; the trunk's control socket: \(dir)/trunk.sock")
        try? runner.loop.submit { self.runner.box.transactions.transport.onTrace = nil }.wait()
        let session = runner.makeSession(runner.consoleSettings)
        let end = StopSignal()
        _ = ConsoleStdin.run(session: session, stop: end, inbox: runner.stdinInbox)
    }

    /// Keeps the trunk, the box and the PBX running until SIGINT or SIGTERM.
    func waitForInterrupt() {
        say("")
        say("The demo keeps running until Ctrl-C. The box's console: \(CommandLine.arguments[0]) console --socket \(dir)/console.sock")
        say("The trunk's control socket: \(dir)/trunk.sock (call +12026555376 from +442079460000, status, report \(month))")
        try? runner.loop.submit { self.runner.box.transactions.transport.onTrace = nil }.wait()
        let stop = DispatchSemaphore(value: 0)
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let s = DispatchSource.makeSignalSource(signal: sig)
            s.setEventHandler { stop.signal() }
            s.resume()
            return s
        }
        stop.wait()
        sources.forEach { $0.cancel() }
        say("demo: stopping")
    }

    func stop() {
        control?.shutdown()
        pbx.shutdown()
        runner.stop()
        emulator.shutdown()
        try? emulator.transactions.eventLoop.flatSubmit { self.emulator.transactions.transport.close() }.wait()
        try? pbx.transactions.eventLoop.flatSubmit { self.pbx.transactions.transport.close() }.wait()
        try? emulatorGroup.syncShutdownGracefully()
        try? pbxGroup.syncShutdownGracefully()
    }
}

func say(_ text: String, terminator: String) {
    FileHandle.standardOutput.write(Data((text + terminator).utf8))
}
