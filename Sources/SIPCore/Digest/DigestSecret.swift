// DigestSecret: the shared secret behind RFC 7616 §3.4.2 A1, a password or a stored HA1 (§5.2), never printed.

/// A password, or a precomputed HA1, that never appears in `description`, `debugDescription`,
/// `dump` or mirrors: all show `********`.
public struct DigestSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    enum Storage: Sendable {
        case password(String)
        // Lowercase hex H(username ":" realm ":" password) for one hash.
        case ha1(String, DigestHashKind)
    }

    let storage: Storage

    private init(storage: Storage) {
        self.storage = storage
    }

    /// A plain password; usable with every supported algorithm.
    public static func password(_ password: String) -> DigestSecret {
        DigestSecret(storage: .password(password))
    }

    /// A stored HA1 = H(username ":" realm ":" password) for the hash of `algorithm` (MD5 for MD5 and
    /// MD5-sess, SHA-256 for SHA-256 and SHA-256-sess). Throws when the algorithm is unsupported or the
    /// text is not hex of the right length.
    public static func precomputedHA1(_ hex: String, algorithm: DigestAlgorithm) throws -> DigestSecret {
        guard let kind = algorithm.hashKind else {
            throw SIPParseError("algorithm \(algorithm.token) is not supported")
        }
        guard hex.utf8.count == kind.hexLength, DigestHex.isHex(hex) else {
            throw SIPParseError("HA1 for \(algorithm.token) must be \(kind.hexLength) hex digits")
        }
        return DigestSecret(storage: .ha1(hex.lowercased(), kind))
    }

    /// Computes the HA1 to store instead of a password, or nil for an unsupported algorithm.
    public static func computeHA1(username: String, realm: String, password: String, algorithm: DigestAlgorithm) -> String? {
        algorithm.hashKind?.hex(joining: [username, realm, password])
    }

    /// Always `********`.
    public var description: String { "********" }

    /// Always `********`.
    public var debugDescription: String { "********" }

    /// A mirror with a single redacted child.
    public var customMirror: Mirror {
        Mirror(self, children: ["secret": "********"], displayStyle: .struct)
    }

    // HA1 = H(username ":" realm ":" password) for `kind`; nil when a stored HA1 is for another hash.
    func ha1(username: String, realm: String, kind: DigestHashKind) -> String? {
        switch storage {
        case .password(let password):
            return kind.hex(joining: [username, realm, password])
        case .ha1(let hex, let storedKind):
            return storedKind == kind ? hex : nil
        }
    }
}
