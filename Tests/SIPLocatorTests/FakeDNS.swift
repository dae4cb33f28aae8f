// FakeDNS: a recursive DNS server answering from zone text in real wire format (RFC 1035 §4), with TC over UDP and injected failures.
import Testing
@testable import SIPLocator

// Zone-file lines (`name ttl TYPE rdata`, `;` comments) as records: A, AAAA, CNAME, SRV, NAPTR.
func zone(_ text: String) throws -> [DNSResourceRecord] {
    var records: [DNSResourceRecord] = []
    for rawLine in text.split(separator: "\n") {
        let line = rawLine.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let f = fields(line)
        guard !f.isEmpty else { continue }
        guard f.count >= 4, let ttl = UInt32(f[1]) else { throw TestFailure("bad zone line: \(line)") }
        let name = try DNSName(f[0])
        let data: DNSRecordData
        switch f[2] {
        case "A":
            guard let a = IPv4Address(f[3]) else { throw TestFailure("bad A: \(line)") }
            data = .a(a)
        case "AAAA":
            guard let a = IPv6Address(f[3]) else { throw TestFailure("bad AAAA: \(line)") }
            data = .aaaa(a)
        case "CNAME":
            data = .cname(try DNSName(f[3]))
        case "SRV":
            guard f.count == 7, let p = UInt16(f[3]), let w = UInt16(f[4]), let port = UInt16(f[5]) else {
                throw TestFailure("bad SRV: \(line)")
            }
            data = .srv(DNSSRVRecord(priority: p, weight: w, port: port, target: try DNSName(f[6])))
        case "NAPTR":
            guard f.count == 9, let order = UInt16(f[3]), let pref = UInt16(f[4]) else { throw TestFailure("bad NAPTR: \(line)") }
            data = .naptr(DNSNAPTRRecord(order: order, preference: pref, flags: f[5], services: f[6], regexp: f[7],
                                         replacement: try DNSName(f[8])))
        default:
            throw TestFailure("unknown type in: \(line)")
        }
        records.append(DNSResourceRecord(name: name, ttl: ttl, data: data))
    }
    return records
}

// Whitespace-separated fields; a double-quoted field may be empty and keeps its inner text.
private func fields(_ line: Substring) -> [String] {
    var result: [String] = []
    var current = ""
    var quoted = false, inField = false
    for c in line {
        if c == "\"" {
            quoted.toggle()
            inField = true
        } else if !quoted, c == " " || c == "\t" {
            if inField { result.append(current) }
            current = ""
            inField = false
        } else {
            current.append(c)
            inField = true
        }
    }
    if inField { result.append(current) }
    return result
}

// A recursive server that answers from a fixed zone, speaking real wire format.
struct FakeDNS {
    enum Failure { case timeout, rcode(DNSResponseCode) }

    var records: [DNSResourceRecord]
    // Put the A/AAAA records of SRV targets in the additional section, as many servers do.
    var addsAdditionalAddresses = false
    // Over UDP, answers larger than this come back empty with TC set.
    var udpLimit = 65_535
    var failures: [DNSQuestion: Failure] = [:]
    // Every question received, in order (UDP and TCP).
    private(set) var log: [DNSQuestion] = []
    private(set) var tcpQueries = 0

    init(_ zoneText: String) throws { records = try zone(zoneText) }

    // The response bytes for `queryBytes`, nil for a timeout.
    mutating func respond(to queryBytes: [UInt8], overTCP: Bool) throws -> [UInt8]? {
        let query = try DNSMessage(decoding: queryBytes)
        guard query.questions.count == 1 else { throw TestFailure("query with \(query.questions.count) questions") }
        let q = query.questions[0]
        log.append(q)
        if overTCP { tcpQueries += 1 }
        var header = DNSHeader(id: query.header.id, isResponse: true, recursionDesired: query.header.recursionDesired,
                               recursionAvailable: true)
        switch failures[q] {
        case .timeout: return nil
        case .rcode(let code):
            header.responseCode = code
            return try DNSMessage(header: header, questions: [q]).encoded()
        case nil: break
        }
        var answers: [DNSResourceRecord] = []
        var name = q.name
        for _ in 0..<8 {
            let matching = records.filter { $0.name == name && $0.type == q.type }
            if !matching.isEmpty {
                answers += matching
                break
            }
            guard let alias = records.first(where: { $0.name == name && $0.type == .cname }),
                  case .cname(let target) = alias.data else { break }
            answers.append(alias)
            name = target
        }
        if answers.isEmpty, !records.contains(where: { $0.name == q.name }) { header.responseCode = .nameError }
        var additionals: [DNSResourceRecord] = []
        if addsAdditionalAddresses {
            for case .srv(let srv) in answers.map(\.data) {
                additionals += records.filter { $0.name == srv.target && ($0.type == .a || $0.type == .aaaa) }
            }
        }
        var response = DNSMessage(header: header, questions: [q], answers: answers, additionals: additionals)
        var bytes = try response.encoded()
        if !overTCP, bytes.count > udpLimit {
            response.header.isTruncated = true
            response.answers = []
            response.additionals = []
            bytes = try response.encoded()
        }
        return bytes
    }
}
