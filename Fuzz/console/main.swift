// fuzz-console: libFuzzer target feeding random keystrokes and time steps to a ConsoleSession.
//
// Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz) it runs under libFuzzer and traps on the first
// violated invariant; built normally it replays the files (or directories of files) given as arguments
// and exits 1 if any breaks an invariant. Input layout: byte 0 = flags (bit 0: log in first, bit 1: a
// 3-row terminal so the pager runs, bit 2: close on logout, bit 3: 2-second idle time-out), byte 1 =
// chunk size (low nibble + 1) and seconds between chunks (high nibble); the rest are keystrokes.
// The invariants:
//   - nothing traps and every call returns;
//   - output stays bounded (at most 16 KiB plus 4 KiB per key typed);
//   - the terminal only ever receives CSI sequences (ESC [) and the controls CR, LF, BS, TAB, BEL;
//     backend text never reaches it raw;
//   - the editor's line stays within its bound and the cursor within the line;
//   - a configure block exists only in configure mode; the session is logged in only if the password
//     character was typed (or the flags logged in first); a closed session stays closed.

import Console
import FuzzSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small backend: fixed answers, a two-level config language, and text with control characters
/// in it (as a SIP trace might carry) to check the console neutralises them.
final class FuzzBackend: ConsoleBackend {
    var hostname = "fuzz"
    let hash: String
    init(hash: String) { self.hash = hash }
    func showStatus() -> String { "status\n\u{1B}[2Jcleared?\u{07}\u{9B}31m" }
    func showRegistrations() -> String { "reg" }
    func showCalls() -> String { "calls" }
    func showChannels() -> String { "channels" }
    func showCDR(month: ConsoleMonth?, profile: String?, last: Int?) -> String { "cdr \(month?.description ?? "") \(profile ?? "") \(last ?? 0)" }
    func showReport(month: ConsoleMonth) -> String { "report \(month)" }
    func exportCDR(month: ConsoleMonth) -> String { "a,b\n1,2" }
    func showRunningConfig() -> String { "hostname fuzz\r\nprofile x\r\n channels 2" }
    func showLog() -> String { (1...40).map { "log \($0)" }.joined(separator: "\n") }
    func showConfigHistory() -> String { "1\n2" }
    func showConfigDiff(from: Int, to: Int) -> String { "diff \(from) \(to)" }
    func testTrunk(profile: String) -> String { "DNS pass \(profile)" }
    func setSIPDebug(_ on: Bool) -> String { on ? "on" : "off" }
    func reload() -> String { "reloading" }
    func factoryReset() -> String { "reset" }
    func simulateRing(from caller: String?) -> String { "ring" }
    func simulateResetButton(seconds: Int) -> String { "held \(seconds) s" }
    func beginConfigure(who: String) -> String { "" }
    func endConfigure() -> String { "" }
    func configureLine(_ line: String, context: [ConfigBlock]) -> ConfigLineResult {
        if line.hasPrefix("profile ") { return ConfigLineResult(context: context + [ConfigBlock(name: line, tag: "profile")]) }
        return ConfigLineResult(output: "% got '\(line)'\u{1B}]0;title\u{07}")
    }
    func configureHelp(words: [String], context: [ConfigBlock]) -> [ConsoleHelpItem] {
        switch words.count {
        case 0: return [ConsoleHelpItem(token: "profile", help: "p", isKeyword: true),
                        ConsoleHelpItem(token: "hostname", help: "h", isKeyword: true),
                        ConsoleHelpItem(token: "pro", help: "prefix of profile", isKeyword: true)]
        case 1: return [ConsoleHelpItem(token: "WORD", help: "w", isKeyword: false)]
        default: return [.endOfLine]
        }
    }
    func commit(who: String) -> String { "committed" }
    func commitConfirmed(minutes: Int, who: String) -> String { "committed \(minutes)" }
    func confirmCommit() -> String { "confirmed" }
    func rollback(version: Int) -> String { "rolled \(version)" }
    func exportConfig() -> String { "hostname fuzz" }
    func importConfig(_ text: String) -> String { "imported \(text.utf8.count)" }
    func loginPasswordHash() -> String? { hash }
    func setLoginPasswordHash(_ encoded: String) -> String? { nil }
}

