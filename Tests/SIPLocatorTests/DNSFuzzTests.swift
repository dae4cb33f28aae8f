// DNSFuzzTests: the decoder and the locator fed deterministic garbage and mutated answers must refuse cleanly, never trap (RFC 1035 §4.1).
import Testing
@testable import SIPLocator

@Suite struct DNSFuzzTests {
    // What each input did: decoded, or refused with which kind of error.
    private struct Tally {
        var decoded = 0
        var reencoded = 0
        // Decoded messages whose re-encoding decodes to something else: must stay 0.
        var roundTripMismatches = 0
        var errors: [String: Int] = [:]

        mutating func feed(_ bytes: [UInt8]) {
            do throws(DNSError) {
                let m = try DNSMessage(decoding: bytes)
                decoded += 1
                // Whatever decodes re-encodes to the same message (when it can be encoded at all).
                if let again = try? m.encoded() {
                    reencoded += 1
                    if (try? DNSMessage(decoding: again)) != m { roundTripMismatches += 1 }
                }
            } catch {
                errors[Self.kind(error), default: 0] += 1
            }
        }

        static func kind(_ error: DNSError) -> String {
            switch error {
            case .unexpectedEnd: "unexpectedEnd"
            case .pointerOutOfBounds: "pointerOutOfBounds"
            case .pointerLoop: "pointerLoop"
            case .unsupportedLabelType: "unsupportedLabelType"
            case .nameTooLong: "nameTooLong"
            case .tooManyQuestions: "tooManyQuestions"
            case .tooManyRecords: "tooManyRecords"
            case .badRecordLength: "badRecordLength"
            default: "other: \(error)"
            }
        }
    }

    @Test func randomBytesNeverTrap() {
        var rng = SplitMix64(seed: 0xF022)
        var tally = Tally()
        for _ in 0..<5_000 {
            let length = Int(rng.next() % 300)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Keep the counts small half the time so the sections are reached.
            if length >= 12, rng.next() % 2 == 0 {
                for i in [4, 6, 8, 10] { bytes[i] = 0 }
                bytes[5] = UInt8(rng.next() % 3)
                bytes[7] = UInt8(rng.next() % 4)
                bytes[11] = UInt8(rng.next() % 3)
            }
            tally.feed(bytes)
        }
        #expect(tally.decoded + tally.errors.values.reduce(0, +) == 5_000)
        #expect(tally.decoded > 0 && tally.reencoded == tally.decoded && tally.roundTripMismatches == 0)
        for kind in ["unexpectedEnd", "tooManyRecords", "unsupportedLabelType", "pointerOutOfBounds"] {
            #expect(tally.errors[kind, default: 0] > 0, "never saw \(kind): \(tally.errors)")
        }
    }

    @Test func mutatedAndTruncatedResponsesNeverTrap() throws {
        let seeds: [[UInt8]] = [
            DNSWireFixtures.srvResponse,
            DNSWireFixtures.nxdomain,
            try naptrResponse(),
        ]
        var rng = SplitMix64(seed: 0xD05)
        var tally = Tally()
        var fed = 0
        for seed in seeds {
            for _ in 0..<3_000 {
                var bytes = seed
                for _ in 0...(rng.next() % 4) {
                    let i = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 4 {
                    case 0: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes[i] ^= 1 << UInt8(rng.next() % 8)
                    case 2: bytes[i] = [0x00, 0xC0, 0x3F, 0xFF][Int(rng.next() % 4)]
                    default: bytes.removeSubrange(i...)
                    }
                    if bytes.isEmpty { break }
                }
                if rng.next() % 3 == 0, bytes.count > 2 { bytes[2] |= 0x02 }  // TC
                tally.feed(bytes)
                fed += 1
            }
            for length in 0...seed.count {
                tally.feed(Array(seed[0..<length]))
                fed += 1
            }
        }
        #expect(tally.decoded + tally.errors.values.reduce(0, +) == fed)
        #expect(tally.decoded > 1_000, "mutations should often still decode")
        #expect(tally.reencoded > 1_000 && tally.roundTripMismatches == 0)
        for kind in ["unexpectedEnd", "badRecordLength", "pointerOutOfBounds", "unsupportedLabelType", "tooManyRecords"] {
            #expect(tally.errors[kind, default: 0] > 0, "never saw \(kind): \(tally.errors)")
        }
    }

