// fuzz-config: libFuzzer target for the config language: parse, serialize, mask, validate, diff.
//
// Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz) it runs under libFuzzer and traps on the first
// violated invariant; built normally it replays the files (or directories of files) given as arguments
// and exits 1 if any breaks an invariant. The input is decoded as UTF-8 (invalid bytes become U+FFFD).
// The invariants:
//   - a refusal is a thrown ConfigError with at least one issue, each with line ≥ 1 (and within the
//     text) and a non-empty reason, at most ConfigLimits.maxIssues of them, never a trap;
//   - accepted text serializes to text that re-parses into an equal config, and serializing that gives
//     the same bytes (the canonical text is a fixed point);
//   - the masked rendering parses, to the config with every secret "kept"; it is the same whatever the
//     secrets are (so it carries nothing of them), and every secret statement in it reads `********`;
//   - validation, the change summary and the line diff run without trapping; issues name lines of the
//     input; every secret line of the diff is masked;
//   - `?` help and completion take the input's words without trapping; every completion is also in the help.

import Config
import FuzzSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: Invariants

/// Why `data` breaks an invariant, or nil when every invariant holds.
func violation(_ data: UnsafeBufferPointer<UInt8>) -> String? {
    let text = String(decoding: data, as: UTF8.self)
    let lineCount = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count
    let document: ConfigDocument
    do {
        document = try ConfigText.parseDocument(text)
    } catch {
        if error.issues.isEmpty { return "refused with no issue\n  input: \(show(data))" }
        if error.issues.count > ConfigLimits.maxIssues { return "more than maxIssues issues\n  input: \(show(data))" }
        for issue in error.issues {
            if issue.message.isEmpty { return "refused with an empty reason: \(issue)\n  input: \(show(data))" }
            if issue.line < 1 || issue.line > max(lineCount, 1) { return "refusal names line \(issue.line) of \(lineCount): \(issue)\n  input: \(show(data))" }
        }
        return nil
    }
    let config = document.config

    // Canonical text: re-parses equal; a fixed point.
    let s1 = ConfigText.serialize(config)
    let second: GatewayConfig
    do {
        second = try ConfigText.parse(s1)
    } catch {
        return "serialization does not re-parse: \(error)\n  serialized: \(show(Array(s1.utf8)))\n  input: \(show(data))"
    }
    if second != config { return "re-parsed config differs\n  serialized: \(show(Array(s1.utf8)))\n  input: \(show(data))" }
    let s2 = ConfigText.serialize(second)
    if s1 != s2 { return "serialization is not a fixed point\n  first:  \(show(Array(s1.utf8)))\n  second: \(show(Array(s2.utf8)))" }

    // Masked text: parses to the config with secrets kept, and does not depend on the secrets.
    let masked = ConfigText.masked(config)
    do {
        let parsedMask = try ConfigText.parse(masked)
        if parsedMask != config.withSecretsMasked { return "masked text does not parse to the masked config\n  masked: \(show(Array(masked.utf8)))" }
    } catch {
        return "masked text does not parse: \(error)\n  masked: \(show(Array(masked.utf8)))"
    }
    var other = config
    if other.pbx.password != nil { other.pbx.password = .value("other-secret-\(masked.utf8.count)") }
    for i in other.profiles.indices where other.profiles[i].password != nil { other.profiles[i].password = .value(String(repeating: "z", count: i + 1)) }
    if ConfigText.masked(other) != masked { return "masked text depends on the secrets\n  input: \(show(data))" }
    for line in masked.split(separator: "\n") {
        let words = line.split(separator: " ")
        if words.first == "password", line.split(separator: " ", omittingEmptySubsequences: false).last != "********" || words.count != 2 {
            return "masked text shows a secret line \(show(Array(line.utf8)))"
        }
    }

    // `?` help and TAB completion take any words without trapping, and complete only to words they help with.
    for line in text.split(separator: "\n").prefix(20) {
        let words = line.split(separator: " ").prefix(8).map(String.init) + [""]
        for block in [ConfigBlock.top, .profile, .routing, .line] {
            let helped = Set(ConfigSchema.help(after: words, in: block).map(\.syntax))
            for w in ConfigSchema.completions(for: words, in: block) where !helped.contains(w) {
                return "completion '\(w)' is not in the help after \(words) in \(block)"
            }
        }
    }

    // Validation names lines of the input.
    for issue in ConfigValidator.validate(document) where issue.line < 1 || issue.line > max(lineCount, 1) || issue.message.isEmpty {
        return "validation issue outside the input: \(issue) (\(lineCount) lines)\n  input: \(show(data))"
    }

    // Change summary and diff against the factory default and the canonical text.
    _ = ConfigChanges(from: .factoryDefault, to: config).summary
    _ = ConfigChanges(from: config, to: other).summary
    let diff = ConfigDiff.text(from: text, to: ConfigText.serialize(other))
    for line in diff.split(separator: "\n") where !line.hasPrefix("---") && !line.hasPrefix("+++") && !line.hasPrefix("@@") {
        let content = line.dropFirst()
        let trimmed = content.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("password") || trimmed.hasPrefix("\"password\""),
           ConfigDiff.mask(content) != String(content) {
            return "diff shows an unmasked secret line: \(show(Array(line.utf8)))"
        }
    }
    return nil
}

// MARK: Driver

#if FUZZING
/// LeakSanitizer suppressions: the statement table (`ConfigSchema.table`) is built once, on first use, and
/// lives for the whole process; LSan reports the closure contexts it allocates (about 90 objects, 3.7 KB,
/// the same after 10 or 10,000 runs) as direct leaks at exit. Only allocations made by that one-time
/// initializer are suppressed; a leak anywhere else still fails the run.
@_cdecl("__lsan_default_suppressions")
public func lsanDefaultSuppressions() -> UnsafePointer<CChar> {
    // A string literal is stored NUL-terminated in read-only data: nothing to allocate. (No leading `$`:
    // in a suppression pattern it anchors the end.)
    let text: StaticString = "leak:s6Config0A6SchemaO5table\n"
    return UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
#endif

fuzzMain(name: "fuzz-config", violation)
