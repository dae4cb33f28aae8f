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


// MARK: Driver

fuzzMain(name: "fuzz-sdp", violation)
