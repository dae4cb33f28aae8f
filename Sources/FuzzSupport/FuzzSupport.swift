// FuzzSupport: what the libFuzzer targets share: the driver (libFuzzer under -DFUZZING, a replay of saved
// inputs otherwise), showing an input, and writing to stderr before a trap (docs/FUZZING.md).
import Foundation
#if canImport(Glibc)
import Glibc
#endif
#if FUZZING
import CFuzzerDriver

nonisolated(unsafe) private var fuzzName = ""
nonisolated(unsafe) private var fuzzCheck: ((UnsafeBufferPointer<UInt8>) -> String?)?

/// libFuzzer's per-input entry point: runs the target's invariant check and traps on a violation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let v = fuzzCheck?(UnsafeBufferPointer(start: data, count: size)) {
        printError("\(fuzzName): invariant violated: \(v)")
        preconditionFailure(v)
    }
    return 0
}
#endif

/// A fuzz target's whole main: built with `-sanitize=fuzzer -DFUZZING` it hands `check` to libFuzzer's
/// driver (a returned reason is an invariant violation and traps); built normally it replays the files
/// named on the command line through `check` (see `replay`).
public func fuzzMain(name: String, _ check: @escaping (UnsafeBufferPointer<UInt8>) -> String?) -> Never {
    #if FUZZING
    fuzzName = name
    fuzzCheck = check
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) })
    #else
    replay(name: name, check)
    #endif
}

/// Bytes as an escaped string literal, cut at 600 bytes.
public func show(_ bytes: some Collection<UInt8>) -> String {
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
public func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { buf in _ = write(2, buf.baseAddress, buf.count) }
}

/// Runs `check` over every file named on the command line (a directory stands for the files in it) and
/// exits 0 when all pass, 1 when any fails, 2 on a usage error.
public func replay(name: String, _ check: (UnsafeBufferPointer<UInt8>) -> String?) -> Never {
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
