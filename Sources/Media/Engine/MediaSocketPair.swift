// MediaSocketPair: the UDP sockets of one leg, made and bound on the control side (RTP even, RTCP odd; RFC 3550 §11, RFC 5761).
import Glibc

/// A leg's RTP socket and, without rtcp-mux, its RTCP socket on the next port. Non-blocking,
/// close-on-exec; the RTP socket carries DSCP EF (TOS 0xB8). The engine takes ownership when a
/// session command using it is queued, and closes it when the session is destroyed.
public struct MediaSocketPair: Sendable, Hashable, BitwiseCopyable {
    /// The RTP socket (also RTCP under rtcp-mux).
    public let rtp: Int32
    /// The RTCP socket, -1 under rtcp-mux.
    public let rtcp: Int32
    /// Local address with the RTP port.
    public let local: MediaAddress

    /// True when RTP and RTCP share the RTP socket.
    public var rtcpMux: Bool { rtcp < 0 }

    /// DSCP EF in the IP TOS octet (RFC 3246, RFC 4594 telephony class).
    public static let dscpEF: Int32 = 0xB8

    /// Opens and binds the sockets. `local.port` is the RTP port (the caller's port allocator picks it;
    /// 0 asks the kernel for any port, with RTCP on the next one when that is free). RTCP binds to
    /// port + 1 unless `rtcpMux`.
    public static func open(local: MediaAddress, rtcpMux: Bool) throws(MediaEngineError) -> MediaSocketPair {
        if local.port != 0 || rtcpMux {
            let rtp = try bind(local, tos: dscpEF)
            var rtcp: Int32 = -1
            if !rtcpMux {
                do {
                    rtcp = try bind(local.with(port: rtp.port &+ 1), tos: 0).fd
                } catch {
                    Glibc.close(rtp.fd)
                    throw error
                }
            }
            return MediaSocketPair(rtp: rtp.fd, rtcp: rtcp, local: local.with(port: rtp.port))
        }
        // Any port: try a few kernel-chosen ports until the next one is free for RTCP.
        var lastError = MediaEngineError.system("bind", errno: EADDRINUSE)
        for _ in 0..<32 {
            let rtp = try bind(local, tos: dscpEF)
            guard rtp.port < 65_535 else { Glibc.close(rtp.fd); continue }
            do {
                let rtcp = try bind(local.with(port: rtp.port + 1), tos: 0)
                return MediaSocketPair(rtp: rtp.fd, rtcp: rtcp.fd, local: local.with(port: rtp.port))
            } catch {
                lastError = error
                Glibc.close(rtp.fd)
            }
        }
        throw lastError
    }

    /// Closes both sockets (for a pair never handed to the engine).
    public func close() {
        if rtp >= 0 { Glibc.close(rtp) }
        if rtcp >= 0 { Glibc.close(rtcp) }
    }

    private static func bind(_ address: MediaAddress, tos: Int32) throws(MediaEngineError) -> (fd: Int32, port: UInt16) {
        let domain = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(domain, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", errno: errno) }
        if tos != 0 {
            var v = tos
            if address.family == .ipv4 {
                _ = setsockopt(fd, Int32(IPPROTO_IP), IP_TOS, &v, socklen_t(MemoryLayout<Int32>.size))
            } else {
                _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_TCLASS, &v, socklen_t(MemoryLayout<Int32>.size))
            }
        }
        var slot = [UInt8](repeating: 0, count: 28)
        let rc = slot.withUnsafeMutableBytes { p -> Int32 in
            let len = address.write(sockaddr: p.baseAddress!)
            return Glibc.bind(fd, p.baseAddress!.assumingMemoryBound(to: sockaddr.self), len)
        }
        guard rc == 0 else {
            let e = errno
            Glibc.close(fd)
            throw .system("bind \(address)", errno: e)
        }
        var len = socklen_t(28)
        _ = slot.withUnsafeMutableBytes { p in
            getsockname(fd, p.baseAddress!.assumingMemoryBound(to: sockaddr.self), &len)
        }
        let bound = slot.withUnsafeBytes { MediaAddress(sockaddr: $0.baseAddress!, length: len) }
        return (fd, bound?.port ?? address.port)
    }
}
