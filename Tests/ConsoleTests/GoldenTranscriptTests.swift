// GoldenTranscriptTests: plays Tests/Fixtures/console/*.in through a real pseudo-terminal and compares *.out.
//
// The session runs on the pty's slave side through the console's own terminal code (TerminalDevice
// raw 8N1, ConsoleRunner's poll loop) against FakeBackend; the test types the .in bytes on the master
// side and reads everything the console writes until it logs out. Set CONSOLE_GOLDEN_UPDATE=1 to write
// the .out files instead of comparing (then review them by eye).
import Testing
@testable import Console
#if canImport(Glibc)
import Glibc
#endif

/// A clock that stands still: transcripts never depend on timing.
struct FrozenClock: ConsoleClock {
    func now() -> ConsoleInstant { ConsoleInstant.seconds(5000) }
}

/// Runs one console on a fresh pty and returns everything it wrote for `input`.
func playThroughPTY(_ input: [UInt8], backend: FakeBackend, timeoutSeconds: Int = 20) throws -> [UInt8] {
    let pty = try PseudoTerminal.open()
    let master = pty.masterFD
    defer { close(master) }
    let slavePath = pty.slavePath
    let throttle = LoginThrottle()
    let settings = ConsoleSettings(origin: "console pty", terminalHeight: 24, idleTimeoutSeconds: 900, closeOnLogout: true,
                                   hashIterations: PasswordHash.minimumIterations)
    nonisolated(unsafe) let backendRef = backend
    let stop = StopSignal()
    let thread = ConsoleThread {
        guard let fd = try? TerminalDevice.open(path: slavePath, speed: 115200) else { return }
        let session = ConsoleSession(backend: backendRef, throttle: throttle, settings: settings)
        _ = ConsoleRunner.serve(fd: fd, session: session, clock: FrozenClock(), stop: stop)
        tcdrain(fd)
        close(fd)
    }
    defer {
        stop.signal()
        thread.join()
    }
    var output: [UInt8] = []
    var sent = 0
    var buffer = [UInt8](repeating: 0, count: 4096)
    let deadline = MonotonicConsoleClock().now().adding(seconds: Int64(timeoutSeconds))
    while MonotonicConsoleClock().now() < deadline {
        // Type only once the console has drawn its first prompt: the slave is in raw mode by then.
        let typing = !output.isEmpty && sent < input.count
        var p = pollfd(fd: master, events: Int16(POLLIN) | (typing ? Int16(POLLOUT) : 0), revents: 0)
        if poll(&p, 1, 200) < 0 { continue }
        if p.revents & Int16(POLLIN) != 0 {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { return output }   // EIO: the console closed the slave after logout
            output += buffer[0..<n]
        } else if p.revents & Int16(POLLHUP) != 0 {
            return output
        }
        if typing, p.revents & Int16(POLLOUT) != 0 {
            let chunk = min(64, input.count - sent)
            let n = input[sent..<sent + chunk].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n > 0 { sent += n }
        }
    }
    Issue.record("the console did not log out within \(timeoutSeconds) s; output so far:\n\(ConsoleTranscript.encodeOutput(output))")
    return output
}

@Suite(.serialized) struct GoldenTranscriptTests {
    static let fixtures: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Fixtures/console"
    }()

    static func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func write(_ path: String, _ text: String) {
        guard let f = fopen(path, "wb") else { return }
        _ = Array(text.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    static let transcripts: [String] = {
        guard let d = opendir(fixtures) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".in") { names.append(String(name.dropLast(3))) }
        }
        return names.sorted()
    }()

    @Test func thereAreTranscripts() {
        #expect(Self.transcripts.count >= 5, "fixtures in \(Self.fixtures)")
    }

    @Test(arguments: transcripts) func transcript(_ name: String) throws {
        let inText = try #require(Self.read("\(Self.fixtures)/\(name).in"))
        let backend = FakeBackend(passwordHash: name.hasPrefix("first-login") ? nil : SessionRig.storedHash)
        let output = try playThroughPTY(ConsoleTranscript.decodeInput(inText), backend: backend)
        let actual = ConsoleTranscript.encodeOutput(output)
        let outPath = "\(Self.fixtures)/\(name).out"
        if getenv("CONSOLE_GOLDEN_UPDATE") != nil {
            Self.write(outPath, actual)
            return
        }
        let expected = try #require(Self.read(outPath), "missing \(outPath) (run with CONSOLE_GOLDEN_UPDATE=1)")
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
            Issue.record("\(name): first difference at line \(i + 1):\n  expected: \(i < e.count ? String(e[i]) : "<end>")\n  actual:   \(i < a.count ? String(a[i]) : "<end>")")
        }
    }

    @Test func transcriptEscapesRoundTrip() {
        #expect(ConsoleTranscript.decodeInput("sh\\tr\\\n\\e[A\\cC\\x7f\n") == Array("sh\tr\u{1B}[A\u{03}\u{7F}\r".utf8))
        #expect(ConsoleTranscript.encodeOutput(Array("a\r\nb\rc\u{1B}[K\\\u{8}".utf8)) == "a\nb\\rc\\e[K\\\\\\b")
    }
}
