// RTCPSourceDescription: a parsed SDES packet, chunks of items per source (RFC 3550 §6.5).

/// SDES: per source, a list of items (§6.5).
public struct RTCPSourceDescription: Sendable, Equatable {
    /// SDES item types (§6.5.1-§6.5.8).
    public enum ItemType {
        @inlinable public static var cname: UInt8 { 1 }
        @inlinable public static var name: UInt8 { 2 }
        @inlinable public static var tool: UInt8 { 6 }
    }

    public struct Item: Sendable, Equatable {
        public var type: UInt8
        public var value: [UInt8]
        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }
    }

    public struct Chunk: Sendable, Equatable {
        public var ssrc: UInt32
        public var items: [Item]
        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }
    }

    public var chunks: [Chunk]

    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    /// The CNAME of `ssrc` as text (invalid UTF-8 shows as U+FFFD), nil when absent.
    public func cname(of ssrc: UInt32) -> String? {
        guard let chunk = chunks.first(where: { $0.ssrc == ssrc }),
              let item = chunk.items.first(where: { $0.type == ItemType.cname }) else { return nil }
        return String(decoding: item.value, as: UTF8.self)
    }
}
