// SIPDatagramHandler: one SIP message per UDP datagram (RFC 3261 §18.3); keep-alive CRLFs are ignored; the end of a read batch is reported.
import NIOCore
import SIPCore

final class SIPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let onMessage: (SIPMessage, SocketAddress) -> Void
    private let onError: (SIPParseError, SocketAddress) -> Void
    private let onReadComplete: () -> Void

    init(onMessage: @escaping (SIPMessage, SocketAddress) -> Void, onError: @escaping (SIPParseError, SocketAddress) -> Void,
         onReadComplete: @escaping () -> Void = {}) {
        self.onMessage = onMessage
        self.onError = onError
        self.onReadComplete = onReadComplete
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        onReadComplete()
        context.fireChannelReadComplete()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let view = envelope.data.readableBytesView
        // A datagram of only CR/LF is a keep-alive (RFC 5626 §3.5.1 uses STUN on UDP; CRLF is common too).
        if view.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) { return }
        do throws(SIPParseError) {
            onMessage(try SIPMessage(parsing: view, framing: .datagram), envelope.remoteAddress)
        } catch {
            onError(error, envelope.remoteAddress)
        }
    }
}

@available(*, unavailable)
extension SIPDatagramHandler: Sendable {}
