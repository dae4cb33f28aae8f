// DNSTCPFramingTests: the two-octet length prefix over TCP, split across any chunking (RFC 1035 §4.2.2).
import Testing
@testable import SIPLocator

@Suite struct DNSTCPFramingTests {
    @Test func framePrefixesTheLength() throws {
        #expect(try DNSTCPFraming.frame([1, 2, 3]) == [0, 3, 1, 2, 3])
        #expect(try DNSTCPFraming.frame(DNSWireFixtures.srvQuery).prefix(2) == [0, 39])
        #expect(throws: DNSError.messageTooLarge(size: 65_536)) { try DNSTCPFraming.frame([UInt8](repeating: 0, count: 65_536)) }
        #expect(try DNSTCPFraming.frame([UInt8](repeating: 0, count: 65_535)).prefix(2) == [0xFF, 0xFF])
    }

    @Test func anyChunkingYieldsTheSameMessages() throws {
        let messages = [DNSWireFixtures.srvQuery, DNSWireFixtures.srvResponse, [], DNSWireFixtures.nxdomain]
        var stream: [UInt8] = []
        for m in messages { stream += try DNSTCPFraming.frame(m) }
        for chunk in [1, 2, 3, 7, 64, stream.count] {
            var framing = DNSTCPFraming()
            var out: [[UInt8]] = []
            var i = 0
            while i < stream.count {
                framing.append(stream[i..<min(i + chunk, stream.count)])
                while let m = framing.nextMessage() { out.append(m) }
                i += chunk
            }
            #expect(out == messages, "chunk \(chunk)")
            #expect(framing.bufferedByteCount == 0)
        }
    }

    @Test func partialFrameWaitsForMoreBytes() throws {
        var framing = DNSTCPFraming()
        framing.append([0x00])
        #expect(framing.nextMessage() == nil)
        framing.append([0x04, 9, 9, 9])
        #expect(framing.nextMessage() == nil && framing.bufferedByteCount == 5)
        framing.append([9, 0x00])
        #expect(framing.nextMessage() == [9, 9, 9, 9])
        #expect(framing.nextMessage() == nil && framing.bufferedByteCount == 1)
    }

    @Test func longStreamsDoNotGrowTheBuffer() throws {
        var framing = DNSTCPFraming()
        let frame = try DNSTCPFraming.frame(DNSWireFixtures.srvResponse)
        var count = 0
        for _ in 0..<1_000 {
            framing.append(frame + frame.prefix(10))
            while framing.nextMessage() != nil { count += 1 }
            framing.append(frame.dropFirst(10))
            while framing.nextMessage() != nil { count += 1 }
        }
        #expect(count == 2_000 && framing.bufferedByteCount == 0)
    }
}
