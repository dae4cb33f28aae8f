// TrunkRegistrar: registration bindings per SIP user name (RFC 3261 §10.3) and the digest nonces the
// trunk issued (lifetime, last nonce count). Pure: time comes in as seconds.

public struct TrunkBinding: Sendable, Hashable {
    /// The Contact URI as registered.
    public var contact: String
    /// Where the REGISTER came from (the box's public address as the trunk saw it).
    public var sourceIP: String
    public var sourcePort: Int
    public var expiresAt: Int64
    /// The transport the REGISTER came over (`udp`, `tcp`, `tls`): incoming calls use the same one, on the
    /// box's own connection for TCP and TLS (the box is behind NAT and listens on no TLS port).
    public var transport: String = "udp"
}

public struct TrunkRegistrar: Sendable {
    public private(set) var bindings: [String: TrunkBinding] = [:]
    public static let defaultExpires: Int64 = 3600
    public static let minExpires: Int64 = 60
    public static let maxExpires: Int64 = 7200

    public init() {}

    /// Outcome of a REGISTER's binding update.
    public enum Update: Sendable, Equatable {
        case bound(expires: Int64)
        case removed
        /// Asked for less than Min-Expires (423).
        case tooBrief
    }

    /// Applies a REGISTER for `user`: `expires` 0 removes, nil means the default, others are clamped to the
    /// maximum; below the minimum is refused (423).
    public mutating func register(user: String, contact: String?, expires: Int64?, sourceIP: String, sourcePort: Int,
                                  transport: String = "udp", now: Int64) -> Update {
        let asked = expires ?? Self.defaultExpires
        if asked == 0 || contact == nil && expires == 0 {
            bindings[user] = nil
            return .removed
        }
        guard let contact else {
            // A query (no Contact): nothing changes.
            return bindings[user].map { .bound(expires: max(0, $0.expiresAt - now)) } ?? .removed
        }
        guard asked >= Self.minExpires else { return .tooBrief }
        let granted = min(asked, Self.maxExpires)
        bindings[user] = TrunkBinding(contact: contact, sourceIP: sourceIP, sourcePort: sourcePort, expiresAt: now + granted,
                                      transport: transport)
        return .bound(expires: granted)
    }

    /// The live binding of `user` at `now`.
    public func binding(_ user: String, now: Int64) -> TrunkBinding? {
        guard let b = bindings[user], b.expiresAt > now else { return nil }
        return b
    }
}

/// The nonces a digest challenger issued: each lives `lifetime` seconds; each nonce count is accepted once.
public struct NonceBook: Sendable {
    public var lifetime: Int64
    private var issued: [String: (at: Int64, lastCount: UInt32)] = [:]
    public static let capacity = 4096

    public init(lifetime: Int64 = 300) { self.lifetime = lifetime }

    public mutating func issue(_ nonce: String, now: Int64) {
        if issued.count >= Self.capacity { expire(now: now) }
        if issued.count >= Self.capacity { issued.removeAll() }
        issued[nonce] = (now, 0)
    }

    /// The last accepted count of a live nonce; nil when unknown or expired (the client gets stale=true).
    public mutating func lastCount(_ nonce: String, now: Int64) -> UInt32? {
        guard let e = issued[nonce] else { return nil }
        guard now - e.at < lifetime else { issued[nonce] = nil; return nil }
        return e.lastCount
    }

    public mutating func accept(_ nonce: String, count: UInt32) { issued[nonce]?.lastCount = count }

    mutating func expire(now: Int64) { issued = issued.filter { now - $0.value.at < lifetime } }
}
