// SIPTransactionTable: the transactions of one endpoint by key, routing received messages per RFC 3261 §17.1.3 and §17.2.3 (RFC 6026 §8.9, §8.10).
import SIPCore

/// Every live transaction by key. It routes a received message to its transaction or says what it is
/// instead (a new request, the ACK for a 2xx, a stray response), creates server transactions for new
/// requests, starts client transactions for the TU, and drops each transaction the moment it
/// terminates. Actions come back tagged with the key the driver needs for timers.
public struct SIPTransactionTable: Sendable {
    /// The default bound on live transactions; beyond it new requests are refused (answer 503).
    public static let defaultMaxTransactions = 4096

    /// What a received message turned out to be.
    public enum Routing: Sendable, Equatable {
        /// It belongs to this existing transaction, which produced these actions (a response passed
        /// up, a retransmitted request answered with the last response, an ACK absorbed).
        case matched(SIPTransactionKey, [SIPTransactionAction])
        /// A new request: a server transaction now exists under this key, and its actions pass the
        /// request up (and, for an INVITE, arm the 100 Trying timer).
        case newRequest(SIPTransactionKey, [SIPTransactionAction])
        /// An ACK that matches no INVITE server transaction: the ACK for a 2xx, for the dialog layer.
        case ackForDialog(SIPMessage)
        /// A response that matches no client transaction; RFC 6026 §8.9 has it dropped.
        case strayResponse(SIPMessage)
        /// A new request while the table holds `maxTransactions`: answer it 503 statelessly.
        case tableFull(request: SIPMessage)
        /// A message without the headers matching needs (Via, CSeq, ...): drop it, or answer 400.
        case invalid(SIPMessage, SIPTransactionError)
    }

    public let maxTransactions: Int
    public let config: SIPTimerConfig
    private var transactions: [SIPTransactionKey: SIPTransaction] = [:]

    public init(config: SIPTimerConfig = .standard, maxTransactions: Int = SIPTransactionTable.defaultMaxTransactions) {
        precondition(maxTransactions > 0, "a transaction table needs room for one transaction")
        self.config = config
        self.maxTransactions = maxTransactions
    }

    /// Live transactions (terminated ones are gone).
    public var count: Int { transactions.count }
    public var keys: some Collection<SIPTransactionKey> { transactions.keys }
    public subscript(key: SIPTransactionKey) -> SIPTransaction? { transactions[key] }

    /// Starts a client transaction for a request from the TU (any method but ACK) and returns its key
    /// and first actions (send it, arm its timers).
    public mutating func startClient(_ request: SIPMessage, reliable: Bool) throws(SIPTransactionError) -> (key: SIPTransactionKey, actions: [SIPTransactionAction]) {
        let key = try SIPTransactionKey(clientRequest: request)
        guard transactions[key] == nil else { throw .duplicateTransaction(key) }
        guard transactions.count < maxTransactions else { throw .tableFull(limit: maxTransactions) }
        var transaction: SIPTransaction
        if request.method == .invite {
            transaction = .clientInvite(try SIPClientInviteTransaction(request: request, reliable: reliable, config: config))
        } else {
            transaction = .clientNonInvite(try SIPClientNonInviteTransaction(request: request, reliable: reliable, config: config))
        }
        let actions = transaction.start()
        transactions[key] = transaction
        return (key, actions)
    }

    /// Routes a message the transport received; `reliable` says which kind of transport, for a new server transaction.
    public mutating func receive(_ message: SIPMessage, reliable: Bool) -> Routing {
        guard let method = message.method else { return receiveResponse(message) }
        let key: SIPTransactionKey
        do { key = try SIPTransactionKey(serverRequest: message) } catch { return .invalid(message, error) }
        if method == .ack {
            guard let target = inviteAcknowledged(by: key) else { return .ackForDialog(message) }
            return .matched(target, deliver(to: target) { $0.receive(message) })
        }
        if transactions[key] != nil {
            return .matched(key, deliver(to: key) { $0.receive(message) })
        }
        guard transactions.count < maxTransactions else { return .tableFull(request: message) }
        var transaction: SIPTransaction
        if method == .invite {
            transaction = .serverInvite(SIPServerInviteTransaction(request: message, reliable: reliable, config: config))
        } else {
            transaction = .serverNonInvite(SIPServerNonInviteTransaction(request: message, reliable: reliable, config: config))
        }
        let actions = transaction.start()
        transactions[key] = transaction
        return .newRequest(key, actions)
    }

