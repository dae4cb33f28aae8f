// DNSMalformedTests: short, oversized and inconsistent messages are refused with a named error (RFC 1035 §4.1, limits in DNSLimits).
import Testing
@testable import SIPLocator

@Suite struct DNSMalformedTests {
    @Test func everyTruncationOfAValidResponseIsAnEarlyEnd() throws {
        let full = DNSWireFixtures.srvResponse
        for length in 0..<full.count {
            let e = #expect(throws: DNSError.self, "length \(length)") { try DNSMessage(decoding: Array(full[0..<length])) }
            guard case .unexpectedEnd(let offset)? = e else {
                Issue.record("length \(length): \(String(describing: e))")
                continue
            }
            #expect(offset <= length)
        }
    }

    @Test func everyTruncationWithTCKeepsOnlyWholeRecords() throws {
        var full = DNSWireFixtures.srvResponse
        full[2] |= 0x02
        let recordEnds = [64, 89, 105, 133]  // where each record ends in the fixture
        for length in 12..<full.count {
            let m = try DNSMessage(decoding: Array(full[0..<length]))
            let whole = recordEnds.filter { $0 <= length }.count
            #expect(m.answers.count + m.additionals.count == whole, "length \(length)")
            #expect(m.questions.count == (length >= 39 ? 1 : 0))
        }
    }

    @Test func headerShorterThanTwelveOctetsIsRefusedEvenWithTC() {
        #expect(throws: DNSError.unexpectedEnd(offset: 10)) { try DNSMessage(decoding: [0, 1, 0x83, 0, 0, 0, 0, 0, 0, 0, 0]) }
    }

    @Test func countsBeyondTheLimitsAreRefusedBeforeReading() {
        #expect(throws: DNSError.tooManyQuestions(count: 17)) {
            try DNSMessage(decoding: [0, 1, 0x81, 0x80, 0, 17, 0, 0, 0, 0, 0, 0])
        }
        #expect(throws: DNSError.tooManyRecords(count: 0xFFFF * 3)) {
            try DNSMessage(decoding: [0, 1, 0x81, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        }
        #expect(throws: DNSError.tooManyRecords(count: 513)) {
            try DNSMessage(decoding: [0, 1, 0x81, 0x80, 0, 0, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01])
        }
    }

    @Test func countsBeyondTheBytesAreAnEarlyEnd() {
        // Claims 500 answers, holds none.
        #expect(throws: DNSError.unexpectedEnd(offset: 12)) {
            try DNSMessage(decoding: [0, 1, 0x81, 0x80, 0, 0, 0x01, 0xF4, 0, 0, 0, 0])
        }
    }

    @Test func messageLargerThanTCPCanCarryIsRefused() {
        let big = [UInt8](repeating: 0, count: 65_536)
        #expect(throws: DNSError.messageTooLarge(size: 65_536)) { try DNSMessage(decoding: big) }
    }

    @Test func addressRecordsOfTheWrongLengthAreRefused() {
        for (type, length) in [(UInt8(1), UInt8(3)), (1, 5), (28, 4), (28, 17)] {
            var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0]
            bytes += [0, 0, type, 0, 1, 0, 0, 0, 60, 0, length] + [UInt8](repeating: 7, count: Int(length))
            #expect(throws: DNSError.badRecordLength(type: DNSRecordType(rawValue: UInt16(type)), offset: 23)) {
                try DNSMessage(decoding: bytes)
            }
        }
    }

    @Test func srvWhoseTargetOverrunsItsRDataIsRefused() {
        // RDLENGTH 8 but the target "sip" needs 5 octets after the 6 fixed ones.
        var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0]
        bytes += [0, 0, 33, 0, 1, 0, 0, 0, 60, 0, 8, 0, 1, 0, 1, 0x13, 0xC4, 3, 0x73, 0x69, 0x70, 0]
        #expect(throws: DNSError.badRecordLength(type: .srv, offset: 23)) { try DNSMessage(decoding: bytes) }
        // RDLENGTH 12 with an 11-octet SRV leaves a stray octet: also refused.
        var slack: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0]
        slack += [0, 0, 33, 0, 1, 0, 0, 0, 60, 0, 12, 0, 1, 0, 1, 0x13, 0xC4, 3, 0x73, 0x69, 0x70, 0, 0]
        #expect(throws: DNSError.badRecordLength(type: .srv, offset: 23)) { try DNSMessage(decoding: slack) }
    }

    @Test func rdataLongerThanTheMessageIsAnEarlyEnd() {
        var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0]
        bytes += [0, 0, 1, 0, 1, 0, 0, 0, 60, 0xFF, 0xFF, 1, 2, 3, 4]
        #expect(throws: DNSError.unexpectedEnd(offset: 23)) { try DNSMessage(decoding: bytes) }
    }

    @Test func naptrWithAShortCharacterStringIsRefused() {
        var bytes: [UInt8] = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0]
        bytes += [0, 0, 35, 0, 1, 0, 0, 0, 60, 0, 7, 0, 10, 0, 10, 1, 0x73, 9]  // services claims 9 octets
        #expect(throws: DNSError.badRecordLength(type: .naptr, offset: 23)) { try DNSMessage(decoding: bytes) }
    }

    @Test func encoderRefusesWhatCannotBeWritten() throws {
        let long = String(repeating: "x", count: 256)
        let naptr = DNSResourceRecord(name: .root, ttl: 0, data: .naptr(DNSNAPTRRecord(
            order: 1, preference: 1, flags: "s", services: long, regexp: "", replacement: .root)))
        #expect(throws: DNSError.characterStringTooLong(length: 256)) {
            try DNSMessage(header: DNSHeader(id: 1), answers: [naptr]).encoded()
        }
        let fat = DNSResourceRecord(name: .root, type: DNSRecordType(rawValue: 99), ttl: 0, data: .unknown([UInt8](repeating: 0, count: 40_000)))
        #expect(throws: DNSError.messageTooLarge(size: 80_034)) {
            try DNSMessage(header: DNSHeader(id: 1), answers: [fat, fat]).encoded()
        }
        let huge = DNSResourceRecord(name: .root, type: DNSRecordType(rawValue: 99), ttl: 0, data: .unknown([UInt8](repeating: 0, count: 70_000)))
        #expect(throws: DNSError.messageTooLarge(size: 70_023)) {
            try DNSMessage(header: DNSHeader(id: 1), answers: [huge]).encoded()
        }
    }
}
