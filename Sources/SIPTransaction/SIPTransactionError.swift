// SIPTransactionError: why a transaction could not be created, keyed or found (RFC 3261 §17.1.3, §17.2.3).
import SIPCore

/// A request or response the transaction layer cannot use, or a table operation that cannot be done.
public enum SIPTransactionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A response was given where a request was needed.
    case notARequest
    /// A request was given where a response was needed.
    case notAResponse
    /// A header the transaction layer needs is absent.
    case missingHeader(SIPHeaderName)
    /// A header the transaction layer needs does not parse.
    case malformedHeader(SIPHeaderName, SIPParseError)
    /// An outgoing request's top Via has no branch starting with the magic cookie (§8.1.1.7).
    case missingBranch
    /// This method cannot start this kind of transaction (ACK never starts one).
    case wrongMethod(SIPMethod)
    /// A transaction with this key already exists.
    case duplicateTransaction(SIPTransactionKey)
    /// The table holds its limit of transactions.
    case tableFull(limit: Int)
    /// No transaction has this key (it may have terminated).
    case noSuchTransaction(SIPTransactionKey)

    public var description: String {
        switch self {
        case .notARequest: return "a request was expected"
        case .notAResponse: return "a response was expected"
        case .missingHeader(let name): return "missing \(name) header"
        case .malformedHeader(let name, let error): return "bad \(name) header: \(error)"
        case .missingBranch: return "the top Via has no RFC 3261 branch"
        case .wrongMethod(let method): return "\(method) cannot start this transaction"
        case .duplicateTransaction(let key): return "transaction \(key) already exists"
        case .tableFull(let limit): return "transaction table full (\(limit))"
        case .noSuchTransaction(let key): return "no transaction \(key)"
        }
    }
}
