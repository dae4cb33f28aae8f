// TransactionLayerTests: client and server transactions over real loopback sockets, timers on the event loop.
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPCore
import SIPTransaction
import Testing
@testable import SIPStack

@Suite(.serialized) struct TransactionLayerTests {
    /// T1 = 10 ms so Timer F (64*T1) fires in 640 ms.
    static let fast = SIPTimerConfig(t1: .milliseconds(10), t2: .milliseconds(40), t4: .milliseconds(50))

    @Test func optionsIsAnsweredAndRetransmissionsAreAbsorbed() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let (client, server) = try await loop.submit {
            (SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: loop), config: Self.fast),
             SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: loop), config: Self.fast))
        }.get()
        _ = try await loop.flatSubmit { client.transport.listen(.init(side: .wan, transport: .udp, host: "127.0.0.1", port: 0)) }.get()
        let port = try await loop.flatSubmit { server.transport.listen(.init(side: .lan, transport: .udp, host: "127.0.0.1", port: 0)) }.get().port ?? 0
        let requestsSeen = NIOLockedValueBox(0)
        let responses = NIOLockedValueBox<[Int]>([])
        try await loop.submit {
            server.onRequest = { inbound, key in
                requestsSeen.withLockedValue { $0 += 1 }
                // Answer late, after a few retransmissions (T1 = 10 ms): the transaction absorbs them.
                loop.scheduleTask(in: .milliseconds(60)) { server.respond(inbound.message.response(200, toTag: "s1"), to: key) }
            }
            client.request(try! options(via: "UDP", port: 1), to: SIPDestination(ip: "127.0.0.1", port: port, transport: .udp, side: .wan),
                           onResponse: { r in responses.withLockedValue { $0.append(r.statusCode ?? 0) } },
                           onFailure: { _ in responses.withLockedValue { $0.append(-1) } })
        }.get()
        try await Task.sleep(for: .milliseconds(400))
        #expect(requestsSeen.withLockedValue { $0 } == 1, "retransmissions reach the server transaction, not the TU")
        #expect(responses.withLockedValue { $0 } == [200])
        try await group.shutdownGracefully()
    }

    @Test func noAnswerTimesOutWithTimerF() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let client = try await loop.submit { SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: loop), config: Self.fast) }.get()
        _ = try await loop.flatSubmit { client.transport.listen(.init(side: .wan, transport: .udp, host: "127.0.0.1", port: 0)) }.get()
        // A silent peer: a bound UDP socket that never answers, counting what it gets.
        let count = NIOLockedValueBox(0)
        let silent = try await DatagramBootstrap(group: group).channelInitializer { ch in
            ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(Counter(count)) }
        }.bind(host: "127.0.0.1", port: 0).get()
        let failure = NIOLockedValueBox<SIPTransactionFailure?>(nil)
        let started = Date()
        try await loop.submit {
            _ = client.request(try! options(via: "UDP", port: 1), to: SIPDestination(ip: "127.0.0.1", port: silent.localAddress!.port!, transport: .udp, side: .wan),
                           onResponse: { _ in }, onFailure: { f in failure.withLockedValue { $0 = f } })
        }.get()
        while failure.withLockedValue({ $0 }) == nil && Date().timeIntervalSince(started) < 5 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(failure.withLockedValue { $0 } == .timeout)
        // 64*T1 = 640 ms with Timer E at 10, 20, 40, 40, ... ms: about 17 transmissions on a calm machine,
        // never more than 20. A loop starved by a loaded machine fires every timer that came due in one
        // tick (the exact schedule is checked on a manual clock in SIPTransactionTests), so here: the
        // request was retransmitted at least once before Timer F, and not more often than the schedule allows.
        #expect((2...20).contains(count.withLockedValue { $0 }))
        try await silent.close()
        try await group.shutdownGracefully()
    }
}

final class Counter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let count: NIOLockedValueBox<Int>
    init(_ count: NIOLockedValueBox<Int>) { self.count = count }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) { count.withLockedValue { $0 += 1 } }
}