    @Test func locatorFedMutatedAnswersAlwaysFinishes() throws {
        var rng = SplitMix64(seed: 0x3263)
        var outcomes: [String: Int] = [:]
        for round in 0..<1_500 {
            var locator = SIPLocator(uri: SIPLocatorURI(host: "example.com"), randomSeed: UInt64(round))
            var queue: [DNSQuestion] = []
            var outcome = locator.start()
            if case .sendQueries(let qs) = outcome { queue = qs }
            var steps = 0
            while let q = queue.first {
                queue.removeFirst()
                steps += 1
                // An answer for the question, then mutated; what still decodes is fed, the rest counts as failed.
                var bytes = try answer(for: q, rng: &rng)
                for _ in 0..<(rng.next() % 3) where !bytes.isEmpty {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                let action: SIPLocator.Action
                if let m = try? DNSMessage(decoding: bytes) {
                    action = locator.receive(m, for: q)
                } else {
                    action = locator.lookupFailed(q)
                }
                if case .sendQueries(let more) = action { queue += more } else if action != .waitForAnswers { outcome = action }
            }
            #expect(locator.isFinished && locator.pendingQuestions.isEmpty)
            #expect(steps <= SIPLocatorConfiguration().maxLookups)
            switch outcome {
            case .resolved(let list): 
                #expect(!list.targets.isEmpty)
                outcomes["resolved", default: 0] += 1
            case .failed: outcomes["failed", default: 0] += 1
            default: Issue.record("no outcome: \(outcome)")
            }
        }
        #expect(outcomes["resolved", default: 0] > 100 && outcomes["failed", default: 0] > 100, "\(outcomes)")
    }

    // A plausible answer for `q` with random SRV/A/AAAA data.
    private func answer(for q: DNSQuestion, rng: inout SplitMix64) throws -> [UInt8] {
        var answers: [DNSResourceRecord] = []
        var additionals: [DNSResourceRecord] = []
        for i in 0..<(rng.next() % 4) {
            let ttl = UInt32(truncatingIfNeeded: rng.next() % 4_000)
            switch q.type {
            case .srv:
                let target = rng.next() % 5 == 0 ? DNSName.root : try dnsName("h\(rng.next() % 6).example.com")
                answers.append(DNSResourceRecord(name: q.name, ttl: ttl, data: .srv(DNSSRVRecord(
                    priority: UInt16(rng.next() % 3), weight: UInt16(rng.next() % 50), port: UInt16(rng.next() % 3) + 5059, target: target))))
                if rng.next() % 2 == 0, !target.isRoot {
                    additionals.append(DNSResourceRecord(name: target, ttl: ttl, data: .a(IPv4Address(value: UInt32(truncatingIfNeeded: rng.next())))))
                }
            case .a:
                answers.append(DNSResourceRecord(name: q.name, ttl: ttl, data: .a(IPv4Address(192, 0, 2, UInt8(i)))))
            default:
                answers.append(DNSResourceRecord(name: q.name, ttl: ttl, data: .aaaa(IPv6Address(high: 0x2001_0DB8_0000_0000, low: i))))
            }
        }
        let code: DNSResponseCode = [.noError, .noError, .noError, .nameError, .serverFailure][Int(rng.next() % 5)]
        return try DNSMessage(header: DNSHeader(id: 1, isResponse: true, responseCode: code), questions: [q],
                              answers: code == .noError ? answers : [], additionals: additionals).encoded()
    }

    private func naptrResponse() throws -> [UInt8] {
        let q = DNSQuestion(name: try dnsName("example.com"), type: .naptr)
        return try DNSMessage(header: DNSHeader(id: 3, isResponse: true), questions: [q], answers: try zone("""
            example.com 300 NAPTR 50 50 "s" "SIPS+D2T" "" _sips._tcp.example.com
            example.com 300 NAPTR 90 50 "s" "SIP+D2T" "" _sip._tcp.example.com
            example.com 300 NAPTR 100 50 "s" "SIP+D2U" "" _sip._udp.example.com
            """), additionals: try zone("""
            _sip._udp.example.com 300 SRV 0 1 5060 sip1.example.com
            sip1.example.com 300 A 192.0.2.1
            sip1.example.com 300 AAAA 2001:db8::1
            """)).encoded()
    }
}
