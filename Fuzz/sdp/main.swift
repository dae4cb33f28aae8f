// fuzz-sdp: libFuzzer target for SDPSession parsing; a parsed body must serialize to a fixed point.
//
// Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz) it runs under libFuzzer and traps on the first
// violated invariant; built normally it replays the files (or directories of files) given as arguments
// and exits 1 if any breaks an invariant. The invariants:
//   - a refusal is a thrown SIPParseError with a reason and a non-negative position, never a trap;
//   - a parsed body serializes to text that re-parses into an equal SDPSession;
//   - serializing the re-parsed session gives the same bytes (serialization is a fixed point);
//   - the derived views (codecs, fmtp, ptime, direction, rtcp, crypto, connections) read without trapping
//     and agree between the two sessions.

import SIPCore
#if FUZZING
import CFuzzerDriver
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if !FUZZING
import Foundation
#endif

// MARK: Invariants

/// Why `data` breaks an invariant, or nil when every invariant holds.
func violation(_ data: UnsafeBufferPointer<UInt8>) -> String? {
    let first: SDPSession
    do {
        first = try SDPSession(parsing: data)
    } catch {
        if error.reason.isEmpty { return "refused with an empty reason\n  input: \(show(data))" }
        if error.line < 0 || error.column < 0 { return "refusal has a negative position: \(error)\n  input: \(show(data))" }
        return nil
    }
    let s1 = first.serializedBytes
    let second: SDPSession
    do {
        second = try SDPSession(parsing: s1)
    } catch {
        return "serialization does not re-parse: \(error)\n  serialized: \(show(s1))\n  input: \(show(data))"
    }
    let s2 = second.serializedBytes
    if s1 != s2 {
        return "serialization is not a fixed point\n  first:  \(show(s1))\n  second: \(show(s2))\n  input: \(show(data))"
    }
    if second != first {
        return "re-parsed session differs from the first\n  serialized: \(show(s1))\n  input: \(show(data))"
    }
    if views(first) != views(second) {
        return "derived views differ after the round trip\n  serialized: \(show(s1))\n  input: \(show(data))"
    }
    return nil
}

/// Everything the offer/answer code derives from a session, as text to compare.
func views(_ s: SDPSession) -> [String] {
    var out: [String] = ["\(s.direction.map { "\($0)" } ?? "-")"]
    for m in s.media {
        out.append([
            "\(m.isRTP) \(m.isSecure) \(m.isRejected) \(m.payloadTypes)",
            "\(m.rtpMaps) \(m.codecs) \(m.telephoneEvents) \(m.fmtps)",
            "\(String(describing: m.ptime)) \(String(describing: m.maxptime)) \(String(describing: m.direction))",
            "\(String(describing: m.rtcp)) \(m.rtcpMux) \(m.cryptos)",
            "\(s.effectiveDirection(of: m)) \(String(describing: s.effectiveConnection(of: m)))",
            m.payloadTypes.map { "\(String(describing: m.rtpMap(forPayloadType: $0))) \(String(describing: m.fmtp(forPayloadType: $0)))" }.joined(separator: ","),
        ].joined(separator: " | "))
    }
    return out
}

/// Bytes as an escaped string literal, cut at 600 bytes.
func show(_ bytes: some Collection<UInt8>) -> String {
    var s = "\""
    for b in bytes.prefix(600) {
        switch b {
        case 0x0D: s += "\\r"
        case 0x0A: s += "\\n"
        case 0x09: s += "\\t"
        case 0x22: s += "\\\""
        case 0x5C: s += "\\\\"
        case 0x20..<0x7F: s.unicodeScalars.append(Unicode.Scalar(b))
        default: s += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
        }
    }
    s += "\""
    if bytes.count > 600 { s += "... (\(bytes.count) bytes)" }
    return s
}

/// Writes a line to standard error unbuffered (so it is out before a trap).
func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { buf in _ = write(2, buf.baseAddress, buf.count) }
}

// MARK: Driver

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let v = violation(UnsafeBufferPointer(start: data, count: size)) {
        printError("fuzz-sdp: invariant violated: \(v)")
        preconditionFailure(v)
    }
    return 0
}

var fuzzArgc = CommandLine.argc
var fuzzArgv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&fuzzArgc, &fuzzArgv) { data, size in fuzzTestOneInput(data, size) })
#else
replay(name: "fuzz-sdp", violation)
#endif

#if !FUZZING
/// Runs `check` over every file named on the command line (a directory stands for the files in it) and
/// exits 0 when all pass, 1 when any fails, 2 on a usage error.
func replay(name: String, _ check: (UnsafeBufferPointer<UInt8>) -> String?) -> Never {
    let arguments = CommandLine.arguments.dropFirst()
    guard !arguments.isEmpty else {
        printError("usage: \(name) FILE|DIRECTORY...  (replays inputs; build with -DFUZZING -sanitize=fuzzer to fuzz)")
        exit(2)
    }
    let fm = FileManager.default
    var files: [String] = []
    for path in arguments {
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            printError("\(name): no such file: \(path)")
            exit(2)
        }
        if isDirectory.boolValue {
            let entries = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for entry in entries where !entry.hasPrefix(".") {
                var entryIsDirectory: ObjCBool = false
                let full = path + "/" + entry
                if fm.fileExists(atPath: full, isDirectory: &entryIsDirectory), !entryIsDirectory.boolValue { files.append(full) }
            }
        } else {
            files.append(path)
        }
    }
    var failures = 0
    for file in files {
        guard let data = fm.contents(atPath: file) else {
            print("FAIL \(file): cannot read")
            failures += 1
            continue
        }
        if let v = Array(data).withUnsafeBufferPointer(check) {
            print("FAIL \(file): \(v)")
            failures += 1
        }
    }
    print("\(name): \(files.count - failures) of \(files.count) inputs passed")
    exit(failures == 0 ? 0 : 1)
}
#endif
