// DNSQuery: a one-question recursive query, and the check that a response answers it (RFC 1035 §4.1.1, §7.3; RFC 5452 §9.1).

/// A standard query for one question, as a stub resolver sends it to a recursive server.
public struct DNSQuery: Hashable, Sendable {
    /// Choose it at random per query (RFC 5452 §4.3); the response must carry it back.
    public var id: UInt16
    public var question: DNSQuestion
    /// RD: ask the server to recurse.
    public var recursionDesired: Bool
    /// When set, an EDNS(0) OPT record (RFC 6891 §6.1.2) advertises this UDP payload size so
    /// SRV answers with their addresses fit without truncation; 1232 is a common choice.
    public var udpPayloadSize: UInt16?

    public init(id: UInt16, question: DNSQuestion, recursionDesired: Bool = true, udpPayloadSize: UInt16? = nil) {
        self.id = id
        self.question = question
        self.recursionDesired = recursionDesired
        self.udpPayloadSize = udpPayloadSize
    }

    public init(id: UInt16, name: DNSName, type: DNSRecordType, recursionDesired: Bool = true, udpPayloadSize: UInt16? = nil) {
        self.init(id: id, question: DNSQuestion(name: name, type: type), recursionDesired: recursionDesired,
                  udpPayloadSize: udpPayloadSize)
    }

    /// The query as a message value.
    public var message: DNSMessage {
        var additionals: [DNSResourceRecord] = []
        if let udpPayloadSize {
            additionals.append(DNSResourceRecord(name: .root, type: .opt, class: DNSRecordClass(rawValue: udpPayloadSize),
                                                 ttl: 0, data: .unknown([])))
        }
        return DNSMessage(header: DNSHeader(id: id, recursionDesired: recursionDesired), questions: [question],
                          additionals: additionals)
    }

    /// The query in wire format (for TCP, frame it with `DNSTCPFraming.frame`).
    public func encoded() -> [UInt8] {
        var w = DNSMessageWriter()
        w.writeUInt16(id)
        w.writeUInt16(recursionDesired ? 0x0100 : 0)
        w.writeUInt16(1)
        w.writeUInt16(0)
        w.writeUInt16(0)
        w.writeUInt16(udpPayloadSize == nil ? 0 : 1)
        w.writeQuestion(question)
        if let udpPayloadSize {
            w.writeUInt8(0)
            w.writeUInt16(DNSRecordType.opt.rawValue)
            w.writeUInt16(udpPayloadSize)
            w.writeUInt32(0)
            w.writeUInt16(0)
        }
        return w.bytes
    }

    /// Throws unless `response` answers this query: QR set, same ID and opcode, and exactly this
    /// question (name compared without regard to case). A response that fails is to be dropped as
    /// a possible spoof, not treated as an answer.
    public func validate(_ response: DNSMessage) throws(DNSError) {
        guard response.header.isResponse else { throw .notAResponse }
        guard response.header.id == id else { throw .idMismatch(expected: id, received: response.header.id) }
        guard response.header.opcode == 0 else { throw .opcodeMismatch(expected: 0, received: response.header.opcode) }
        guard response.questions.count == 1, response.questions[0] == question else { throw .questionMismatch }
    }

    /// True when `validate(response)` would not throw.
    public func matches(_ response: DNSMessage) -> Bool {
        do {
            try validate(response)
            return true
        } catch {
            return false
        }
    }
}
