// sip-bench: SIPCore parse+serialize throughput on the Benchmarks/sip-parse corpus, compared with osip2/bench.c.
//
// Usage: sip-bench ITERATIONS FILE...
//
// Each iteration parses every corpus message (`SIPMessage(parsing:framing: .datagram)`), reads the typed
// views a B2BUA reads (Via, From, To, Call-ID, CSeq, Contact, Max-Forwards, Content-Type) so the headers
// are parsed into values as libosip2 parses them, and serializes it (`serialized()`). A checksum of what
// was read and written is printed so the optimizer cannot drop the work.
//
// Output (same format as the C harness):
//   trunkbox: <n> messages in <s> s: <rate> messages/s (checksum <c>)

import SIPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ text: String) -> Never {
    var line = "sip-bench: " + text + "\n"
    line.withUTF8 { buf in _ = write(2, buf.baseAddress, buf.count) }
    exit(1)
}

func load(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

/// Host and user length of a URI, as the C harness reads url->host and url->username.
@inline(__always)
func uriWeight(_ uri: URI) -> Int {
    switch uri {
    case .sip(let u): return u.host.utf8.count &+ (u.user?.utf8.count ?? 0) &+ (u.port ?? 0)
    case .tel(let t): return t.description.utf8.count
    case .other(_, let text): return text.utf8.count
    }
}

/// Reads what a B2BUA reads of the parsed headers (the same fields bench.c reads), folded into a number.
@inline(never)
func touchHeaders(_ m: SIPMessage) throws(SIPParseError) -> Int {
    let h = m.headers
    var sum = 0
    let via = try h.via
    guard let top = via.first else { throw SIPParseError("no Via") }
    sum &+= top.host.utf8.count &+ (top.port ?? 0) &+ via.count
    for p in top.parameters { sum &+= p.name.utf8.count &+ (p.value?.utf8.count ?? 0) }
    guard let from = try h.from, let to = try h.to, let callID = try h.callID, let cseq = try h.cseq else {
        throw SIPParseError("a mandatory header is missing")
    }
    sum &+= uriWeight(from.uri) &+ (from.displayName?.utf8.count ?? 0) &+ (from.tag?.utf8.count ?? 0)
    sum &+= uriWeight(to.uri)
    sum &+= callID.utf8.count &+ Int(cseq.sequence) &+ cseq.method.rawValue.utf8.count
    for c in try h.contacts { if let a = c.address { sum &+= uriWeight(a.uri) } }
    sum &+= try h.maxForwards ?? 0
    if let ct = try h.contentType { sum &+= ct.type.utf8.count &+ ct.subtype.utf8.count }
    return sum
}

/// Formats with three decimals without Foundation.
func format3(_ x: Double) -> String {
    let millis = Int((x * 1000).rounded())
    let frac = millis % 1000
    return "\(millis / 1000)." + String(repeating: "0", count: frac < 10 ? 2 : frac < 100 ? 1 : 0) + "\(frac)"
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, let iterations = Int(arguments[1]), iterations > 0 else {
    fail("usage: sip-bench ITERATIONS FILE...")
}
let paths = Array(arguments.dropFirst(2))
var corpus: [[UInt8]] = []
for path in paths {
    guard let bytes = load(path) else { fail("cannot read \(path)") }
    corpus.append(bytes)
}

// Check once that every message parses, reads and serializes, so the timed loop measures success.
for (path, bytes) in zip(paths, corpus) {
    do {
        let m = try SIPMessage(parsing: bytes, framing: .datagram)
        _ = try touchHeaders(m)
        _ = try SIPMessage(parsing: m.serialized(), framing: .datagram)
    } catch {
        fail("SIPCore cannot handle \(path): \(error)")
    }
}

var checksum = 0
var messages = 0
let clock = ContinuousClock()
let start = clock.now
do {
    for _ in 0..<iterations {
        for bytes in corpus {
            let m = try SIPMessage(parsing: bytes, framing: .datagram)
            checksum &+= try touchHeaders(m)
            let out = m.serialized()
            checksum &+= out.count &+ Int(out[out.count / 2])
            messages += 1
        }
    }
} catch {
    fail("parse failed in the timed loop: \(error)")
}
let elapsed = clock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let rate = Double(messages) / seconds
print("trunkbox: \(messages) messages in \(format3(seconds)) s: \(Int(rate.rounded())) messages/s (checksum \(checksum))")
