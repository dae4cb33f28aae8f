// SIPStreamHandler: frames SIP messages out of a TCP/TLS byte stream and answers RFC 5626 §4.4.1 CRLF pings.
import NIOCore
import SIPCore

/// Turns inbound bytes into messages with `SIPStreamDecoder`. A framing error (no Content-Length,
/// oversize, garbage) closes this connection only; other connections are unaffected.
final class SIPStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var decoder: SIPStreamDecoder
    private let onMessage: (SIPMessage, Channel) -> Void
    private let onError: (SIPParseError, Channel) -> Void
    private let onPong: (Channel) -> Void

    init(isFlowClient: Bool, onMessage: @escaping (SIPMessage, Channel) -> Void, onError: @escaping (SIPParseError, Channel) -> Void,
         onPong: @escaping (Channel) -> Void = { _ in }) {
        self.decoder = SIPStreamDecoder(isFlowClient: isFlowClient)
        self.onMessage = onMessage
        self.onError = onError
        self.onPong = onPong
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        do throws(SIPParseError) {
            if let bytes = buffer.readBytes(length: buffer.readableBytes) { try decoder.feed(bytes) }
            while let item = try decoder.next() {
                switch item {
                case .message(let m): onMessage(m, context.channel)
                case .keepAlivePing:
                    var pong = context.channel.allocator.buffer(capacity: 2)
                    pong.writeBytes([0x0D, 0x0A])
                    context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
                case .keepAlivePong: onPong(context.channel)
                }
            }
        } catch {
            onError(error, context.channel)
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension SIPStreamHandler: Sendable {}
