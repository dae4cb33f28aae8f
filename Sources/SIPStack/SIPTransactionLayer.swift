// SIPTransactionLayer: runs the RFC 3261 §17 transaction state machines on the event loop: timers as
// scheduled tasks, sends through the transport layer, responses and requests up to the user agents.
import NIOCore
import SIPCore
import SIPTransaction

/// Where a client transaction sends its request (a target the locator chose).
public struct SIPDestination: Sendable, Hashable, CustomStringConvertible {
    public var ip: String
    public var port: Int
    public var transport: SIPTransportKind
    public var side: SIPSide
    /// The name the TLS certificate must carry (the SIP domain, RFC 5922).
    public var serverName: String?

    public init(ip: String, port: Int, transport: SIPTransportKind, side: SIPSide, serverName: String? = nil) {
        self.ip = ip
        self.port = port
        self.transport = transport
        self.side = side
        self.serverName = serverName
    }

    public var description: String { "\(transport) \(ip.contains(":") ? "[\(ip)]" : ip):\(port)" }
}

/// How a client transaction ended without a final response.
public enum SIPTransactionFailure: Error, Sendable, Equatable {
    /// Timer B or F fired: nobody answered (RFC 3261 §17.1.1.2, §17.1.2.2).
    case timeout
    /// The transport could not deliver the request (connection refused, TLS failure, ...).
    case transportError(String)
}

public final class SIPTransactionLayer: @unchecked Sendable {
    public let transport: SIPTransportLayer
    public var eventLoop: any EventLoop { transport.eventLoop }
    private var table: SIPTransactionTable
    /// Running timers per transaction, so ending one touches only its own.
    private var timers: [SIPTransactionKey: [SIPTimerName: Scheduled<Void>]] = [:]
    private struct Client {
        var destination: SIPDestination
        var onResponse: (SIPMessage) -> Void
        var onFailure: (SIPTransactionFailure) -> Void
    }
    private var clients: [SIPTransactionKey: Client] = [:]
    private var servers: [SIPTransactionKey: SIPInbound] = [:]
    private var random: any RandomNumberGenerator & Sendable

    /// A new request (its server transaction exists; answer with `respond(_:to:)`).
    public var onRequest: (SIPInbound, SIPTransactionKey) -> Void = { _, _ in }
    /// An ACK for a 2xx, which belongs to a dialog, not a transaction.
    public var onAckForDialog: (SIPInbound) -> Void = { _ in }
    /// Requests refused because the table is full (answered 503 statelessly), for the counters.
    public private(set) var refusedFull = 0
    public private(set) var strayResponses = 0

    /// Live transactions allowed at once. UDP server transactions linger 64*T1 (32 s) after their final
    /// response to absorb retransmissions (Timer J), so the bound must cover rate × 32 s.
    public static let defaultMaxTransactions = 131_072

    public init(transport: SIPTransportLayer, config: SIPTimerConfig = .standard,
                maxTransactions: Int = SIPTransactionLayer.defaultMaxTransactions,
                random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.transport = transport
        self.table = SIPTransactionTable(config: config, maxTransactions: maxTransactions)
        self.random = random
        transport.onMessage = { [weak self] inbound in self?.receive(inbound) }
    }

    public var activeTransactions: Int { table.count }