/// The stored password is "a", hashed with one iteration so the fuzzer can log in fast (new hashes
/// the console makes itself always use at least 100,000).
let storedHash: String = {
    let salt = [UInt8](repeating: 7, count: 16)
    let h = try! PasswordHash.pbkdf2(password: [0x61], salt: salt, iterations: 1, length: 32)
    return try! PasswordHash(iterations: 1, salt: salt, hash: h).encoded
}()

/// Why `data` breaks an invariant, or nil when every invariant holds.
func violation(_ data: UnsafeBufferPointer<UInt8>) -> String? {
    guard data.count >= 2 else { return nil }
    let flags = data[0]
    let chunk = Int(data[1] & 0x0F) + 1
    let step = Int64(data[1] >> 4)
    var keys = Array(data[2...])
    if flags & 1 != 0 { keys = Array("a\r".utf8) + keys }
    let settings = ConsoleSettings(origin: "fuzz", terminalHeight: flags & 2 != 0 ? 3 : 24,
                                   idleTimeoutSeconds: flags & 8 != 0 ? 2 : 900, closeOnLogout: flags & 4 != 0,
                                   maxLineLength: 64)
    let session = ConsoleSession(backend: FuzzBackend(hash: storedHash), throttle: LoginThrottle(maxFailures: 3, lockoutSeconds: 20),
                                 settings: settings)
    var now = ConsoleInstant.seconds(100)
    var output = session.start(now: now)
    var offset = 0
    var wasClosed = false
    while offset < keys.count {
        let piece = keys[offset..<min(keys.count, offset + chunk)]
        offset += piece.count
        output += session.feed(piece, now: now)
        now = now.adding(seconds: step)
        output += session.tick(now: now)
        if offset % 7 == 0 { output += session.notify("trace \(offset)\u{1B}[H") }
        if wasClosed && !session.isClosed { return "a closed session came back to life\n  input: \(show(data))" }
        wasClosed = session.isClosed
        let e = session.editor
        if e.buffer.count > e.maxLength || e.cursor < 0 || e.cursor > e.buffer.count {
            return "editor out of bounds: \(e.buffer.count) bytes, cursor \(e.cursor)\n  input: \(show(data))"
        }
        if !session.context.isEmpty && session.phase != .configure && session.phase != .importing {
            return "config block \(session.context) outside configure mode (\(session.phase))\n  input: \(show(data))"
        }
        if session.isLoggedIn && !keys[..<offset].contains(0x61) {
            return "logged in without typing the password\n  input: \(show(data))"
        }
    }
    if output.count > 16384 + 4096 * keys.count {
        return "output of \(output.count) bytes for \(keys.count) keys\n  input: \(show(data))"
    }
    var i = 0
    while i < output.count {
        let b = output[i]
        if b == 0x1B {
            guard i + 1 < output.count, output[i + 1] == 0x5B else {
                return "ESC not followed by '[' at output byte \(i)\n  output: \(show(output.suffix(200)))\n  input: \(show(data))"
            }
        } else if b < 0x20 && ![0x0D, 0x0A, 0x08, 0x09, 0x07].contains(b) || b == 0x7F {
            return "control byte \(b) reached the terminal at \(i)\n  input: \(show(data))"
        }
        i += 1
    }
    // C1 controls as UTF-8 (C2 80..C2 9F) must not appear either.
    for j in 0..<max(0, output.count - 1) where output[j] == 0xC2 && output[j + 1] >= 0x80 && output[j + 1] < 0xA0 {
        return "C1 control reached the terminal at \(j)\n  input: \(show(data))"
    }
    return nil
}

// MARK: Driver

fuzzMain(name: "fuzz-console", violation)
