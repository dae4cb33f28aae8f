// SIPTransportLayer: UDP, TCP and TLS listeners and connections for both sides of the box (RFC 3261 §18,
// RFC 3581 rport, RFC 5626 §4.4.1 keep-alives), on one NIO event loop.
import NIOCore
import NIOPosix
import NIOSSL
import SIPCore

/// Owns the box's SIP sockets. All state lives on `eventLoop`; call it from there (the futures it
/// returns complete there too).
public final class SIPTransportLayer: @unchecked Sendable {
    public struct Listener: Sendable, Hashable {
        public var side: SIPSide
        public var transport: SIPTransportKind
        public var host: String
        public var port: Int
        public init(side: SIPSide, transport: SIPTransportKind, host: String, port: Int) {
            self.side = side
            self.transport = transport
            self.host = host
            self.port = port
        }
    }

    public struct Settings: Sendable {
        /// Connections with no traffic for this long are closed (RFC 5923 reuse keeps busy ones open).
        public var idleTimeout: TimeAmount = .seconds(300)
        public var connectTimeout: TimeAmount = .seconds(5)
        /// IP TOS byte on signalling: DSCP CS3 (24 << 2).
        public var tos = 0x60
        /// Requests larger than this go over TCP when the target allows it (RFC 3261 §18.1.1).
        public var maxUDPRequestBytes = 1300
        /// SO_RCVBUF of UDP listeners.
        public var udpReceiveBufferBytes = 4 << 20
        /// Datagrams taken per recvmmsg call; each gets a slot of `SIPLimits.maxMessageBytes`, so no SIP
        /// datagram is ever cut short (NIO's default read buffer is 2,048 bytes).
        public var udpDatagramsPerRead = 16
        public var tls = SIPTLSSettings()
        public init() {}
    }

    public let eventLoop: any EventLoop
    public let settings: Settings
    /// Every message received, already stamped with received/rport for requests.
    public var onMessage: (SIPInbound) -> Void = { _ in }
    /// Every message that failed to parse, with its source (the message is dropped).
    public var onMalformed: (SIPParseError, SocketAddress?, SIPTransportKind, SIPSide) -> Void = { _, _, _, _ in }

    private var listeners: [Listener: Channel] = [:]
    /// Every SIP message in and out, for `debug sip` (nil: off, at no cost). `outbound`, the message text,
    /// the peer as ip:port, the transport and the side. Mask secrets (`SIPTraceMask`) before showing it.
    public var onTrace: ((_ outbound: Bool, _ text: String, _ peer: String, _ transport: SIPTransportKind, _ side: SIPSide) -> Void)?
    /// True while a UDP listener hands up a batch of datagrams: writes then wait for the batch's end,
    /// so the answers to one recvmmsg go out together (NIO sends pending datagrams with sendmmsg).
    private var inDatagramReadBatch = false
    private var channelsToFlush: [Channel] = []
    private struct Connection {
        var channel: Channel
        var transport: SIPTransportKind
        var side: SIPSide
        var remote: SocketAddress
        /// A CRLFCRLF ping is outstanding since this time (RFC 5626 §4.4.1).
        var pingSentAt: NIODeadline?
    }
    private var keepAliveTasks: [SIPSide: RepeatedTask] = [:]
    /// A connection that died: closed by the peer, failed, or silent to keep-alive pings.
    public var onConnectionLost: (_ ip: String, _ port: Int, _ transport: SIPTransportKind, _ side: SIPSide, _ why: String) -> Void = { _, _, _, _, _ in }
    private struct RemoteKey: Hashable {
        var side: SIPSide
        var transport: SIPTransportKind
        var ip: String
        var port: Int
        /// The name a TLS connection's certificate was verified for (a connection verified for one
        /// name is not reused for another).
        var serverName: String? = nil
    }
    private var connections: [SIPConnectionID: Connection] = [:]
    private var byRemote: [RemoteKey: SIPConnectionID] = [:]
    private var pendingConnects: [RemoteKey: EventLoopFuture<SIPConnectionID>] = [:]
    private var nextConnectionID: UInt64 = 1
    private lazy var clientTLS: Result<NIOSSLContext, any Error> = Result { try settings.tls.makeClientContext() }

    public init(eventLoop: any EventLoop, settings: Settings = Settings()) {
        self.eventLoop = eventLoop
        self.settings = settings
    }

