// RTCPCName: a canonical name held in fixed inline storage for allocation-free SDES writing (RFC 3550 §6.5.1, RFC 7022).

/// A CNAME of 1...255 UTF-8 octets, stored inline (256 octets), so a report can be written on the
/// realtime thread without touching the heap.
public struct RTCPCName: Sendable, Equatable {
    @usableFromInline var storage: (SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>, SIMD64<UInt8>)
    /// Octets in use.
    public let count: Int

    /// nil when `text` is empty or longer than 255 UTF-8 octets.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty, utf8.count <= 255 else { return nil }
        storage = (.zero, .zero, .zero, .zero)
        count = utf8.count
        withUnsafeMutableBytes(of: &storage) { raw in
            for (i, b) in utf8.enumerated() { raw[i] = b }
        }
    }

    /// The name as text.
    public var text: String {
        withUnsafeBytes(of: storage) { String(decoding: $0[0..<count], as: UTF8.self) }
    }

    public static func == (a: RTCPCName, b: RTCPCName) -> Bool {
        a.count == b.count && a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1
            && a.storage.2 == b.storage.2 && a.storage.3 == b.storage.3
    }
}
