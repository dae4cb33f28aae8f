// store-torture: drives Store for the crash test (Tests/store/crash.sh): commit in a loop until killed, then check.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Store

// Usage:
//   store-torture commit-loop DB N   commits N versions, writing each id to stdout once commit returned
//   store-torture check DB           checks the last-good copy is whole, opens DB (integrity check; any
//                                    recovery is a failure), verifies the running config is exactly one
//                                    complete committed version and the last-good copy matches it, prints
//                                    the running id
// Exit status: 0 ok, 1 check failed, 2 usage or store error.

let factoryDefaults = "! store-torture factory defaults\nhostname trunkbox\n"

/// FNV-1a 64: an independent checksum (not the store's SHA-256) written into each text.
func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01b3
    }
    return hash
}

/// Version `sequence` of run `run`: a header, 10 to 159 lines (1 to 10 KB: commits span one to several pages),
/// and a last line `checksum <bytes> <fnv1a>` over everything before it.
func configText(run: Int32, sequence: Int) -> String {
    var body = "! store-torture run \(run) seq \(sequence)\nhostname box-\(sequence)\n"
    let lines = 10 + (sequence &* 7919) % 150
    for line in 0..<lines {
        body += "line \(line) of \(lines) seq \(sequence) abcdefghijklmnopqrstuvwxyz0123456789\n"
    }
    return body + "checksum \(body.utf8.count) \(String(fnv1a(body.utf8), radix: 16))\n"
}

/// Nil when `text` is the factory defaults or a complete torture version; otherwise what is wrong.
func problem(in text: String) -> String? {
    if text == factoryDefaults { return nil }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard lines.last == "" else { return "does not end with a newline" }
    lines.removeLast()
    guard let last = lines.popLast() else { return "empty" }
    let parts = last.split(separator: " ")
    guard parts.count == 3, parts[0] == "checksum", let count = Int(parts[1]), let sum = UInt64(parts[2], radix: 16) else {
        return "last line is not a checksum line"
    }
    let body = lines.map { $0 + "\n" }.joined()
    guard body.utf8.count == count else { return "body has \(body.utf8.count) bytes, checksum line says \(count)" }
    guard fnv1a(body.utf8) == sum else { return "checksum does not match the body" }
    guard body.hasPrefix("! store-torture run ") else { return "missing header" }
    return nil
}

/// Writes `text` and a newline straight to `fd` (no stdio buffer: what is printed is out before the
/// next commit starts, so a kill cannot hide an id that was printed).
func writeLine(_ fd: Int32, _ text: String) {
    let bytes = Array((text + "\n").utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { exit(2) }
        done += n
    }
}

func fail(_ message: String, status: Int32) -> Never {
    writeLine(2, "store-torture: \(message)")
    exit(status)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: store-torture commit-loop DB N | check DB", status: 2) }
let path = arguments[2]

switch arguments[1] {
case "commit-loop":
    guard arguments.count == 4, let count = Int(arguments[3]), count > 0 else { fail("usage: store-torture commit-loop DB N", status: 2) }
    do {
        let (store, report) = try Store.open(at: path, factoryDefaults: factoryDefaults)
        if report.isLoud { fail("open before committing: \(report)", status: 1) }
        let run = getpid()
        for sequence in 1...count {
            let version = try store.commit(text: configText(run: run, sequence: sequence), author: "torture", comment: "seq \(sequence)")
            // Printed only after commit returned: crash.sh holds the store to every id it saw.
            writeLine(1, String(version.id))
        }
    } catch {
        fail("\(error)", status: 2)
    }

case "check":
    do {
        // Before the store repairs anything: the last-good copy is whole (old or new), never torn.
        if case .damaged(let why) = LastGoodCopy.read(from: path + ".last-good") { fail("last-good copy torn by the kill: \(why)", status: 1) }
        let (store, report) = try Store.open(at: path, factoryDefaults: factoryDefaults)
        // kill -9 must never damage the file: any recovery is a failure of the store.
        if report.isLoud { fail("open after kill: \(report)", status: 1) }
        let running = try store.running()
        guard running.isIntact else { fail("running version \(running.id) does not match its SHA-256", status: 1) }
        if let problem = problem(in: running.text) { fail("running version \(running.id): \(problem)", status: 1) }
        for version in try store.history(limit: 20) {
            guard version.isIntact, problem(in: version.text) == nil else { fail("stored version \(version.id) is damaged", status: 1) }
        }
        switch LastGoodCopy.read(from: store.lastGoodPath) {
        case .valid(let copy) where copy.text == running.text && copy.versionID == running.id: break
        case .valid(let copy): fail("last-good copy holds version \(copy.versionID), running is \(running.id)", status: 1)
        case .missing: fail("no last-good copy", status: 1)
        case .damaged(let why): fail("last-good copy damaged: \(why)", status: 1)
        }
        writeLine(1, String(running.id))
        store.close()
    } catch {
        fail("\(error)", status: 2)
    }

default:
    fail("unknown command \(arguments[1]); use commit-loop or check", status: 2)
}
