// DNSTCPFraming: the two-octet length prefix of DNS over TCP (RFC 1035 §4.2.2, RFC 7766 §8).

/// Frames messages for a TCP stream and splits a received stream back into messages, whatever
/// chunks the bytes arrive in.
public struct DNSTCPFraming: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// `message` behind its two-octet big-endian length.
    public static func frame(_ message: [UInt8]) throws(DNSError) -> [UInt8] {
        guard message.count <= DNSLimits.maxMessageSize else { throw .messageTooLarge(size: message.count) }
        return [UInt8(truncatingIfNeeded: message.count >> 8), UInt8(truncatingIfNeeded: message.count)] + message
    }

    /// Adds bytes read from the stream.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, without its prefix, or nil until more bytes arrive.
    public mutating func nextMessage() -> [UInt8]? {
        guard buffer.count - start >= 2 else { return nil }
        let length = Int(buffer[start]) << 8 | Int(buffer[start + 1])
        guard buffer.count - start - 2 >= length else { return nil }
        let message = Array(buffer[(start + 2)..<(start + 2 + length)])
        start += 2 + length
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 4_096 {
            buffer.removeFirst(start)
            start = 0
        }
        return message
    }

    /// Bytes received but not yet returned as a message.
    public var bufferedByteCount: Int { buffer.count - start }
}
