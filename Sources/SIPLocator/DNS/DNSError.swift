// DNSError: why the DNS codec refused a name, a message or a response (RFC 1035 §4, RFC 5452 §9.1).

/// A refusal from the DNS codec. Offsets are byte positions from the start of the message.
public enum DNSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message ends inside a field that starts before `offset` or at it.
    case unexpectedEnd(offset: Int)
    /// The message is larger than `DNSLimits.maxMessageSize`.
    case messageTooLarge(size: Int)
    /// A name in text form has an empty label (`a..b`, `.a`, or an empty string).
    case emptyLabel
    /// A label is longer than `DNSLimits.maxLabelLength`.
    case labelTooLong(length: Int)
    /// A name is longer than `DNSLimits.maxNameLength` octets in wire form.
    case nameTooLong(length: Int)
    /// A backslash escape in a text name is incomplete or out of range.
    case invalidEscape
    /// A compression pointer at `offset` points past the end of the message.
    case pointerOutOfBounds(offset: Int)
    /// Following compression pointers did not end within `DNSLimits.maxPointerHops` (a loop).
    case pointerLoop(offset: Int)
    /// A label at `offset` uses the reserved 0x40 or 0x80 label types (RFC 6891 §5).
    case unsupportedLabelType(offset: Int)
    /// The header announces more questions than `DNSLimits.maxQuestions`.
    case tooManyQuestions(count: Int)
    /// The header announces (or a message holds) more records than `DNSLimits.maxRecords`.
    case tooManyRecords(count: Int)
    /// A record's RDATA at `offset` does not have the length its type requires.
    case badRecordLength(type: DNSRecordType, offset: Int)
    /// A character-string to encode is longer than 255 octets.
    case characterStringTooLong(length: Int)
    /// A response's ID is not the query's.
    case idMismatch(expected: UInt16, received: UInt16)
    /// A message that should be a response has the QR bit clear.
    case notAResponse
    /// A response's opcode is not the query's.
    case opcodeMismatch(expected: UInt8, received: UInt8)
    /// A response's question section does not repeat the query's single question.
    case questionMismatch

    public var description: String {
        switch self {
        case .unexpectedEnd(let offset): "message ends early (offset \(offset))"
        case .messageTooLarge(let size): "message of \(size) bytes exceeds \(DNSLimits.maxMessageSize)"
        case .emptyLabel: "empty label in domain name"
        case .labelTooLong(let length): "label of \(length) octets exceeds \(DNSLimits.maxLabelLength)"
        case .nameTooLong(let length): "name of \(length) octets exceeds \(DNSLimits.maxNameLength)"
        case .invalidEscape: "invalid backslash escape in domain name"
        case .pointerOutOfBounds(let offset): "compression pointer at offset \(offset) points past the message"
        case .pointerLoop(let offset): "compression pointers loop (offset \(offset))"
        case .unsupportedLabelType(let offset): "unsupported label type at offset \(offset)"
        case .tooManyQuestions(let count): "\(count) questions exceed \(DNSLimits.maxQuestions)"
        case .tooManyRecords(let count): "\(count) records exceed \(DNSLimits.maxRecords)"
        case .badRecordLength(let type, let offset): "\(type) record data at offset \(offset) has a bad length"
        case .characterStringTooLong(let length): "character-string of \(length) octets exceeds 255"
        case .idMismatch(let expected, let received): "response ID \(received) does not match query ID \(expected)"
        case .notAResponse: "message is not a response"
        case .opcodeMismatch(let expected, let received): "response opcode \(received) does not match query opcode \(expected)"
        case .questionMismatch: "response question does not match the query"
        }
    }
}
