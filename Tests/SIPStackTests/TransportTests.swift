// TransportTests: the transport layer on loopback: UDP, TCP, TLS, rport/received, connection reuse, bad streams.
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPCore
import Testing
@testable import SIPStack

/// Two transport layers on one event loop, collecting what each receives.
final class LoopbackPair: @unchecked Sendable {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var loop: any EventLoop { group.next() }
    let a: SIPTransportLayer
    let b: SIPTransportLayer
    var receivedByA: [SIPInbound] = []
    var receivedByB: [SIPInbound] = []
    var malformedAtB: [SIPParseError] = []

    init(settings: SIPTransportLayer.Settings = .init()) {
        let loop = group.next()
        a = SIPTransportLayer(eventLoop: loop, settings: settings)
        b = SIPTransportLayer(eventLoop: loop, settings: settings)
        loop.execute { [self] in
            a.onMessage = { [self] in receivedByA.append($0) }
            b.onMessage = { [self] in receivedByB.append($0) }
            b.onMalformed = { [self] e, _, _, _ in malformedAtB.append(e) }
        }
    }

    func onLoop<T: Sendable>(_ body: @escaping @Sendable () -> EventLoopFuture<T>) async throws -> T {
        try await loop.flatSubmit(body).get()
    }

    /// Waits (polling the loop) until `condition` holds, up to `seconds`.
    func wait(seconds: Double = 5, until condition: @escaping @Sendable () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await loop.submit(condition).get() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func shutdown() async throws {
        _ = try? await onLoop { [self] in a.close().and(b.close()) }
        try await group.shutdownGracefully()
    }
}

func options(via transport: String, port: Int, branch: String = "z9hG4bKtest1", padding: Int = 0) throws -> SIPMessage {
    var h = SIPHeaders()
    h.add(.via, "SIP/2.0/\(transport) 127.0.0.1:\(port);branch=\(branch);rport")
    h.add(.maxForwards, "70")
    h.add(.from, "<sip:box@127.0.0.1>;tag=f1")
    h.add(.to, "<sip:trunk@127.0.0.1>")
    h.add(.callID, "transport-test-\(branch)")
    h.add(.cseq, "1 OPTIONS")
    if padding > 0 { h.add("X-Padding", String(repeating: "p", count: padding)) }
    return SIPMessage.request(.options, try URI.parse("sip:trunk@127.0.0.1"), headers: h)
}

@Suite(.serialized) struct TransportTests {
    @Test func udpRequestAndResponseWithRport() async throws {
        let pair = LoopbackPair()
        let aPort = try await pair.onLoop { pair.a.listen(.init(side: .wan, transport: .udp, host: "127.0.0.1", port: 0)) }.port ?? 0
        let bPort = try await pair.onLoop { pair.b.listen(.init(side: .lan, transport: .udp, host: "127.0.0.1", port: 0)) }.port ?? 0
        // A claims a wrong sent-by port; rport makes B answer where the packet really came from.
        let request = try options(via: "UDP", port: 9)
        try await pair.onLoop { pair.a.sendRequest(request, to: "127.0.0.1", port: bPort, transport: .udp, side: .wan) }
        #expect(try await pair.wait { pair.receivedByB.count == 1 })
        let inbound = try await pair.loop.submit { pair.receivedByB[0] }.get()
        let via = try #require(try inbound.message.headers.topVia)
        #expect(via.received == "127.0.0.1" && via.rportValue == aPort)
        #expect(inbound.side == .lan && inbound.transport == .udp)
        let response = inbound.message.response(200, toTag: "t1")
        try await pair.onLoop { pair.b.sendResponse(response, for: inbound) }
        #expect(try await pair.wait { pair.receivedByA.count == 1 })
        #expect(try await pair.loop.submit { pair.receivedByA[0].message.statusCode }.get() == 200)
        try await pair.shutdown()
    }

