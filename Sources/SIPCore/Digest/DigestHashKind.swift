// DigestHashKind: the H() and KD() functions of RFC 7616 §3.4.1, dispatched to MD5 or SHA-256.

// The hash behind a supported digest algorithm.
enum DigestHashKind: Sendable, Hashable {
    case md5
    case sha256

    // Length of H() output in hex digits.
    var hexLength: Int {
        switch self {
        case .md5: 32
        case .sha256: 64
        }
    }

    // H(p0 ":" p1 ":" ...) as lowercase hex, fed piecewise so nothing is concatenated.
    func hex(joining parts: [String]) -> String {
        switch self {
        case .md5: Self.run(MD5.self, parts)
        case .sha256: Self.run(SHA256.self, parts)
        }
    }

    // H(bytes) as lowercase hex (the H(entity-body) of qop=auth-int).
    func hex(bytes: [UInt8]) -> String {
        switch self {
        case .md5: MD5.hexDigest(bytes)
        case .sha256: SHA256.hexDigest(bytes)
        }
    }

    private static func run<H: DigestHashFunction>(_ type: H.Type, _ parts: [String]) -> String {
        var hasher = H()
        for (index, part) in parts.enumerated() {
            if index > 0 {
                hasher.update(CollectionOfOne(UInt8(ascii: ":")))
            }
            hasher.update(part)
        }
        return hasher.finalizeHex()
    }
}
