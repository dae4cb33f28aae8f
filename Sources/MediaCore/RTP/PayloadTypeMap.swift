// PayloadTypeMap: a fixed 128-entry table mapping an incoming RTP payload type to an outgoing one (RFC 3550 §5.1 PT).
// Realtime: reading and writing entries allocates nothing (the table is 128 inline octets).

/// Maps each of the 128 payload types to an outgoing payload type, or to nil (drop the packet).
/// A new map drops everything; `identity` passes every payload type unchanged.
public struct PayloadTypeMap: Sendable, Equatable {
    /// 0xFF marks "drop"; any other value is the outgoing payload type.
    @usableFromInline
    internal var storage: (SIMD64<UInt8>, SIMD64<UInt8>)

    @usableFromInline
    internal static var dropMark: UInt8 { 0xFF }

    /// A map that drops every payload type.
    @inlinable
    public init() {
        storage = (SIMD64(repeating: PayloadTypeMap.dropMark), SIMD64(repeating: PayloadTypeMap.dropMark))
    }

    /// A map that passes every payload type 0...127 unchanged.
    /// Built once: every media leg's configuration starts from it.
    public static let identity: PayloadTypeMap = {
        var m = PayloadTypeMap()
        for pt in UInt8(0)..<128 { m[pt] = pt }
        return m
    }()

    /// The outgoing payload type for `pt`, nil to drop. Payload types above 127 always read nil and cannot
    /// be set; assigning an outgoing value above 127 stores nil.
    @inlinable
    public subscript(_ pt: UInt8) -> UInt8? {
        get {
            guard pt < 128 else { return nil }
            let v = pt < 64 ? storage.0[Int(pt)] : storage.1[Int(pt) - 64]
            return v == PayloadTypeMap.dropMark ? nil : v
        }
        set {
            guard pt < 128 else { return }
            let v: UInt8
            if let newValue, newValue < 128 { v = newValue } else { v = PayloadTypeMap.dropMark }
            if pt < 64 { storage.0[Int(pt)] = v } else { storage.1[Int(pt) - 64] = v }
        }
    }

    public static func == (a: PayloadTypeMap, b: PayloadTypeMap) -> Bool {
        a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1
    }
}
