// SIPBranch: Via branch values with the RFC 3261 magic cookie (§8.1.1.7), from random bytes the caller supplies.
import SIPCore

/// Branch generation and recognition. This target has no random source: the caller passes bytes
/// from one (at least `minimumRandomBytes`, 16 recommended) and gets "z9hG4bK" followed by their hex.
public enum SIPBranch {
    /// Fewer random bytes would make branches collide across the box's lifetime.
    public static let minimumRandomBytes = 8

    /// "z9hG4bK" followed by the bytes in lower-case hex.
    public static func make(randomBytes: some Collection<UInt8>) -> String {
        precondition(randomBytes.count >= minimumRandomBytes, "a branch needs at least \(minimumRandomBytes) random bytes")
        let digits = Array("0123456789abcdef".utf8)
        var out = Array(SIPVia.magicCookie.utf8)
        out.reserveCapacity(out.count + randomBytes.count * 2)
        for byte in randomBytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when the branch starts with the magic cookie and has something after it; a branch that is
    /// the cookie alone identifies nothing and is matched by RFC 2543 rules (RFC 4475 §3.2.1).
    public static func isRFC3261(_ branch: String?) -> Bool {
        guard let branch else { return false }
        return branch.hasPrefix(SIPVia.magicCookie) && branch.utf8.count > SIPVia.magicCookie.utf8.count
    }
}
