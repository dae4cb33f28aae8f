// DigestHashFunction: the streaming hash interface behind the RFC 7616 §3.4 H() function (MD5, SHA-256).

/// A streaming message digest: feed bytes with `update`, then read the digest with `finalize`.
public protocol DigestHashFunction: Sendable {
    /// Length of the digest in bytes.
    static var byteCount: Int { get }

    /// A hasher that has seen no input.
    init()

    /// Appends the bytes of `buffer` to the message.
    mutating func update(_ buffer: UnsafeRawBufferPointer)

    /// The digest of everything fed so far. The hasher is left as it was, so more input may follow.
    func finalize() -> [UInt8]
}

extension DigestHashFunction {
    /// Appends a sequence of bytes (an `Array`, `ArraySlice`, `String.UTF8View`, ...) to the message.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Appends the UTF-8 encoding of `string` to the message.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The digest of everything fed so far as lowercase hexadecimal.
    public func finalizeHex() -> String {
        DigestHex.encode(finalize())
    }

    /// The digest of `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = Self()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the UTF-8 encoding of `string`.
    public static func hash(_ string: String) -> [UInt8] {
        var hasher = Self()
        hasher.update(string)
        return hasher.finalize()
    }

    /// The digest of `bytes` as lowercase hexadecimal.
    public static func hexDigest<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        DigestHex.encode(hash(bytes))
    }

    /// The digest of the UTF-8 encoding of `string` as lowercase hexadecimal.
    public static func hexDigest(_ string: String) -> String {
        DigestHex.encode(hash(string))
    }
}
