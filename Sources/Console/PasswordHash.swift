// PasswordHash: the console password stored as pbkdf2-sha256$<iterations>$<salt>$<hash> (RFC 8018 §5.2).
import COpenSSL

/// A PBKDF2-HMAC-SHA256 password hash with its parameters, in the text form the store keeps:
/// `pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>`. New hashes use a 16-byte random salt
/// and at least `minimumIterations`; verification compares in constant time.
public struct PasswordHash: Sendable, Equatable, CustomStringConvertible {
    public static let scheme = "pbkdf2-sha256"
    /// The fewest iterations a new hash may use.
    public static let minimumIterations = 100_000
    /// The iterations used by default for new hashes.
    public static let defaultIterations = 200_000
    /// Stored hashes with more iterations are refused (a corrupt value must not stall the console).
    public static let maximumIterations = 10_000_000

    public let iterations: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Why a stored hash could not be read, or a new one could not be made.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Reads the stored text form.
    public init(parsing text: String) throws(Failure) {
        let parts = text.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == Self.scheme else {
            throw Failure(reason: "not a \(Self.scheme)$iterations$salt$hash value")
        }
        guard let n = CommandToken.integer(parts[1]), n >= 1, n <= Self.maximumIterations else {
            throw Failure(reason: "iteration count out of range")
        }
        guard let salt = Base64.decode(parts[2]), salt.count >= 8, salt.count <= 64 else { throw Failure(reason: "bad salt") }
        guard let hash = Base64.decode(parts[3]), hash.count >= 16, hash.count <= 64 else { throw Failure(reason: "bad hash") }
        self.iterations = n
        self.salt = salt
        self.hash = hash
    }

    /// A hash from its parts (as read from another store); the same limits as `init(parsing:)`.
    public init(iterations: Int, salt: [UInt8], hash: [UInt8]) throws(Failure) {
        try self.init(parsing: "\(Self.scheme)$\(iterations)$\(Base64.encode(salt))$\(Base64.encode(hash))")
    }

    /// Hashes `password` with a fresh 16-byte random salt.
    public init(password: [UInt8], iterations: Int = PasswordHash.defaultIterations) throws(Failure) {
        guard iterations >= Self.minimumIterations, iterations <= Self.maximumIterations else {
            throw Failure(reason: "iterations must be from \(Self.minimumIterations) to \(Self.maximumIterations)")
        }
        var salt = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&salt, 16) == 1 else { throw Failure(reason: "no random bytes available for the salt") }
        self.iterations = iterations
        self.salt = salt
        self.hash = try Self.pbkdf2(password: password, salt: salt, iterations: iterations, length: 32)
    }

    /// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) through OpenSSL's libcrypto.
    public static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws(Failure) -> [UInt8] {
        guard iterations >= 1, iterations <= maximumIterations, length >= 1, length <= 1024 else {
            throw Failure(reason: "PBKDF2 parameters out of range")
        }
        var out = [UInt8](repeating: 0, count: length)
        let ok = password.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { pc in
                PKCS5_PBKDF2_HMAC(pc.baseAddress, Int32(p.count), salt, Int32(salt.count), Int32(iterations),
                                  EVP_sha256(), Int32(length), &out)
            }
        }
        guard ok == 1 else { throw Failure(reason: "PBKDF2 failed in libcrypto") }
        return out
    }

    /// Whether `password` hashes to this value (constant-time comparison).
    public func verify(_ password: [UInt8]) -> Bool {
        guard let candidate = try? Self.pbkdf2(password: password, salt: salt, iterations: iterations, length: hash.count) else {
            return false
        }
        return Self.constantTimeEqual(candidate, hash)
    }

    /// Compares two byte strings of the same length without an early exit.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// The stored text form.
    public var encoded: String {
        "\(Self.scheme)$\(iterations)$\(Base64.encode(salt))$\(Base64.encode(hash))"
    }

    /// Describes the hash without its salt or value.
    public var description: String { "\(Self.scheme) (\(iterations) iterations)" }
}

/// The rule a new console password must meet.
public enum PasswordPolicy {
    public static let minimumLength = 8

    /// Why `password` is too weak, or nil when it is acceptable: at least 8 characters, at least two
    /// kinds of character (lower case, upper case, digits, others), not one character repeated, at most 128.
    public static func problem(with password: [UInt8]) -> String? {
        if password.count < minimumLength { return "at least \(minimumLength) characters are needed" }
        if password.count > 128 { return "at most 128 characters" }
        var kinds = Set<Int>()
        for b in password {
            switch b {
            case 0x61...0x7A: kinds.insert(0)
            case 0x41...0x5A: kinds.insert(1)
            case 0x30...0x39: kinds.insert(2)
            default: kinds.insert(3)
            }
        }
        if kinds.count < 2 { return "mix at least two kinds of character (letters, digits, others)" }
        if Set(password).count < 3 { return "too repetitive" }
        return nil
    }
}
