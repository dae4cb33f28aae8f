// SIPResolver: drives the RFC 3263 SIPLocator over real DNS: UDP queries to the configured name server
// (RFC 1035 §4.2.1), TCP when an answer is truncated (§4.2.2), a time-out and retries per query.
import NIOCore
import NIOPosix
import SIPLocator

public final class SIPResolver: @unchecked Sendable {
    public let eventLoop: any EventLoop
    /// Name server address (IPv4 or IPv6) and port.
    public let server: SocketAddress
    public var timeout: TimeAmount = .seconds(2)
    public var attempts = 2
    private var random = SystemRandomNumberGenerator()

    public init(eventLoop: any EventLoop, server: SocketAddress) {
        self.eventLoop = eventLoop
        self.server = server
    }

    /// The first `nameserver` line of a resolv.conf text (the caller reads the file).
    public static func nameServer(inResolvConf text: String) -> SocketAddress? {
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.count >= 2, parts[0] == "nameserver", let a = try? SocketAddress(ipAddress: String(parts[1]), port: 53) {
                return a
            }
        }
        return nil
    }

    /// Resolves a SIP URI's host to an ordered target list.
    public func locate(_ uri: SIPLocatorURI, configuration: SIPLocatorConfiguration = SIPLocatorConfiguration())
        -> EventLoopFuture<SIPTargetList> {
        let promise = eventLoop.makePromise(of: SIPTargetList.self)
        eventLoop.execute { [self] in
            let box = LocatorBox(locator: SIPLocator(uri: uri, configuration: configuration,
                                                     randomSeed: UInt64.random(in: 0...UInt64.max, using: &random)))
            step(box, box.locator.start(), promise)
        }
        return promise.futureResult
    }

    private final class LocatorBox: @unchecked Sendable {
        var locator: SIPLocator
        init(locator: SIPLocator) { self.locator = locator }
    }

    private func step(_ box: LocatorBox, _ action: SIPLocator.Action, _ promise: EventLoopPromise<SIPTargetList>) {
        switch action {
        case .resolved(let list): promise.succeed(list)
        case .failed(let error): promise.fail(error)
        case .waitForAnswers: break
        case .sendQueries(let questions):
            for question in questions {
                query(question, attempt: 1).whenComplete { [self] result in
                    let next: SIPLocator.Action
                    switch result {
                    case .success(let message): next = box.locator.receive(message, for: question)
                    case .failure: next = box.locator.lookupFailed(question)
                    }
                    step(box, next, promise)
                }
            }
        }
    }

    /// One question over UDP, retried on time-out, and over TCP when the UDP answer is truncated.
    public func query(_ question: DNSQuestion, attempt: Int = 1) -> EventLoopFuture<DNSMessage> {
        let q = DNSQuery(id: UInt16.random(in: 0...UInt16.max, using: &random), question: question)
        let promise = OncePromise(eventLoop.makePromise(of: DNSMessage.self))
        let handler = DNSAnswerHandler(query: q, promise: promise)
        DatagramBootstrap(group: eventLoop)
            .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(handler) } }
            .bind(host: server.protocol == .inet6 ? "::" : "0.0.0.0", port: 0)
            .whenComplete { [self] result in
                switch result {
                case .failure(let error): promise.fail(error)
                case .success(let channel):
                    var buffer = channel.allocator.buffer(capacity: 512)
                    buffer.writeBytes(q.encoded())
                    channel.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: buffer), promise: nil)
                    let timer = eventLoop.scheduleTask(in: timeout) { promise.fail(DNSResolverError.timeout) }
                    promise.futureResult.whenComplete { _ in
                        timer.cancel()
                        channel.close(promise: nil)
                    }
                }
            }
        return promise.futureResult.flatMap { [self] message in
            message.header.isTruncated ? queryTCP(q) : eventLoop.makeSucceededFuture(message)
        }.flatMapError { [self] error in
            if case DNSResolverError.timeout = error, attempt < attempts { return query(question, attempt: attempt + 1) }
            return eventLoop.makeFailedFuture(error)
        }
    }

    private func queryTCP(_ q: DNSQuery) -> EventLoopFuture<DNSMessage> {
        let promise = OncePromise(eventLoop.makePromise(of: DNSMessage.self))
        let handler = DNSTCPAnswerHandler(query: q, promise: promise)
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { ch in ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(handler) } }
            .connect(to: server)
            .whenComplete { [self] result in
                switch result {
                case .failure(let error): promise.fail(error)
                case .success(let channel):
                    guard let framed = try? DNSTCPFraming.frame(q.encoded()) else {
                        promise.fail(DNSResolverError.badQuery)
                        return
                    }
                    var buffer = channel.allocator.buffer(capacity: framed.count)
                    buffer.writeBytes(framed)
                    channel.writeAndFlush(buffer, promise: nil)
                    let timer = eventLoop.scheduleTask(in: timeout) { promise.fail(DNSResolverError.timeout) }
                    promise.futureResult.whenComplete { _ in
                        timer.cancel()
                        channel.close(promise: nil)
                    }
                }
            }
        return promise.futureResult
    }
}

/// A promise that may be completed from several places (answer, time-out) and takes the first.
final class OncePromise<Value: Sendable>: @unchecked Sendable {
    let promise: EventLoopPromise<Value>
    private var done = false
    init(_ promise: EventLoopPromise<Value>) { self.promise = promise }
    var futureResult: EventLoopFuture<Value> { promise.futureResult }
    func succeed(_ value: Value) { if !done { done = true; promise.succeed(value) } }
    func fail(_ error: any Error) { if !done { done = true; promise.fail(error) } }
}

public enum DNSResolverError: Error, Sendable {
    case timeout
    case badQuery
}

/// Completes the promise with the first datagram that answers our query (others are ignored).
private final class DNSAnswerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let query: DNSQuery
    let promise: OncePromise<DNSMessage>
    init(query: DNSQuery, promise: OncePromise<DNSMessage>) {
        self.query = query
        self.promise = promise
    }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let message = try? DNSMessage(decoding: envelope.data.readableBytesView), query.matches(message) else { return }
        promise.succeed(message)
    }
}

private final class DNSTCPAnswerHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let query: DNSQuery
    let promise: OncePromise<DNSMessage>
    var framing = DNSTCPFraming()
    init(query: DNSQuery, promise: OncePromise<DNSMessage>) {
        self.query = query
        self.promise = promise
    }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        framing.append(unwrapInboundIn(data).readableBytesView)
        while let bytes = framing.nextMessage() {
            if let message = try? DNSMessage(decoding: bytes), query.matches(message) { promise.succeed(message) }
        }
    }
}
