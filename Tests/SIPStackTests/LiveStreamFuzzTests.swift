// LiveStreamFuzzTests: hostile bytes on live TCP connections (garbage, truncated, oversize, lying
// Content-Length): each bad connection is closed or left waiting, and the box keeps serving the others.
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPCore
import SIPTransaction
import Testing
@testable import SIPStack

@Suite(.serialized) struct LiveStreamFuzzTests {
    /// SplitMix64: the same hostile inputs every run.
    struct Mix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func hostileInputs() throws -> [[UInt8]] {
        var rng = Mix(state: 4475)
        let valid = Array(try options(via: "TCP", port: 1).serialized())
        var inputs: [[UInt8]] = []
        // Pure garbage.
        for _ in 0..<60 { inputs.append((0..<Int.random(in: 1...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }) }
        // A valid message with bytes flipped, inserted or removed.
        for _ in 0..<100 {
            var m = valid
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<m.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: m[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: m.remove(at: i)
                default: m.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
            }
            inputs.append(m)
        }
        // Truncated at every kind of place.
        for cut in stride(from: 1, to: valid.count, by: 17) { inputs.append(Array(valid[0..<cut])) }
        // Oversize: headers that never end, and a Content-Length far beyond the limit.
        inputs.append(Array("OPTIONS sip:a@b SIP/2.0\r\nX: ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 70_000))
        inputs.append(Array(String(decoding: valid, as: UTF8.self).replacingOccurrences(of: "Content-Length: 0", with: "Content-Length: 999999").utf8))
        // No Content-Length at all (mandatory on streams).
        inputs.append(Array(String(decoding: valid, as: UTF8.self).replacingOccurrences(of: "Content-Length: 0\r\n", with: "").utf8))
        return inputs
    }

    @Test func hostileConnectionsDoNotDisturbHealthyOnes() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let (server, client) = try await loop.submit {
            (SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: loop)), SIPTransactionLayer(transport: SIPTransportLayer(eventLoop: loop)))
        }.get()
        try await loop.submit {
            server.onRequest = { inbound, key in server.respond(inbound.message.response(200, toTag: "ok"), to: key) }
        }.get()
        let port = try await loop.flatSubmit { server.transport.listen(.init(side: .lan, transport: .tcp, host: "127.0.0.1", port: 0)) }.get().port ?? 0
        let answered = NIOLockedValueBox(0)
        @Sendable func ask(_ n: Int) async throws {
            try await loop.submit {
                _ = client.request(try! options(via: "TCP", port: 1, branch: "z9hG4bKhealthy\(n)"),
                                   to: SIPDestination(ip: "127.0.0.1", port: port, transport: .tcp, side: .wan),
                                   onResponse: { r in if r.statusCode == 200 { answered.withLockedValue { $0 += 1 } } },
                                   onFailure: { _ in })
            }.get()
        }
        try await ask(0)

        let inputs = try Self.hostileInputs()
        var closedByServer = 0
        for (i, input) in inputs.enumerated() {
            let raw = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
            var buffer = raw.allocator.buffer(capacity: input.count)
            buffer.writeBytes(input)
            try? await raw.writeAndFlush(buffer)
            // Give the server a moment; a connection still open (waiting for more bytes) is closed by us.
            try await Task.sleep(for: .milliseconds(5))
            if !raw.isActive { closedByServer += 1 } else { try? await raw.close() }
            if i % 50 == 0 { try await ask(i + 1) }
        }
        try await ask(9999)
        var ok = false
        for _ in 0..<1000 where !ok { ok = answered.withLockedValue { $0 } == 2 + (inputs.count - 1) / 50 + 1; try await Task.sleep(for: .milliseconds(10)) }
        #expect(ok, "the healthy connection kept being served: \(answered.withLockedValue { $0 })")
        #expect(closedByServer > inputs.count / 3, "malformed streams are closed by the server (\(closedByServer) of \(inputs.count))")
        // Every hostile connection is gone; the healthy one remains.
        var connections = -1
        for _ in 0..<100 where connections != 1 {
            connections = try await loop.submit { server.transport.connectionCount }.get()
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(connections == 1)
        _ = try await loop.flatSubmit { server.transport.close().and(client.transport.close()) }.get()
        try await group.shutdownGracefully()
    }
}
