// SIPpLoopbackTests: SIPp (a third-party SIP peer) registers with digest to the emulator running in this
// process and places a call that is challenged (407) and then answered; the emulator's books must show it.
import Foundation
import NIOCore
import NIOPosix
import SIPStack
import Testing
import TrunkEmulator
import TrunkEmulatorCore

enum SIPp {
    static let path: String? = ["/usr/bin/sipp", "/usr/local/bin/sipp"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var scenarios: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("interop/emulator")
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ l: String) { lock.withLock { lines.append(l) } }
    var all: [String] { lock.withLock { lines } }
}

@Suite("Emulator with SIPp", .serialized, .enabled(if: SIPp.path != nil, "sipp is not installed"))
struct SIPpLoopbackTests {
    @Test func registerThenCallAnsweredAfter407() throws {
        let port = Int.random(in: 30000...39000)
        var config = try EmuFixtures.architects()
        config.listens = [EmulatorListen(transport: "udp", host: "127.0.0.1", port: port)]
        config.rtpPorts = (port + 100)...(port + 199)
        config.toneSeconds = 1
        config.ringMilliseconds = 200
        let settings = config
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let log = LogLines()
        let emulator = try loop.submit {
            TrunkEmulator(config: settings, transactions: SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: loop)), log: { log.add($0) })
        }.wait()
        _ = try loop.flatSubmit { emulator.start() }.wait()
        defer { try? loop.flatSubmit { emulator.transactions.transport.close() }.wait() }

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("emu-sipp-\(port)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let sipp = Process()
        sipp.executableURL = URL(fileURLWithPath: SIPp.path!)
        sipp.currentDirectoryURL = work
        sipp.arguments = ["-sf", SIPp.scenarios.appendingPathComponent("register-call.xml").path,
                          "-au", "99051000012345", "-ap", "Sales-Secret-1", "-set", "sipuser", "99051000012345",
                          "-set", "dial", "0012025550143", "-i", "127.0.0.1", "-p", "\(port + 10)", "-mp", "\(port + 300)",
                          "-rtp_echo", "-m", "1", "-d", "2500", "-nostdin", "-timeout", "20s", "-timeout_error", "127.0.0.1:\(port)"]
        let out = work.appendingPathComponent("sipp.out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        sipp.standardOutput = try FileHandle(forWritingTo: out)
        sipp.standardError = sipp.standardOutput
        try sipp.run()
        sipp.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.3)
        let sippOutput = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        #expect(sipp.terminationStatus == 0, "SIPp failed:\n\(sippOutput.suffix(2000))\n\(log.all.joined(separator: "\n"))")

        let (accounts, registrar, live) = emulator.snapshot()
        // Registration: challenged once, then bound to SIPp's contact.
        #expect(emulator.challengeCounts.registration == 1)
        #expect(registrar.bindings["99051000012345"]?.contact == "sip:99051000012345@127.0.0.1:\(port + 10)")
        // The call: challenged once (407), then answered, billed 1 minute from the US bundle, channel free again.
        #expect(emulator.challengeCounts.invite == 1)
        #expect(live == 0)
        #expect(accounts.history.count == 1)
        let record = try #require(accounts.history.first)
        #expect(record.outcome == .answered && record.status == 200)
        #expect(record.to == "+12025550143" && record.billing == .usCanada)
        #expect(record.shownCallerID == "+12026555376")   // SIPp asked for +13105550000: not the profile's
        #expect(record.minutes == 1 && record.bundleMinutes == 1 && record.cost == .zero)
        #expect(accounts.books["Sales"]?.channelsInUse == 0)
        #expect(accounts.books["Sales"]?.credit == USD(micros: 25_000_000))
        // Media: the far end sent its tone and got SIPp's echo back.
        let ended = try #require(log.all.first { $0.hasPrefix("call #1 ended") })
        let received = ended.split(separator: ",").first { $0.contains("received") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        #expect(received > 20, "\(ended)")
    }
}