    @Test func tcpReusesOneConnectionBothWays() async throws {
        let pair = LoopbackPair()
        _ = try await pair.onLoop { pair.a.listen(.init(side: .wan, transport: .tcp, host: "127.0.0.1", port: 0)) }
        let bPort = try await pair.onLoop { pair.b.listen(.init(side: .lan, transport: .tcp, host: "127.0.0.1", port: 0)) }.port ?? 0
        for i in 0..<3 {
            let r = try options(via: "TCP", port: 1, branch: "z9hG4bKtcp\(i)")
            try await pair.onLoop { pair.a.sendRequest(r, to: "127.0.0.1", port: bPort, transport: .tcp, side: .wan) }
        }
        #expect(try await pair.wait { pair.receivedByB.count == 3 })
        let inbound = try await pair.loop.submit { pair.receivedByB[2] }.get()
        #expect(inbound.connection != nil)
        try await pair.onLoop { pair.b.sendResponse(inbound.message.response(200, toTag: "x"), for: inbound) }
        #expect(try await pair.wait { pair.receivedByA.count == 1 })
        #expect(try await pair.loop.submit { (pair.a.connectionCount, pair.b.connectionCount) }.get() == (1, 1))
        try await pair.shutdown()
    }

    @Test func largeUDPRequestGoesOverTCP() async throws {
        let pair = LoopbackPair()
        _ = try await pair.onLoop { pair.a.listen(.init(side: .wan, transport: .udp, host: "127.0.0.1", port: 0)) }
        _ = try await pair.onLoop { pair.a.listen(.init(side: .wan, transport: .tcp, host: "127.0.0.1", port: 0)) }
        let bPort = try await pair.onLoop { pair.b.listen(.init(side: .lan, transport: .tcp, host: "127.0.0.1", port: 0)) }.port ?? 0
        let big = try options(via: "UDP", port: 5060, padding: 2000)
        try await pair.onLoop { pair.a.sendRequest(big, to: "127.0.0.1", port: bPort, transport: .udp, side: .wan) }
        #expect(try await pair.wait { pair.receivedByB.count == 1 })
        let inbound = try await pair.loop.submit { pair.receivedByB[0] }.get()
        #expect(inbound.transport == .tcp)
        #expect(try inbound.message.headers.topVia?.transport == "TCP")
        try await pair.shutdown()
    }

    /// A peer may send any size that fits a datagram (the box only avoids sending large ones): 2,048
    /// bytes was NIO's default read buffer, which cut such datagrams short.
    @Test func largeUDPDatagramsArriveWhole() async throws {
        let pair = LoopbackPair()
        let bPort = try await pair.onLoop { pair.b.listen(.init(side: .lan, transport: .udp, host: "127.0.0.1", port: 0)) }.port ?? 0
        _ = try await pair.onLoop { pair.a.listen(.init(side: .wan, transport: .udp, host: "127.0.0.1", port: 0)) }
        let sizes = [3000, 9000, 15000]   // a header value may hold 16 KiB (SIPLimits)
        for (i, padding) in sizes.enumerated() {
            let big = try options(via: "UDP", port: 5060, branch: "z9hG4bKbig\(i)", padding: padding)
            try await pair.onLoop { pair.a.sendRequest(big, to: "127.0.0.1", port: bPort, transport: .udp, side: .wan, allowTCP: false) }
        }
        #expect(try await pair.wait { pair.receivedByB.count == sizes.count })
        let received = try await pair.loop.submit { pair.receivedByB.map { ($0.transport, $0.message.headers["X-Padding"]?.count ?? 0) } }.get()
        #expect(received.map(\.0) == [.udp, .udp, .udp])
        #expect(received.map(\.1) == sizes)
        #expect(try await pair.loop.submit { pair.malformedAtB.isEmpty }.get())
        try await pair.shutdown()
    }

    /// Answers written while a batch of datagrams is handed up go out when the batch ends.
    @Test func answersToABurstOfDatagramsAllLeave() async throws {
        let pair = LoopbackPair()
        let aPort = try await pair.onLoop { pair.a.listen(.init(side: .wan, transport: .udp, host: "127.0.0.1", port: 0)) }.port ?? 0
        let bPort = try await pair.onLoop { pair.b.listen(.init(side: .lan, transport: .udp, host: "127.0.0.1", port: 0)) }.port ?? 0
        try await pair.onLoop { [pair] in
            pair.b.onMessage = { inbound in
                pair.receivedByB.append(inbound)
                _ = pair.b.sendResponse(inbound.message.response(200, toTag: "t"), for: inbound)
            }
            return pair.loop.makeSucceededFuture(())
        }
        let burst = 200
        try await pair.onLoop {
            var last: EventLoopFuture<Void> = pair.loop.makeSucceededFuture(())
            for i in 0..<burst {
                let request = try! options(via: "UDP", port: aPort, branch: "z9hG4bKburst\(i)")
                last = pair.a.sendRequest(request, to: "127.0.0.1", port: bPort, transport: .udp, side: .wan)
            }
            return last
        }
        #expect(try await pair.wait { pair.receivedByA.count == burst })
        let codes = try await pair.loop.submit { Set(pair.receivedByA.map { $0.message.statusCode ?? 0 }) }.get()
        #expect(codes == [200])
        try await pair.shutdown()
    }

