// LocatorRun: drives a SIPLocator to its outcome the way the NIO driver will, over real DNS wire bytes and TCP framing (RFC 3263 §4, RFC 1035 §4.2).
import Testing
@testable import SIPLocator

// What a locator run did: its outcome and the lookups it asked for, batch by batch.
struct Resolution {
    var outcome: SIPLocator.Action
    var batches: [[DNSQuestion]]

    var targets: [SIPTarget] {
        if case .resolved(let list) = outcome { return list.targets }
        return []
    }

    var list: SIPTargetList? {
        if case .resolved(let list) = outcome { return list }
        return nil
    }

    var error: SIPLocatorError? {
        if case .failed(let e) = outcome { return e }
        return nil
    }

    var questions: [String] { batches.flatMap { $0.map { "\($0.name) \($0.type)" } } }
}

// Runs a locator to its outcome against `dns` the way the NIO driver will: random-ish IDs, each
// query encoded, the response decoded and validated, TC answered by a retry over TCP.
func resolve(_ uri: SIPLocatorURI, _ configuration: SIPLocatorConfiguration = SIPLocatorConfiguration(),
             seed: UInt64 = 1, dns: inout FakeDNS) throws -> Resolution {
    var locator = SIPLocator(uri: uri, configuration: configuration, randomSeed: seed)
    var outcome = locator.start()
    var batches: [[DNSQuestion]] = []
    var queue: [DNSQuestion] = []
    var id: UInt16 = 0x7A31
    func take(_ action: SIPLocator.Action) {
        switch action {
        case .sendQueries(let qs):
            batches.append(qs)
            queue += qs
        case .waitForAnswers: break
        default: outcome = action
        }
    }
    take(outcome)
    while !queue.isEmpty {
        let q = queue.removeFirst()
        id = id &* 31 &+ 7
        let query = DNSQuery(id: id, question: q)
        guard let udp = try dns.respond(to: query.encoded(), overTCP: false) else {
            take(locator.lookupFailed(q))
            continue
        }
        var response = try DNSMessage(decoding: udp)
        try query.validate(response)
        if response.header.isTruncated {
            // Retry over TCP; the reply arrives in 3-byte chunks through the framing decoder.
            var server = DNSTCPFraming()
            server.append(try DNSTCPFraming.frame(query.encoded()))
            guard let framedQuery = server.nextMessage(),
                  let reply = try dns.respond(to: framedQuery, overTCP: true) else { throw TestFailure("no TCP reply") }
            let stream = try DNSTCPFraming.frame(reply)
            var client = DNSTCPFraming()
            var received: [UInt8]?
            var i = 0
            while received == nil, i < stream.count {
                client.append(stream[i..<min(i + 3, stream.count)])
                received = client.nextMessage()
                i += 3
            }
            guard let received else { throw TestFailure("TCP reply never completed") }
            response = try DNSMessage(decoding: received)
            try query.validate(response)
        }
        take(locator.receive(response, for: q))
    }
    guard locator.isFinished else { throw TestFailure("locator stopped without an outcome: \(outcome)") }
    return Resolution(outcome: outcome, batches: batches)
}
