// SIPTransactionKey: which transaction a message belongs to, by RFC 3261 §17.1.3 (client) and §17.2.3 (server, with the RFC 2543 fallback).
import SIPCore

/// The identity of a transaction. Branches and sent-by hosts are compared case-insensitively (they
/// are tokens, §7.3.1); methods and Call-IDs exactly.
///
/// A key hashes its parts once, when it is made, and keeps the result: the table and its driver look a
/// transaction up several times over its life (each event, each timer, its removal), and a dictionary
/// removal rehashes the neighbours it shifts back. With the hash kept, none of that reads the branch
/// text again (at Timer J that text is 32 s old and out of every cache).
public struct SIPTransactionKey: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A client transaction: the branch of the top Via and the CSeq method (so a CANCEL, which reuses
        /// the INVITE's branch, is its own transaction).
        case client(branch: String, method: SIPMethod)
        /// A server transaction for a request with an RFC 3261 branch: the branch, the sent-by of the top
        /// Via and the method, ACK counted as INVITE.
        case server(branch: String, sentBy: String, method: SIPMethod)
        /// A server transaction for a request whose branch lacks the magic cookie (RFC 2543 peers).
        case legacyServer(SIPLegacyTransactionID)
    }

    public let kind: Kind
    // kind.hashValue, computed once (per process seed, like every Swift hash).
    private let hashCode: Int

    public init(_ kind: Kind) {
        self.kind = kind
        self.hashCode = kind.hashValue
    }

    public static func client(branch: String, method: SIPMethod) -> SIPTransactionKey { .init(.client(branch: branch, method: method)) }
    public static func server(branch: String, sentBy: String, method: SIPMethod) -> SIPTransactionKey {
        .init(.server(branch: branch, sentBy: sentBy, method: method))
    }
    public static func legacyServer(_ id: SIPLegacyTransactionID) -> SIPTransactionKey { .init(.legacyServer(id)) }

    public func hash(into hasher: inout Hasher) { hasher.combine(hashCode) }
    public static func == (a: SIPTransactionKey, b: SIPTransactionKey) -> Bool { a.hashCode == b.hashCode && a.kind == b.kind }

    /// The key of the client transaction that sends `request`. Its top Via must carry an RFC 3261 branch.
    public init(clientRequest request: SIPMessage) throws(SIPTransactionError) {
        guard let method = request.method else { throw .notARequest }
        let via = try request.transactionTopVia()
        guard let branch = via.branch, SIPBranch.isRFC3261(branch) else { throw .missingBranch }
        self = .client(branch: Self.lowercasedASCII(branch), method: method)
    }

    /// The key of the client transaction a received response belongs to.
    public init(response: SIPMessage) throws(SIPTransactionError) {
        guard response.statusCode != nil else { throw .notAResponse }
        let via = try response.transactionTopVia()
        guard let branch = via.branch, SIPBranch.isRFC3261(branch) else { throw .missingBranch }
        let cseq = try response.transactionCSeq()
        self = .client(branch: Self.lowercasedASCII(branch), method: cseq.method)
    }

    /// The key of the server transaction a received request belongs to or creates. An ACK gets the
    /// key of the INVITE it acknowledges; under RFC 2543 rules that key still carries the ACK's To tag,
    /// which the table compares with the To tag of the response the transaction sent.
    public init(serverRequest request: SIPMessage) throws(SIPTransactionError) {
        guard let method = request.method else { throw .notARequest }
        let via = try request.transactionTopVia()
        if let branch = via.branch, SIPBranch.isRFC3261(branch) {
            self = .server(branch: Self.lowercasedASCII(branch), sentBy: Self.sentBy(via),
                           method: method == .ack ? .invite : method)
        } else {
            self = .legacyServer(try SIPLegacyTransactionID(request: request))
        }
    }

    public var method: SIPMethod {
        switch kind {
        case .client(_, let method), .server(_, _, let method): return method
        case .legacyServer(let id): return id.cseq.method
        }
    }

    public var isClient: Bool { if case .client = kind { return true }; return false }

    /// The same key for another method: a CANCEL's key with `.invite` is the key of the INVITE it cancels (§9.2).
    public func replacingMethod(_ method: SIPMethod) -> SIPTransactionKey {
        switch kind {
        case .client(let branch, _): return .client(branch: branch, method: method)
        case .server(let branch, let sentBy, _): return .server(branch: branch, sentBy: sentBy, method: method)
        case .legacyServer(let id): return .legacyServer(id.replacing(method: method))
        }
    }

    public var description: String {
        switch kind {
        case .client(let branch, let method): return "client \(method) \(branch)"
        case .server(let branch, let sentBy, let method): return "server \(method) \(branch) from \(sentBy)"
        case .legacyServer(let id): return "server (RFC 2543) \(id)"
        }
    }

    static func sentBy(_ via: SIPVia) -> String {
        var text = lowercasedASCII(via.host)
        if let port = via.port {
            text.append(":")
            text.append(String(port))
        }
        return text
    }

    // One allocation (the result), none when there is nothing to lower.
    static func lowercasedASCII(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        let count = text.utf8.count
        return String(unsafeUninitializedCapacity: count) { out in
            var i = 0
            for byte in text.utf8 {
                out[i] = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
                i += 1
            }
            return count
        }
    }
}
