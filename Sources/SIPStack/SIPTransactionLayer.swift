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
    private struct Client {
        var destination: SIPDestination
        var onResponse: (SIPMessage) -> Void
        var onFailure: (SIPTransactionFailure) -> Void
    }
    /// What the driver keeps per live transaction: who to tell (client) or where to answer (server:
    /// the route, not the parsed request, which only the state machine holds and drops when it no
    /// longer needs it), and the incarnation its wheel timers carry, so a late timer of an ended
    /// transaction never reaches a newer one under the same key.
    private struct Entry {
        var incarnation: UInt64
        var client: Client?
        var route: SIPResponseRoute?
    }
    private var entries: [SIPTransactionKey: Entry] = [:]
    private var nextIncarnation: UInt64 = 0
    private struct TimerToken: Sendable {
        var key: SIPTransactionKey
        var name: SIPTimerName
        var incarnation: UInt64
    }
    /// All transaction timers on one wheel. One scheduled callback wakes the loop at the next tick
    /// whose bucket holds a timer (not every tick: UDP server transactions wait 32 s for Timer J with
    /// nothing to do), advances the wheel and arms itself again.
    private var wheel: SIPTimerWheel<TimerToken>
    private var wake: (tick: Int64, callback: NIOScheduledCallback)?
    private var expired: [TimerToken] = []
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
                random: any RandomNumberGenerator & Sendable = SIPRandom()) {
        self.transport = transport
        self.table = SIPTransactionTable(config: config, maxTransactions: maxTransactions)
        self.wheel = SIPTimerWheel(tick: Self.timerTick, slotCount: 4096, startTick: Self.tickNow())
        self.random = random
        transport.onMessage = { [weak self] inbound in self?.receive(inbound) }
    }

    public var activeTransactions: Int { table.count }

    /// Resolution of the transaction timers (T1 is 500 ms; 10 ms is 2 % of it).
    public static let timerTick: Duration = .milliseconds(10)
    private static let tickNanoseconds: UInt64 = 10_000_000

    private static func tickNow() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds / tickNanoseconds) }

    /// A fresh RFC 3261 branch.
    public func makeBranch() -> String {
        // 12 bytes from two draws (not one draw per byte).
        let a = random.next(), b = random.next()
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: a >> ($0 * 8)) } + (0..<4).map { UInt8(truncatingIfNeeded: b >> ($0 * 8)) }
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
    /// `branch` is the Via branch to use (a CANCEL must carry its INVITE's, exactly as sent); by
    /// default a new one (a CANCEL or ACK keeps the branch of the Via it carries).
    @discardableResult
    public func request(_ request: SIPMessage, to destination: SIPDestination, branch: String? = nil,
                        onResponse: @escaping (SIPMessage) -> Void,
                        onFailure: @escaping (SIPTransactionFailure) -> Void) -> SIPTransactionKey? {
        eventLoop.preconditionInEventLoop()
        var request = request
        let branch = branch ?? (request.method == .cancel || request.method == .ack
            ? ((try? request.headers.topVia?.branch) ?? nil) ?? makeBranch() : makeBranch())
        request.headers.remove(.via)
        request.headers.prepend(.via, via(for: destination, branch: branch).description)
        do throws(SIPTransactionError) {
            let (key, actions) = try table.startClient(request, reliable: destination.transport.isReliable)
            entries[key] = Entry(incarnation: newIncarnation(),
                                 client: Client(destination: destination, onResponse: onResponse, onFailure: onFailure))
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

    /// The live INVITE server transaction a received CANCEL (its own server key) cancels (§9.2).
    public func invite(cancelledBy key: SIPTransactionKey) -> SIPTransactionKey? {
        table.invite(cancelledBy: key)
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
            entries[key] = Entry(incarnation: newIncarnation(), route: transport.responseRoute(for: inbound))
            perform(actions, on: key, inbound: inbound)
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

    private func newIncarnation() -> UInt64 {
        nextIncarnation += 1
        return nextIncarnation
    }

    // `inbound` is the request as received when these actions are its new transaction's first.
    private func perform(_ actions: [SIPTransactionAction], on key: SIPTransactionKey, inbound: SIPInbound? = nil) {
        for action in actions {
            switch action {
            case .send(let message):
                send(message, on: key)
            case .sendSerialized(let bytes):
                sendResponse(bytes, on: key)
            case .passUp(let message):
                if message.isRequest {
                    if var inbound {
                        inbound.message = message
                        onRequest(inbound, key)
                    } else if let route = entries[key]?.route {
                        onRequest(route.inbound(message), key)
                    }
                } else {
                    entries[key]?.client?.onResponse(message)
                }
            case .startTimer(let name, let after):
                guard let incarnation = entries[key]?.incarnation else { break }
                let due = wheel.schedule(TimerToken(key: key, name: name, incarnation: incarnation), after: after, now: Self.tickNow())
                armWheel(at: due)
            case .cancelTimer:
                // Lazy: the state machine no longer runs it, so its firing is ignored (SIPRunningTimers).
                break
            case .timeout:
                entries[key]?.client?.onFailure(.timeout)
            case .transportError:
                entries[key]?.client?.onFailure(.transportError("the transport could not deliver the request"))
            case .terminated:
                entries[key] = nil
            }
        }
    }

    // Makes sure the loop wakes by `tick` (a timer is due then): keeps an earlier wake-up, else moves it.
    private func armWheel(at tick: Int64) {
        if let wake {
            if wake.tick <= tick { return }
            wake.callback.cancel()
        }
        let deadline = NIODeadline.uptimeNanoseconds(UInt64(max(0, tick)) * Self.tickNanoseconds)
        do {
            wake = (tick, try eventLoop.scheduleCallback(at: deadline, handler: WheelWake(layer: self)))
        } catch {
            wake = nil  // the loop is shutting down
        }
    }

    private struct WheelWake: NIOScheduledCallbackHandler, Sendable {
        weak var layer: SIPTransactionLayer?
        func handleScheduledCallback(eventLoop: some EventLoop) { layer?.wheelWoke() }
    }

    private func wheelWoke() {
        wake = nil
        advanceWheel()
        if let next = wheel.nextDueTick() { armWheel(at: next) }
    }

    private func advanceWheel() {
        expired.removeAll(keepingCapacity: true)
        wheel.advance(to: Self.tickNow(), into: &expired)
        for token in expired {
            // By index: reading the incarnation in place, without copying the entry out of the dictionary.
            guard let i = entries.index(forKey: token.key), entries.values[i].incarnation == token.incarnation else { continue }
            perform(table.timerFired(token.name, on: token.key), on: token.key)
        }
    }

    private func send(_ message: SIPMessage, on key: SIPTransactionKey) {
        guard let entry = entries[key] else { return }
        let sent: EventLoopFuture<Void>
        if message.isRequest, let client = entry.client {
            let d = client.destination
            sent = transport.sendRequest(message, to: d.ip, port: d.port, transport: d.transport, side: d.side, serverName: d.serverName)
        } else if let route = entry.route {
            sent = transport.sendResponse(message.serialized(), on: route)
        } else {
            return
        }
        watch(sent, on: key, incarnation: entry.incarnation)
    }

    private func sendResponse(_ bytes: [UInt8], on key: SIPTransactionKey) {
        guard let entry = entries[key], let route = entry.route else { return }
        watch(transport.sendResponse(bytes, on: route), on: key, incarnation: entry.incarnation)
    }

    // A send that fails ends the transaction (§17.1.4, §17.2.4).
    private func watch(_ sent: EventLoopFuture<Void>, on key: SIPTransactionKey, incarnation: UInt64) {
        sent.whenFailure { [weak self] error in
            guard let self, let entry = self.entries[key], entry.incarnation == incarnation else { return }
            if let client = entry.client {
                client.onFailure(.transportError("\(error)"))
                self.entries[key]?.client = nil
            }
            self.perform(self.table.transportError(on: key), on: key)
        }
    }
}
