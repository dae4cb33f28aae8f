// TestSupport: small helpers for the SIPLocator tests: names, targets in text form (RFC 3263 §4.2 output), scripted randomness.
import Testing
@testable import SIPLocator

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func dnsName(_ text: String) throws -> DNSName { try DNSName(text) }

// Returns the scripted values in turn, then starts over.
struct ScriptedRandom: RandomNumberGenerator {
    var values: [UInt64]
    var index = 0
    init(_ values: [UInt64]) { self.values = values }
    mutating func next() -> UInt64 {
        defer { index = (index + 1) % values.count }
        return values[index]
    }
}

func target(_ text: String) throws -> SIPTarget {
    // "udp:192.0.2.1:5060" or "tls:[2001:db8::1]:5061"
    let parts = text.split(separator: ":", maxSplits: 1)
    guard parts.count == 2, let transport = SIPTransport(rawValue: String(parts[0])),
          let colon = parts[1].lastIndex(of: ":"), let port = UInt16(parts[1][parts[1].index(after: colon)...]),
          let address = IPAddress(parts[1][..<colon]) else { throw TestFailure("bad target \(text)") }
    return SIPTarget(address: address, port: port, transport: transport)
}