    /// A fresh RFC 3261 branch.
    public func makeBranch() -> String {
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &random) }
        return SIPBranch.make(randomBytes: bytes)
    }

    /// The Via this box writes for a request leaving on `destination`'s side and transport.
    public func via(for destination: SIPDestination, branch: String) -> SIPVia {
        let local = transport.localAddress(side: destination.side, transport: destination.transport)
        var via = SIPVia(transport: destination.transport.viaToken, host: local?.ipAddress ?? "127.0.0.1", port: local?.port,
                         branch: branch)
        via.parameters.append(SIPParameter("rport"))
        return via
    }

    /// Starts a client transaction: puts our Via on top (replacing any the caller left) and sends.
    @discardableResult
    public func request(_ request: SIPMessage, to destination: SIPDestination,
                        onResponse: @escaping (SIPMessage) -> Void,
                        onFailure: @escaping (SIPTransactionFailure) -> Void) -> SIPTransactionKey? {
        eventLoop.preconditionInEventLoop()
        var request = request
        let branch = request.method == .cancel || request.method == .ack
            ? ((try? request.headers.topVia?.branch) ?? nil) ?? makeBranch() : makeBranch()
        request.headers.remove(.via)
        request.headers.prepend(.via, via(for: destination, branch: branch).description)
        do throws(SIPTransactionError) {
            let (key, actions) = try table.startClient(request, reliable: destination.transport.isReliable)
            clients[key] = Client(destination: destination, onResponse: onResponse, onFailure: onFailure)
            perform(actions, on: key)
            return key
        } catch {
            onFailure(.transportError("cannot start the transaction: \(error)"))
            return nil
        }
    }

    /// Sends a response on a server transaction.
    public func respond(_ response: SIPMessage, to key: SIPTransactionKey) {
        eventLoop.preconditionInEventLoop()
        do throws(SIPTransactionError) {
            perform(try table.respond(response, on: key), on: key)
        } catch {
            // The transaction is gone (terminated or never existed): nothing to answer on.
        }
    }

    /// Sends an ACK for a 2xx or any message outside a transaction, to a destination.
    public func sendStateless(_ message: SIPMessage, to destination: SIPDestination) {
        _ = transport.sendRequest(message, to: destination.ip, port: destination.port, transport: destination.transport,
                                  side: destination.side, serverName: destination.serverName)
    }

    /// Stops a client INVITE transaction that the TU gave up on (after its CANCEL).
    public func abandon(_ key: SIPTransactionKey) {
        perform(table.abandon(key), on: key)
    }

    private func receive(_ inbound: SIPInbound) {
        switch table.receive(inbound.message, reliable: inbound.transport.isReliable) {
        case .matched(let key, let actions):
            perform(actions, on: key)
        case .newRequest(let key, let actions):
            servers[key] = inbound
            perform(actions, on: key)
        case .ackForDialog(let ack):
            var copy = inbound
            copy.message = ack
            onAckForDialog(copy)
        case .strayResponse:
            strayResponses += 1
        case .tableFull(let request):
            refusedFull += 1
            var busy = request.response(503)
            busy.headers.add(.retryAfter, "5")
            _ = transport.sendResponse(busy, for: inbound)
        case .invalid(let message, _):
            if message.isRequest && message.method != .ack {
                _ = transport.sendResponse(message.response(400), for: inbound)
            }
        }
    }

    private func perform(_ actions: [SIPTransactionAction], on key: SIPTransactionKey) {
        for action in actions {
            switch action {
            case .send(let message):
                send(message, on: key)
            case .passUp(let message):
                if message.isRequest {
                    if let inbound = servers[key] {
                        var copy = inbound
                        copy.message = message
                        onRequest(copy, key)
                    }
                } else {
                    clients[key]?.onResponse(message)
                }
            case .startTimer(let name, let after):
                timers[key]?[name]?.cancel()
                let (seconds, attoseconds) = after.components
                let nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
                timers[key, default: [:]][name] = eventLoop.scheduleTask(in: .nanoseconds(nanos)) { [weak self] in
                    guard let self else { return }
                    self.timers[key]?[name] = nil
                    self.perform(self.table.timerFired(name, on: key), on: key)
                }
            case .cancelTimer(let name):
                timers[key]?.removeValue(forKey: name)?.cancel()
            case .timeout:
                clients[key]?.onFailure(.timeout)
            case .transportError:
                clients[key]?.onFailure(.transportError("the transport could not deliver the request"))
            case .terminated:
                clients[key] = nil
                servers[key] = nil
                timers.removeValue(forKey: key)?.values.forEach { $0.cancel() }
            }
        }
    }

    private func send(_ message: SIPMessage, on key: SIPTransactionKey) {
        let sent: EventLoopFuture<Void>
        if message.isRequest, let client = clients[key] {
            let d = client.destination
            sent = transport.sendRequest(message, to: d.ip, port: d.port, transport: d.transport, side: d.side, serverName: d.serverName)
        } else if let inbound = servers[key] {
            sent = transport.sendResponse(message, for: inbound)
        } else {
            return
        }
        sent.whenFailure { [weak self] error in
            guard let self else { return }
            if let client = self.clients[key] {
                client.onFailure(.transportError("\(error)"))
                self.clients[key] = nil
            }
            self.perform(self.table.transportError(on: key), on: key)
        }
    }
}
