// MediaAddressTests: numeric address parsing, printing and sockaddr round trips for IPv4 and IPv6.
import Testing
import Glibc
@testable import Media

@Suite struct MediaAddressTests {
    @Test func parsesPrintsAndRoundTripsThroughSockaddr() throws {
        for (text, port, printed) in [("192.0.2.7", UInt16(40_000), "192.0.2.7:40000"), ("2001:db8::1", 5004, "[2001:db8::1]:5004")] {
            let a = try #require(MediaAddress(text, port: port))
            #expect(a.description == printed)
            var slot = [UInt8](repeating: 0xEE, count: 28)
            let len = slot.withUnsafeMutableBytes { a.write(sockaddr: $0.baseAddress!) }
            #expect(len == (a.family == .ipv4 ? 16 : 28))
            let back = slot.withUnsafeBytes { MediaAddress(sockaddr: $0.baseAddress!, length: len) }
            #expect(back == a)
            #expect(a.with(port: 1) != a)
        }
        #expect(MediaAddress("pbx.example.com", port: 5060) == nil, "no name resolution here")
        #expect(MediaAddress("300.1.1.1", port: 1) == nil)
        var short = [UInt8](repeating: 0, count: 28)
        short[0] = UInt8(AF_INET)
        #expect(short.withUnsafeBytes { MediaAddress(sockaddr: $0.baseAddress!, length: 8) } == nil)
    }
}

extension MediaEngineTests {
    @Test func relaysOverIPv6() throws {
        let engine = try MediaEngine(configuration: testConfiguration())
        try engine.start()
        let any6 = MediaAddress("::1", port: 0)!
        let peerA = try MediaSocketPair.open(local: any6, rtcpMux: true)
        let peerB = try MediaSocketPair.open(local: any6, rtcpMux: true)
        defer { peerA.close(); peerB.close() }
        let legA = try MediaSocketPair.open(local: any6, rtcpMux: true)
        let legB = try MediaSocketPair.open(local: any6, rtcpMux: true)
        _ = try engine.createSession(a: MediaLegConfiguration(sockets: legA, remote: peerA.local),
                                     b: MediaLegConfiguration(sockets: legB, remote: peerB.local))
        let p = Packets.rtp(seq: 1, payload: Packets.payload(1))
        var slot = [UInt8](repeating: 0, count: 28)
        let sent = slot.withUnsafeMutableBytes { s -> Int in
            let len = legA.local.write(sockaddr: s.baseAddress!)
            return p.withUnsafeBytes { sendto(peerA.rtp, $0.baseAddress, $0.count, 0, s.baseAddress!.assumingMemoryBound(to: sockaddr.self), len) }
        }
        #expect(sent == p.count)
        var pfd = pollfd(fd: peerB.rtp, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pfd, 1, 1000) == 1)
        var buffer = [UInt8](repeating: 0, count: 2048)
        let n = recv(peerB.rtp, &buffer, buffer.count, 0)
        #expect(n == p.count)
        #expect(Array(buffer[0..<max(n, 0)]) == p)
    }
}

extension MediaEngineTests {
    @Test func rtpSocketsCarryDSCPEFAndOversizeDatagramsAreDropped() throws {
        let pair = try MediaSocketPair.open(local: loopback, rtcpMux: false)
        defer { pair.close() }
        var tos: Int32 = 0
        var size = socklen_t(4)
        #expect(getsockopt(pair.rtp, Int32(IPPROTO_IP), IP_TOS, &tos, &size) == 0)
        #expect(tos == 0xB8, "DSCP EF on RTP")
        #expect(pair.rtcp >= 0)

        var rig = try Rig()
        try rig.create()
        rig.peerA.send(Packets.rtp(seq: 1, payload: [UInt8](repeating: 1, count: 1950)), to: rig.legA.local)
        rig.peerA.send(Packets.rtp(seq: 2, payload: Packets.payload(2)), to: rig.legA.local)
        #expect(rig.peerB.receive()?.bytes == Packets.rtp(seq: 2, payload: Packets.payload(2)), "only the packet that fits")
        try rig.engine.destroySession(rig.id)
        let events = rig.engine.collectEvents { if case .sessionDestroyed = $0 { return true }; return false }
        let stats = try #require(events.compactMap { e -> MediaSessionStats? in if case .sessionDestroyed(_, let s) = e { return s }; return nil }.first)
        #expect(stats.a.dropped == 1)
        #expect(stats.a.packetsReceived == 1)
    }
}
