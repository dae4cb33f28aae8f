// MediaTestSupport: loopback UDP peers, packet builders and event waiting for the engine tests.
import Glibc
import CShim
@testable import Media

/// A UDP socket on 127.0.0.1 standing for a phone, PBX or trunk.
final class UDPPeer {
    let fd: Int32
    let address: MediaAddress

    init(port: UInt16 = 0) {
        let pair = try! MediaSocketPair.open(local: MediaAddress("127.0.0.1", port: port)!, rtcpMux: true)
        fd = pair.rtp
        address = pair.local
        var size: Int32 = 4 << 20
        _ = setsockopt(fd, Int32(SOL_SOCKET), SO_RCVBUF, &size, 4)
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8], to destination: MediaAddress) {
        var slot = [UInt8](repeating: 0, count: 28)
        let sent = slot.withUnsafeMutableBytes { s -> Int in
            let len = destination.write(sockaddr: s.baseAddress!)
            return bytes.withUnsafeBytes { b in
                sendto(fd, b.baseAddress, b.count, 0, s.baseAddress!.assumingMemoryBound(to: sockaddr.self), len)
            }
        }
        precondition(sent == bytes.count, "sendto failed: \(errno)")
    }

    /// The next datagram, or nil after `timeoutMilliseconds`.
    func receive(timeoutMilliseconds: Int32 = 1000) -> (bytes: [UInt8], from: MediaAddress)? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, timeoutMilliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        var slot = [UInt8](repeating: 0, count: 28)
        var len = socklen_t(28)
        let n = buffer.withUnsafeMutableBytes { b in
            slot.withUnsafeMutableBytes { s in
                recvfrom(fd, b.baseAddress, b.count, 0, s.baseAddress!.assumingMemoryBound(to: sockaddr.self), &len)
            }
        }
        guard n >= 0 else { return nil }
        let from = slot.withUnsafeBytes { MediaAddress(sockaddr: $0.baseAddress!, length: len)! }
        return (Array(buffer[0..<n]), from)
    }
}

enum Packets {
    /// An RTP packet: V=2, `pt`, `seq`, timestamp seq·160, SSRC, payload of `payload`.
    static func rtp(pt: UInt8 = 0, seq: UInt16, ssrc: UInt32 = 0x1122_3344, marker: Bool = false, payload: [UInt8]) -> [UInt8] {
        let ts = UInt32(seq) &* 160
        return [0x80, (marker ? 0x80 : 0) | pt, UInt8(seq >> 8), UInt8(seq & 0xFF),
                UInt8(ts >> 24), UInt8(ts >> 16 & 0xFF), UInt8(ts >> 8 & 0xFF), UInt8(ts & 0xFF),
                UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)] + payload
    }

    /// A 160-octet payload that names its packet.
    static func payload(_ n: Int, tag: UInt8 = 0) -> [UInt8] {
        (0..<160).map { UInt8(truncatingIfNeeded: n &+ $0 &* 7) ^ tag }
    }

    /// An RTCP receiver report with one report block.
    static func rtcp(ssrc: UInt8 = 0x55) -> [UInt8] {
        [0x81, 201, 0x00, 0x07, 0, 0, 0, ssrc] + (0..<24).map { UInt8($0) }
    }

    static func protect(_ ctx: SRTPContext, _ packet: [UInt8], rtcp: Bool = false) -> [UInt8] {
        var buffer = packet + [UInt8](repeating: 0, count: SRTPContext.maximumTrailer)
        var length = packet.count
        let capacity = buffer.count
        let status = buffer.withUnsafeMutableBytes { p in
            rtcp ? ctx.protectRTCP(p.baseAddress!, length: &length, capacity: capacity)
                 : ctx.protectRTP(p.baseAddress!, length: &length, capacity: capacity)
        }
        precondition(status == .ok)
        return Array(buffer[0..<length])
    }

    static func unprotect(_ ctx: SRTPContext, _ packet: [UInt8], rtcp: Bool = false) -> [UInt8]? {
        var buffer = packet
        var length = packet.count
        let status = buffer.withUnsafeMutableBytes { p in
            rtcp ? ctx.unprotectRTCP(p.baseAddress!, length: &length) : ctx.unprotectRTP(p.baseAddress!, length: &length)
        }
        return status == .ok ? Array(buffer[0..<length]) : nil
    }
}

/// SRTP keys for one SRTP leg: the engine's contexts and the far end's matching ones.
struct SRTPLegKeys {
    let engineReceive: SRTPContext
    let engineSend: SRTPContext
    let peerSend: SRTPContext
    let peerReceive: SRTPContext

    init(suite: SRTPSuite) throws {
        let toEngine = try SRTPKeyMaterial.random(suite: suite)
        let fromEngine = try SRTPKeyMaterial.random(suite: suite)
        engineReceive = try SRTPContext(key: toEngine, direction: .inbound)
        peerSend = try SRTPContext(key: toEngine, direction: .outbound)
        engineSend = try SRTPContext(key: fromEngine, direction: .outbound)
        peerReceive = try SRTPContext(key: fromEngine, direction: .inbound)
    }
}

extension MediaEngine {
    /// Collects events until `until` returns true for one of them or `timeoutMilliseconds` pass.
    func collectEvents(timeoutMilliseconds: Int = 2000, until: (MediaEvent) -> Bool) -> [MediaEvent] {
        var seen: [MediaEvent] = []
        let deadline = tb_monotonic_ns() + UInt64(timeoutMilliseconds) * 1_000_000
        var done = false
        while !done && tb_monotonic_ns() < deadline {
            _ = waitForEvents(timeoutMilliseconds: 20)
            pollEvents { e in
                seen.append(e)
                if until(e) { done = true }
            }
        }
        return seen
    }
}

/// Open file descriptors of this process.
func openDescriptorCount() -> Int {
    guard let dir = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(dir) }
    var n = 0
    while readdir(dir) != nil { n += 1 }
    return n
}

func testConfiguration() -> MediaEngineConfiguration {
    var c = MediaEngineConfiguration()
    c.sessionCapacity = 16
    c.realtimePriority = 0
    c.lockMemory = false
    c.commandQueueCapacity = 64
    c.eventQueueCapacity = 1024
    // The box's own RTCP in terminated sessions (line, transcoding) stays out of tests that count the
    // datagrams a peer receives; the RTCP tests shorten it.
    c.rtcpMinimumIntervalMilliseconds = 600_000
    return c
}

let loopback = MediaAddress("127.0.0.1", port: 0)!
