// fuzz-sip-stream: libFuzzer target for SIPStreamDecoder; any chunking of a byte stream must decode alike.
//
// Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz) it runs under libFuzzer and traps on the first
// violated invariant; built normally it replays the files (or directories of files) given as arguments
// and exits 1 if any breaks an invariant. The whole input is the TCP byte stream. It is decoded three
// ways: all at once; one byte at a time (inputs up to 2 KB; longer ones in chunks seeded by the last
// eight bytes instead); in chunks whose lengths come from a generator seeded with the first eight bytes.
// The invariants:
//   - every way yields the same items (messages, keep-alive pings and pongs), then the same error or
//     the same number of bytes left waiting;
//   - after an error the decoder refuses further input and further reads with that same error;
//   - each decoded message serializes to bytes that a fresh decoder reads back as exactly that message.

import FuzzSupport
import SIPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if !FUZZING
import Foundation
#endif

// MARK: Invariants

/// What a decoder made of a whole stream.
struct Outcome: Equatable {
    var items: [SIPStreamDecoder.Item] = []
    var error: SIPParseError?
    var buffered = 0
}

/// Decodes `data` fed in pieces of the given lengths (the last piece takes whatever is left), draining
/// after each piece. Returns the outcome, or a violation of the refuse-after-error rule.
func decode(_ data: UnsafeBufferPointer<UInt8>, chunks: SplitMix) -> Result<Outcome, Violation> {
    var decoder = SIPStreamDecoder()
    var outcome = Outcome()
    var offset = 0
    var lengths = chunks
    while offset < data.count {
        let length = min(max(lengths.next() ?? data.count, 1), data.count - offset)
        let piece = UnsafeBufferPointer(rebasing: data[offset..<offset + length])
        offset += length
        do {
            try decoder.feed(piece)
            while let item = try decoder.next() { outcome.items.append(item) }
        } catch {
            outcome.error = error
            break
        }
    }
    if let error = outcome.error {
        do {
            try decoder.feed([0x0D, 0x0A])
            return .failure(Violation("decoder accepted input after the error \(error)"))
        } catch let again {
            if again != error { return .failure(Violation("decoder refuses with \(again) after failing with \(error)")) }
        }
        do {
            _ = try decoder.next()
            return .failure(Violation("decoder reads on after the error \(error)"))
        } catch let again {
            if again != error { return .failure(Violation("decoder reads fail with \(again) after failing with \(error)")) }
        }
    } else {
        outcome.buffered = decoder.bufferedByteCount
    }
    return .success(outcome)
}

struct Violation: Error {
    var text: String
    init(_ text: String) { self.text = text }
}

/// Chunk lengths: from splitmix64 (a tiny deterministic generator), or all ones, or one whole piece.
struct SplitMix: IteratorProtocol {
    var state: UInt64
    var single = false
    var whole = false

    /// Inputs up to this size are also fed one byte at a time (every split point); longer ones get a
    /// second seeded chunking instead, which keeps the fuzzing rate up.
    static let byteByByteLimit = 2048

    mutating func nextWord() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Mostly short chunks (so split points inside CRLFs and header names get tried), some long.
    mutating func next() -> Int? {
        if whole { return Int.max }
        if single { return 1 }
        let r = nextWord()
        switch r & 3 {
        case 0: return 1
        case 1: return 1 + Int((r >> 2) % 4)
        case 2: return 1 + Int((r >> 2) % 64)
        default: return 1 + Int((r >> 2) % 2048)
        }
    }
}

/// Why `data` breaks an invariant, or nil when every invariant holds.
func violation(_ data: UnsafeBufferPointer<UInt8>) -> String? {
    var seed: UInt64 = 0
    for b in data.prefix(8) { seed = seed << 8 | UInt64(b) }
    var tailSeed: UInt64 = 0x5EED
    for b in data.suffix(8) { tailSeed = tailSeed << 8 | UInt64(b) }
    let ways: [(String, SplitMix?)] = [
        ("all at once", nil),
        data.count <= SplitMix.byteByByteLimit ? ("one byte at a time", SplitMix(state: 0, single: true))
                                      : ("chunks seeded by the last bytes \(tailSeed)", SplitMix(state: tailSeed)),
        ("chunks seeded by the first bytes \(seed)", SplitMix(state: seed)),
    ]
    var reference: Outcome?
    for (way, chunks) in ways {
        let outcome: Outcome
        switch decode(data, chunks: chunks ?? SplitMix(state: 0, whole: true)) {
        case .failure(let v): return "\(way): \(v.text)\n  input: \(show(data))"
        case .success(let o): outcome = o
        }
        guard let reference else { reference = outcome; continue }
        if outcome != reference {
            return "\(way) differs from all at once: \(summary(outcome)) vs \(summary(reference))\n  input: \(show(data))"
        }
    }
    for case .message(let message) in reference?.items ?? [] {
        let bytes = message.serialized()
        var decoder = SIPStreamDecoder()
        do {
            try decoder.feed(bytes)
            let items = try decoder.drain()
            guard items == [.message(message)], decoder.bufferedByteCount == 0 else {
                return "a decoded message serializes to \(items.count) different item(s), \(decoder.bufferedByteCount) byte(s) left\n  serialized: \(show(bytes))\n  input: \(show(data))"
            }
        } catch {
            return "a decoded message serializes to bytes the decoder refuses: \(error)\n  serialized: \(show(bytes))\n  input: \(show(data))"
        }
    }
    return nil
}

func summary(_ o: Outcome) -> String {
    var kinds: [String] = []
    for item in o.items {
        switch item {
        case .message(let m):
            switch m.startLine {
            case .request(let method, _): kinds.append(method.rawValue)
            case .response(let code, _): kinds.append(String(code))
            }
        case .keepAlivePing: kinds.append("ping")
        case .keepAlivePong: kinds.append("pong")
        }
    }
    return "[\(kinds.joined(separator: " "))] then " + (o.error.map { "error \($0)" } ?? "\(o.buffered) byte(s) waiting")
}


// MARK: Driver

fuzzMain(name: "fuzz-sip-stream", violation)
