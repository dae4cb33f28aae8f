// RTCPPacketType: the RTCP packet type numbers the box reads and writes (RFC 3550 §12.1).
// Realtime: compile-time constants.

/// RTCP packet types the box reads (RFC 3550 §12.1).
public enum RTCPPacketType {
    @inlinable public static var senderReport: UInt8 { 200 }
    @inlinable public static var receiverReport: UInt8 { 201 }
    @inlinable public static var sourceDescription: UInt8 { 202 }
    @inlinable public static var goodbye: UInt8 { 203 }
    @inlinable public static var application: UInt8 { 204 }
}
