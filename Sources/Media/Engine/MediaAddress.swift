// MediaAddress: an IPv4 or IPv6 address and UDP port as a fixed-size value the media thread can copy.
import Glibc

/// A UDP endpoint (numeric IPv4 or IPv6 address and port) with no heap storage, so it can travel in
/// queue commands and events and be compared on the media thread.
public struct MediaAddress: Sendable, Hashable, BitwiseCopyable, CustomStringConvertible {
    /// IP version.
    public enum Family: UInt8, Sendable, Hashable, BitwiseCopyable {
        case ipv4 = 4
        case ipv6 = 6
    }

    /// IP version.
    public var family: Family
    /// UDP port.
    public var port: UInt16
    // Address octets in network order; IPv4 uses the first four octets of `high`.
    var high: UInt64
    var low: UInt64

    /// Parses a numeric address (`192.0.2.1`, `2001:db8::1`); nil for anything else (no DNS here).
    public init?(_ host: String, port: UInt16) {
        var v6 = in6_addr()
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            self.family = .ipv4
            self.high = UInt64(v4.s_addr)
            self.low = 0
        } else if inet_pton(AF_INET6, host, &v6) == 1 {
            self.family = .ipv6
            (self.high, self.low) = withUnsafeBytes(of: &v6) { ($0.loadUnaligned(as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        } else {
            return nil
        }
        self.port = port
    }

    /// Reads a `sockaddr_in` or `sockaddr_in6`; nil for another family or a short length. Allocation-free.
    @inline(__always)
    init?(sockaddr p: UnsafeRawPointer, length: UInt32) {
        let fam = p.loadUnaligned(as: UInt16.self)
        let portBE = p.loadUnaligned(fromByteOffset: 2, as: UInt16.self)
        if fam == UInt16(AF_INET), length >= 16 {
            family = .ipv4
            high = UInt64(p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            low = 0
        } else if fam == UInt16(AF_INET6), length >= 28 {
            family = .ipv6
            high = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            low = p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        } else {
            return nil
        }
        port = UInt16(bigEndian: portBE)
    }

    /// Writes a `sockaddr_in`/`sockaddr_in6` into `p` (at least 28 octets) and returns its length.
    /// Allocation-free.
    @inline(__always)
    func write(sockaddr p: UnsafeMutableRawPointer) -> UInt32 {
        p.storeBytes(of: 0, toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: 0, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: 0, toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: 0, toByteOffset: 24, as: UInt32.self)
        p.storeBytes(of: port.bigEndian, toByteOffset: 2, as: UInt16.self)
        switch family {
        case .ipv4:
            p.storeBytes(of: UInt16(AF_INET), toByteOffset: 0, as: UInt16.self)
            p.storeBytes(of: UInt32(truncatingIfNeeded: high), toByteOffset: 4, as: UInt32.self)
            return 16
        case .ipv6:
            p.storeBytes(of: UInt16(AF_INET6), toByteOffset: 0, as: UInt16.self)
            p.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
            p.storeBytes(of: low, toByteOffset: 16, as: UInt64.self)
            return 28
        }
    }

    /// The same address with another port.
    public func with(port: UInt16) -> MediaAddress {
        var a = self
        a.port = port
        return a
    }

    /// The numeric address without the port.
    public var host: String {
        var buffer = [CChar](repeating: 0, count: 64)
        var h = high
        var l = low
        let ok: Bool = withUnsafeMutableBytes(of: &h) { hb in
            withUnsafeMutableBytes(of: &l) { lb in
                var raw = [UInt8](repeating: 0, count: 16)
                for i in 0..<8 { raw[i] = hb[i]; raw[8 + i] = lb[i] }
                return raw.withUnsafeBytes { r in
                    inet_ntop(family == .ipv4 ? AF_INET : AF_INET6, r.baseAddress, &buffer, 64) != nil
                }
            }
        }
        guard ok else { return "?" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `host:port`, or `[host]:port` for IPv6.
    public var description: String {
        family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)"
    }
}
