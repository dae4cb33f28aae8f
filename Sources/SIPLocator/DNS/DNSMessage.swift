// DNSMessage: a whole DNS message, decoded from and encoded to wire format (RFC 1035 §4.1).

/// A DNS message: header and four sections. Decoding never traps: every read is bounds-checked
/// against the named `DNSLimits`, and a refusal is a `DNSError`.
public struct DNSMessage: Hashable, Sendable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    public init(header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [],
                authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// Decodes a message. When the TC bit is set, a message that ends early keeps the questions and
    /// records that were complete (RFC 2181 §9) and `header.isTruncated` tells the caller to retry
    /// over TCP; without TC, an early end is `DNSError.unexpectedEnd`. Octets after the last
    /// record are ignored.
    public init(decoding input: some Collection<UInt8>) throws(DNSError) {
        let bytes = Array(input)
        guard bytes.count <= DNSLimits.maxMessageSize else { throw .messageTooLarge(size: bytes.count) }
        var reader = DNSMessageReader(bytes: bytes)
        let id = try reader.readUInt16()
        header = DNSHeader(id: id, flags: try reader.readUInt16())
        let questionCount = Int(try reader.readUInt16())
        let answerCount = Int(try reader.readUInt16())
        let authorityCount = Int(try reader.readUInt16())
        let additionalCount = Int(try reader.readUInt16())
        guard questionCount <= DNSLimits.maxQuestions else { throw .tooManyQuestions(count: questionCount) }
        let recordCount = answerCount + authorityCount + additionalCount
        guard recordCount <= DNSLimits.maxRecords else { throw .tooManyRecords(count: recordCount) }
        questions = []
        answers = []
        authorities = []
        additionals = []
        do throws(DNSError) {
            for _ in 0..<questionCount { questions.append(try reader.readQuestion()) }
            for _ in 0..<answerCount { answers.append(try reader.readRecord()) }
            for _ in 0..<authorityCount { authorities.append(try reader.readRecord()) }
            for _ in 0..<additionalCount { additionals.append(try reader.readRecord()) }
        } catch {
            guard header.isTruncated, case .unexpectedEnd = error else { throw error }
        }
    }

    /// Encodes the message, compressing owner names and CNAME targets (never SRV or NAPTR targets).
    /// Throws when a section holds more than 65,535 entries, a character-string is over 255 octets,
    /// or the result exceeds `DNSLimits.maxMessageSize`.
    public func encoded() throws(DNSError) -> [UInt8] {
        var w = DNSMessageWriter()
        w.writeUInt16(header.id)
        w.writeUInt16(header.flags)
        for count in [questions.count, answers.count, authorities.count, additionals.count] {
            guard count <= 0xFFFF else { throw .tooManyRecords(count: count) }
            w.writeUInt16(UInt16(count))
        }
        for q in questions { w.writeQuestion(q) }
        for section in [answers, authorities, additionals] {
            for r in section { try w.writeRecord(r) }
        }
        guard w.bytes.count <= DNSLimits.maxMessageSize else { throw .messageTooLarge(size: w.bytes.count) }
        return w.bytes
    }

    /// The answer-section records that answer `question`: those of its type and class owned by its
    /// name, following a CNAME chain inside the answer section (at most `DNSLimits.maxCNAMEChain`
    /// links). Empty when the chain leads outside the answer or loops.
    public func records(answering question: DNSQuestion) -> [DNSResourceRecord] {
        var name = question.name
        for _ in 0...DNSLimits.maxCNAMEChain {
            let matching = answers.filter { $0.name == name && $0.class == question.class && $0.type == question.type }
            if !matching.isEmpty || question.type == .cname { return matching }
            guard let alias = answers.first(where: { $0.name == name && $0.type == .cname && $0.class == question.class }),
                  case .cname(let target) = alias.data else { return [] }
            name = target
        }
        return []
    }

    /// Addresses of `family` the additional section gives for `name` (RFC 2782: "the additional
    /// data section ... may contain the A records").
    public func additionalAddresses(of name: DNSName, family: IPAddressFamily) -> [IPAddress] {
        additionals.compactMap { record in
            guard record.name == name, record.class == .internet, record.type == family.recordType else { return nil }
            return record.data.address
        }
    }
}