    /// The TU's response on a server transaction.
    public mutating func respond(_ response: SIPMessage, on key: SIPTransactionKey) throws(SIPTransactionError) -> [SIPTransactionAction] {
        guard response.statusCode != nil else { throw .notAResponse }
        guard let transaction = transactions[key], !transaction.isClient else { throw .noSuchTransaction(key) }
        return deliver(to: key) { $0.respond(response) }
    }

    /// A timer the driver ran for this transaction has expired; nothing happens if the transaction is gone.
    public mutating func timerFired(_ timer: SIPTimerName, on key: SIPTransactionKey) -> [SIPTransactionAction] {
        deliver(to: key) { $0.timerFired(timer) }
    }

    /// The transport failed to send for this transaction.
    public mutating func transportError(on key: SIPTransactionKey) -> [SIPTransactionAction] {
        deliver(to: key) { $0.transportError() }
    }

    /// Ends a transaction at once (its timers are cancelled in the actions), e.g. an INVITE client
    /// transaction whose CANCEL got no final answer within 64*T1 (§9.1).
    public mutating func abandon(_ key: SIPTransactionKey) -> [SIPTransactionAction] {
        deliver(to: key) { $0.abandon() }
    }

    /// The INVITE server transaction a received CANCEL (given by its own server key) cancels (§9.2), if it is still live.
    public func invite(cancelledBy key: SIPTransactionKey) -> SIPTransactionKey? {
        guard !key.isClient, key.method == .cancel else { return nil }
        let inviteKey = key.replacingMethod(.invite)
        guard case .serverInvite? = transactions[inviteKey] else { return nil }
        return inviteKey
    }

    private mutating func receiveResponse(_ response: SIPMessage) -> Routing {
        let key: SIPTransactionKey
        do {
            key = try SIPTransactionKey(response: response)
        } catch .missingBranch {
            return .strayResponse(response)  // the box never sends a request without an RFC 3261 branch
        } catch {
            return .invalid(response, error)
        }
        guard transactions[key] != nil else { return .strayResponse(response) }
        return .matched(key, deliver(to: key) { $0.receive(response) })
    }

    // The INVITE server transaction an ACK with this key acknowledges (§17.2.3). By RFC 2543 rules
    // the ACK's To tag must be the To tag of the final response that transaction sent; the INVITE
    // itself had that tag already (a re-INVITE) or none.
    private func inviteAcknowledged(by key: SIPTransactionKey) -> SIPTransactionKey? {
        switch key.kind {
        case .client:
            return nil
        case .server:
            guard case .serverInvite? = transactions[key] else { return nil }
            return key
        case .legacyServer(let id):
            let candidates = id.toTag == nil ? [id] : [id, id.replacing(toTag: nil)]
            for candidate in candidates {
                let candidateKey = SIPTransactionKey.legacyServer(candidate)
                guard case .serverInvite(let invite)? = transactions[candidateKey],
                      let final = invite.finalResponse else { continue }
                if (try? final.headers.to)?.tag == id.toTag { return candidateKey }
            }
            return nil
        }
    }

    // Runs one event on a transaction in place (no copy of the transaction, no re-insertion) and reaps
    // it if the event terminated it.
    private mutating func deliver(to key: SIPTransactionKey, _ event: (inout SIPTransaction) -> [SIPTransactionAction]) -> [SIPTransactionAction] {
        guard let index = transactions.index(forKey: key) else { return [] }
        let actions = event(&transactions.values[index])
        // A machine that ends says so with a `.terminated` action (and only then), so the actions tell
        // without reading the transaction back out of the dictionary (a copy of all of it).
        if actions.contains(.terminated) { transactions.remove(at: index) }
        return actions
    }
}