    @Test func garbageOnOneConnectionClosesOnlyThatOne() async throws {
        let pair = LoopbackPair()
        let bPort = try await pair.onLoop { pair.b.listen(.init(side: .lan, transport: .tcp, host: "127.0.0.1", port: 0)) }.port ?? 0
        _ = try await pair.onLoop { pair.a.listen(.init(side: .wan, transport: .tcp, host: "127.0.0.1", port: 0)) }
        // A healthy connection first.
        try await pair.onLoop { pair.a.sendRequest(try! options(via: "TCP", port: 1), to: "127.0.0.1", port: bPort, transport: .tcp, side: .wan) }
        #expect(try await pair.wait { pair.receivedByB.count == 1 })
        // A raw client sends garbage without Content-Length: B refuses it and closes that connection.
        let bad = try await ClientBootstrap(group: pair.group).connect(host: "127.0.0.1", port: bPort).get()
        var buffer = bad.allocator.buffer(capacity: 64)
        buffer.writeString("GARBAGE sip:x SIP/2.0\r\nVia: nonsense\r\n\r\n")
        try await bad.writeAndFlush(buffer)
        try await bad.closeFuture.get()
        #expect(try await pair.wait { pair.malformedAtB.count == 1 })
        // The healthy connection still carries traffic.
        try await pair.onLoop { pair.a.sendRequest(try! options(via: "TCP", port: 1, branch: "z9hG4bKafter"), to: "127.0.0.1", port: bPort, transport: .tcp, side: .wan) }
        #expect(try await pair.wait { pair.receivedByB.count == 2 })
        try await pair.shutdown()
    }

    @Test func tlsVerifiesTheServerCertificateAndName() async throws {
        let pki = try TestPKI.make()
        var serverSettings = SIPTransportLayer.Settings()
        serverSettings.tls = SIPTLSSettings(caFile: pki.caFile, certificateFile: pki.certFile, privateKeyFile: pki.keyFile)
        var clientSettings = SIPTransportLayer.Settings()
        clientSettings.tls = SIPTLSSettings(caFile: pki.caFile)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let server = SIPTransportLayer(eventLoop: loop, settings: serverSettings)
        let client = SIPTransportLayer(eventLoop: loop, settings: clientSettings)
        let received = NIOLockedValueBox<[SIPInbound]>([])
        try await loop.submit { server.onMessage = { m in received.withLockedValue { $0.append(m) } } }.get()
        let port = try await loop.flatSubmit { server.listen(.init(side: .lan, transport: .tls, host: "127.0.0.1", port: 0)) }.get().port ?? 0
        let request = try options(via: "TLS", port: 5061)
        try await loop.flatSubmit { client.sendRequest(request, to: "127.0.0.1", port: port, transport: .tls, side: .wan, serverName: "localhost") }.get()
        var ok = false
        for _ in 0..<300 where !ok { ok = received.withLockedValue { $0.count == 1 }; try await Task.sleep(for: .milliseconds(10)) }
        #expect(ok)
        // The wrong name, or a CA we do not trust, fails the handshake: nothing arrives.
        let wrongName = try options(via: "TLS", port: 5061, branch: "z9hG4bKwrongname")
        var wrongCA = SIPTransportLayer.Settings()
        wrongCA.tls = SIPTLSSettings(caFile: pki.otherCAFile)
        let stranger = SIPTransportLayer(eventLoop: loop, settings: wrongCA)
        let r1: Result<Void, any Error> = await Result { try await loop.flatSubmit { client.sendRequest(wrongName, to: "127.0.0.1", port: port, transport: .tls, side: .wan, serverName: "sip.example.net") }.get() }
        let r2: Result<Void, any Error> = await Result { try await loop.flatSubmit { stranger.sendRequest(request, to: "127.0.0.1", port: port, transport: .tls, side: .wan, serverName: "localhost") }.get() }
        try await Task.sleep(for: .milliseconds(300))
        #expect(received.withLockedValue { $0.count } == 1, "\(r1) \(r2) \(received.withLockedValue { $0.map { (try? $0.message.headers.topVia?.branch) ?? nil } })")
        _ = try? await loop.flatSubmit { server.close().and(client.close()).and(stranger.close()) }.get()
        try await group.shutdownGracefully()
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
