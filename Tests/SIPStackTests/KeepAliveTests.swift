// KeepAliveTests: RFC 5626 §4.4.1 CRLF keep-alives: a peer that pongs keeps the flow, a silent one loses it.
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPCore
import Testing
@testable import SIPStack

/// Swallows every byte and never answers.
final class BlackHole: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

@Suite(.serialized) struct KeepAliveTests {
    @Test func pongKeepsTheFlowAndSilenceClosesIt() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let (client, server) = try await loop.submit { (SIPTransportLayer(eventLoop: loop), SIPTransportLayer(eventLoop: loop)) }.get()
        let lost = NIOLockedValueBox<[Int]>([])
        try await loop.submit { client.onConnectionLost = { _, port, _, _, _ in lost.withLockedValue { $0.append(port) } } }.get()
        let goodPort = try await loop.flatSubmit { server.listen(.init(side: .lan, transport: .tcp, host: "127.0.0.1", port: 0)) }.get().port ?? 0
        let silent = try await ServerBootstrap(group: group).childChannelInitializer { ch in
            ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(BlackHole()) }
        }.bind(host: "127.0.0.1", port: 0).get()
        let silentPort = silent.localAddress?.port ?? 0
        _ = try await loop.flatSubmit { client.connection(to: "127.0.0.1", port: goodPort, transport: .tcp, side: .wan, serverName: nil) }.get()
        _ = try await loop.flatSubmit { client.connection(to: "127.0.0.1", port: silentPort, transport: .tcp, side: .wan, serverName: nil) }.get()
        try await loop.submit { client.startKeepAlive(side: .wan, interval: .milliseconds(100), pongTimeout: .milliseconds(100)) }.get()
        try await Task.sleep(for: .milliseconds(600))
        #expect(lost.withLockedValue { $0 } == [silentPort], "only the silent peer's flow is declared lost")
        #expect(try await loop.submit { client.connectionCount }.get() == 1)
        _ = try await loop.flatSubmit { client.close().and(server.close()) }.get()
        try await silent.close()
        try await group.shutdownGracefully()
    }
}
