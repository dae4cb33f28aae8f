// SIPCheckCommand: `trunkbox sip check FILE...` tells whether captured SIP messages are well formed.
import ArgumentParser
import Foundation
import SIPCore

struct SIPCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check SIP messages, one per file, as a UDP datagram (or a stream with --stream).",
        discussion: "Prints 'FILE: ok METHOD' or 'FILE: ok CODE', or 'FILE: error: REASON (line L, column C)'. Exits 0 only when every file is well formed."
    )

    @Flag(help: "Read each file as a TCP/TLS stream: Content-Length is mandatory.")
    var stream = false

    @Argument(help: "Files holding one SIP message each.")
    var files: [String]

    func run() throws {
        var failures = 0
        for file in files {
            let line = Self.check(file: file, framing: stream ? .stream : .datagram)
            if !line.ok { failures += 1 }
            print("\(file): \(line.text)")
        }
        if failures > 0 { throw ExitCode(1) }
    }

    static func check(file: String, framing: SIPFraming) -> (ok: Bool, text: String) {
        guard let data = FileManager.default.contents(atPath: file) else {
            return (false, "error: cannot read the file")
        }
        do {
            let message = try SIPMessage(parsing: [UInt8](data), framing: framing)
            switch message.startLine {
            case .request(let method, _): return (true, "ok \(method)")
            case .response(let code, _): return (true, "ok \(code)")
            }
        } catch {
            let position = error.line > 0 ? " (line \(error.line), column \(error.column))" : ""
            return (false, "error: \(error.reason)\(position)")
        }
    }
}