    /// Number of open TCP/TLS connections.
    public var connectionCount: Int { connections.count }

    public func localAddress(side: SIPSide, transport: SIPTransportKind) -> SocketAddress? {
        listeners.first { $0.key.side == side && $0.key.transport == transport }?.value.localAddress
    }

    // MARK: Listening

    public func listen(_ spec: Listener) -> EventLoopFuture<SocketAddress> {
        eventLoop.preconditionInEventLoop()
        let tos = ChannelOptions.Types.SocketOption(level: .init(rawValue: Int32(IPPROTO_IP)), name: .init(rawValue: IP_TOS))
        let bound: EventLoopFuture<Channel>
        switch spec.transport {
        case .udp:
            bound = DatagramBootstrap(group: eventLoop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                // Room for bursts while the loop is busy (the kernel default of ~200 KB drops them).
                .channelOption(.socketOption(.so_rcvbuf), value: settings.udpReceiveBufferBytes)
                .channelOption(tos, value: settings.tos)
                .channelOption(.datagramVectorReadMessageCount, value: settings.udpDatagramsPerRead)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(
                    capacity: SIPLimits.maxMessageBytes * max(1, settings.udpDatagramsPerRead)))
                .channelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(SIPDatagramHandler(
                            onMessage: { [self] message, source in
                                inDatagramReadBatch = true
                                deliver(message, source: source, transport: .udp, side: spec.side, connection: nil)
                            },
                            onError: { [self] error, source in onMalformed(error, source, .udp, spec.side) },
                            onReadComplete: { [self] in flushDatagramBatch() }))
                    }
                }
                .bind(host: spec.host, port: spec.port)
        case .tcp, .tls:
            let serverTLS: NIOSSLContext?
            do { serverTLS = spec.transport == .tls ? try settings.tls.makeServerContext() : nil } catch {
                return eventLoop.makeFailedFuture(error)
            }
            bound = ServerBootstrap(group: eventLoop)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(tos, value: settings.tos)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try addStreamHandlers(channel, transport: spec.transport, side: spec.side,
                                              tls: serverTLS.map { NIOSSLServerHandler(context: $0) })
                    }
                }
                .bind(host: spec.host, port: spec.port)
        }
        return bound.flatMapThrowing { [self] channel in
            listeners[spec] = channel
            guard let address = channel.localAddress else { throw SIPTransportError.notListening(spec.side, spec.transport) }
            return address
        }
    }

    private func addStreamHandlers(_ channel: Channel, transport: SIPTransportKind, side: SIPSide,
                                   tls: (any ChannelHandler)?, serverName: String? = nil, outbound: Bool = false) throws {
        let ops = channel.pipeline.syncOperations
        if let tls { try ops.addHandler(tls) }
        try ops.addHandler(IdleStateHandler(allTimeout: settings.idleTimeout))
        let id = register(channel, transport: transport, side: side, serverName: serverName)
        try ops.addHandler(SIPStreamHandler(
            isFlowClient: outbound,
            onMessage: { [self] message, channel in
                guard let remote = channel.remoteAddress else { return }
                deliver(message, source: remote, transport: transport, side: side, connection: id)
            },
            onError: { [self] error, channel in onMalformed(error, channel.remoteAddress, transport, side) },
            onPong: { [self] _ in connections[id]?.pingSentAt = nil }))
    }

    private func register(_ channel: Channel, transport: SIPTransportKind, side: SIPSide, serverName: String?) -> SIPConnectionID {
        let id = SIPConnectionID(value: nextConnectionID)
        nextConnectionID += 1
        guard let remote = channel.remoteAddress, let ip = remote.ipAddress, let port = remote.port else { return id }
        connections[id] = Connection(channel: channel, transport: transport, side: side, remote: remote)
        let key = RemoteKey(side: side, transport: transport, ip: ip, port: port, serverName: serverName)
        byRemote[key] = id
        channel.closeFuture.whenComplete { [self] _ in
            connections[id] = nil
            if byRemote[key] == id { byRemote[key] = nil }
            onConnectionLost(ip, port, transport, side, "connection closed")
        }
        return id
    }

    private func deliver(_ message: SIPMessage, source: SocketAddress, transport: SIPTransportKind, side: SIPSide,
                         connection: SIPConnectionID?) {
        var message = message
        if message.isRequest, let ip = source.ipAddress, let port = source.port {
            do throws(SIPParseError) {
                try SIPViaRules.stampReceived(&message, sourceIP: ip, sourcePort: port)
            } catch {
                onMalformed(error, source, transport, side)
                return
            }
        }
        if let onTrace {
            onTrace(false, String(decoding: message.serialized(), as: UTF8.self), "\(source.ipAddress ?? "?"):\(source.port ?? 0)", transport, side)
        }
        onMessage(SIPInbound(message: message, source: source, transport: transport, side: side, connection: connection))
    }

    // MARK: Sending

    /// Sends a request to an IP address (a target the locator chose). A UDP request larger than
    /// `maxUDPRequestBytes` is sent over TCP instead, its top Via rewritten (§18.1.1), when `allowTCP`.
    public func sendRequest(_ request: SIPMessage, to ip: String, port: Int, transport: SIPTransportKind, side: SIPSide,
                            serverName: String? = nil, allowTCP: Bool = true) -> EventLoopFuture<Void> {
        var request = request
        var transport = transport
        if transport == .udp, allowTCP, request.serialized().count > settings.maxUDPRequestBytes,
           listeners.keys.contains(where: { $0.side == side && $0.transport == .tcp }) {
            if var via = try? request.headers.topVia {
                via.transport = "TCP"
                if let tcp = localAddress(side: side, transport: .tcp)?.port { via.port = tcp }
                try? request.headers.removeFirstValue(.via)
                request.headers.prepend(.via, via.description)
            }
            transport = .tcp
        }
        return send(request.serialized(), to: ip, port: port, transport: transport, side: side, serverName: serverName)
    }

    /// Sends a response where RFC 3261 §18.2.2 says: back on the request's connection when it is
    /// still open, else to the Via's received/rport/sent-by.
    public func sendResponse(_ response: SIPMessage, for inbound: SIPInbound) -> EventLoopFuture<Void> {
        let destination = try? SIPViaRules.responseDestination(for: response)
        return sendResponse(response.serialized(), on: SIPResponseRoute(inbound: inbound, destination: destination))
    }

    /// Where the responses to a received request go (§18.2.2), worked out once from its top Via
    /// (stamped with received/rport) and the connection it came on. A response's top Via is the
    /// request's (§8.2.6), so this is where `sendResponse(_:for:)` would send each of them.
    public func responseRoute(for inbound: SIPInbound) -> SIPResponseRoute {
        let destination = try? SIPViaRules.responseDestination(for: inbound.message)
        return SIPResponseRoute(inbound: inbound, destination: destination)
    }

    /// Sends a serialized response along a route from `responseRoute(for:)`.
    public func sendResponse(_ bytes: [UInt8], on route: SIPResponseRoute) -> EventLoopFuture<Void> {
        if let id = route.connection, let c = connections[id] {
            onTrace?(true, String(decoding: bytes, as: UTF8.self), "\(c.remote.ipAddress ?? "?"):\(c.remote.port ?? 0)", c.transport, c.side)
            return write(bytes, on: c.channel)
        }
        guard let destination = route.destination else {
            return eventLoop.makeFailedFuture(SIPTransportError.noRoute("no usable Via"))
        }
        // UDP answers leave from the socket the request arrived on (its side), to where it came from
        // when rport asks for it.
        return send(bytes, to: destination.host, port: destination.port, transport: destination.transport, side: route.side,
                    serverName: nil)
    }

    /// Sends raw bytes (a message or a keep-alive) to a peer.
    public func send(_ bytes: [UInt8], to ip: String, port: Int, transport: SIPTransportKind, side: SIPSide,
                     serverName: String?) -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        if let onTrace, bytes.contains(where: { $0 != 0x0D && $0 != 0x0A }) {
            onTrace(true, String(decoding: bytes, as: UTF8.self), "\(ip):\(port)", transport, side)
        }
        switch transport {
        case .udp:
            guard let channel = listeners.first(where: { $0.key.side == side && $0.key.transport == .udp })?.value else {
                return eventLoop.makeFailedFuture(SIPTransportError.notListening(side, .udp))
            }
            guard let address = try? SocketAddress(ipAddress: ip, port: port) else {
                return eventLoop.makeFailedFuture(SIPTransportError.notAnAddress(ip))
            }
            var buffer = channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            let envelope = AddressedEnvelope(remoteAddress: address, data: buffer)
            guard inDatagramReadBatch else { return channel.writeAndFlush(envelope) }
            if !channelsToFlush.contains(where: { $0 === channel }) { channelsToFlush.append(channel) }
            return channel.write(envelope)
        case .tcp, .tls:
            return connection(to: ip, port: port, transport: transport, side: side, serverName: serverName).flatMap { [self] id in
                guard let c = connections[id] else { return eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
                return write(bytes, on: c.channel)
            }
        }
    }

    // The end of a batch of datagrams: send what its messages wrote.
    private func flushDatagramBatch() {
        inDatagramReadBatch = false
        for channel in channelsToFlush { channel.flush() }
        channelsToFlush.removeAll(keepingCapacity: true)
    }

    private func write(_ bytes: [UInt8], on channel: Channel) -> EventLoopFuture<Void> {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return channel.writeAndFlush(buffer)
    }

    /// An open connection to the peer, reusing one (inbound or outbound) when there is one.
    public func connection(to ip: String, port: Int, transport: SIPTransportKind, side: SIPSide,
                           serverName: String?) -> EventLoopFuture<SIPConnectionID> {
        let key = RemoteKey(side: side, transport: transport, ip: ip, port: port, serverName: transport == .tls ? serverName : nil)
        if let id = byRemote[key], connections[id] != nil { return eventLoop.makeSucceededFuture(id) }
        if let pending = pendingConnects[key] { return pending }
        guard let address = try? SocketAddress(ipAddress: ip, port: port) else {
            return eventLoop.makeFailedFuture(SIPTransportError.notAnAddress(ip))
        }
        var tlsHandler: NIOSSLClientHandler?
        if transport == .tls {
            do {
                // An IP literal is no host name (SNI refuses it): the certificate is then checked
                // against the connected address (IP subjectAltName).
                let name = serverName.flatMap { (try? SocketAddress(ipAddress: $0, port: 0)) == nil ? $0 : nil }
                tlsHandler = try NIOSSLClientHandler(context: clientTLS.get(), serverHostname: name)
            } catch {
                return eventLoop.makeFailedFuture(error)
            }
        }
        let tos = ChannelOptions.Types.SocketOption(level: .init(rawValue: Int32(IPPROTO_IP)), name: .init(rawValue: IP_TOS))
        let handlerBox = NIOLoopBound(tlsHandler, eventLoop: eventLoop)
        let connect = ClientBootstrap(group: eventLoop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(tos, value: settings.tos)
            .connect(to: address)
            .flatMapThrowing { [self] channel -> SIPConnectionID in
                try addStreamHandlers(channel, transport: transport, side: side, tls: handlerBox.value, serverName: key.serverName, outbound: true)
                guard let id = byRemote[key] else { throw ChannelError.ioOnClosedChannel }
                return id
            }
        pendingConnects[key] = connect
        connect.whenComplete { [self] (_: Result<SIPConnectionID, any Error>) in pendingConnects[key] = nil }
        return connect
    }

    /// Sends an RFC 5626 §4.4.1 CRLFCRLF ping on every open connection of a side; a connection whose
    /// previous ping got no CRLF pong within `pongTimeout` is closed (and reported lost).
    public func pingConnections(side: SIPSide, pongTimeout: TimeAmount = .seconds(10)) {
        let now = NIODeadline.now()
        for (id, c) in connections where c.side == side {
            if let sent = c.pingSentAt {
                if now - sent >= pongTimeout { c.channel.close(promise: nil) }
                continue
            }
            connections[id]?.pingSentAt = now
            _ = write([0x0D, 0x0A, 0x0D, 0x0A], on: c.channel)
        }
    }

    /// Pings a side's connections every `interval` (RFC 5626 recommends 95 to 120 s; NATs may need less).
    public func startKeepAlive(side: SIPSide, interval: TimeAmount, pongTimeout: TimeAmount = .seconds(10)) {
        keepAliveTasks[side]?.cancel()
        keepAliveTasks[side] = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.pingConnections(side: side, pongTimeout: min(pongTimeout, interval))
        }
    }

    public func close() -> EventLoopFuture<Void> {
        keepAliveTasks.values.forEach { $0.cancel() }
        keepAliveTasks.removeAll()
        let all = Array(listeners.values) + connections.values.map(\.channel)
        listeners.removeAll()
        return EventLoopFuture.andAllComplete(all.map { $0.close() }, on: eventLoop)
    }
}
