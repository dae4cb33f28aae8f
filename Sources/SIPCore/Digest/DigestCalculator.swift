// DigestCalculator: the request-digest computation of RFC 7616 §3.4.1-§3.4.3 (and RFC 2617 §3.2.2.1 without qop).

// Computes HA1, HA2 and the response for both the client and the verifier.
enum DigestCalculator {
    struct Input {
        var algorithm: DigestAlgorithm
        var username: String
        var realm: String
        var secret: DigestSecret
        var method: String
        var uri: String
        var nonce: String
        var cnonce: String?
        var nonceCount: UInt32?
        var qop: DigestQop?
        var body: [UInt8]
    }

    // The lowercase hex request-digest.
    static func response(_ input: Input) throws -> String {
        guard let kind = input.algorithm.hashKind else {
            throw SIPParseError("digest algorithm \(input.algorithm.token) is not supported")
        }
        guard let baseHA1 = input.secret.ha1(username: input.username, realm: input.realm, kind: kind) else {
            throw SIPParseError("the stored HA1 is for a different hash than \(input.algorithm.token)")
        }

        // A1 for -sess also covers the nonce and cnonce (RFC 7616 §3.4.2).
        let ha1: String
        if input.algorithm.isSession {
            guard let cnonce = input.cnonce else {
                throw SIPParseError("\(input.algorithm.token) needs a cnonce")
            }
            ha1 = kind.hex(joining: [baseHA1, input.nonce, cnonce])
        } else {
            ha1 = baseHA1
        }

        // A2 (RFC 7616 §3.4.3): auth-int adds H(entity-body).
        let ha2: String
        switch input.qop {
        case nil, .auth?:
            ha2 = kind.hex(joining: [input.method, input.uri])
        case .authInt?:
            ha2 = kind.hex(joining: [input.method, input.uri, kind.hex(bytes: input.body)])
        case .other(let token)?:
            throw SIPParseError("qop \(token) is not supported")
        }

        guard let qop = input.qop else {
            // RFC 2069 compatibility: no cnonce or nc.
            return kind.hex(joining: [ha1, input.nonce, ha2])
        }
        guard let cnonce = input.cnonce else {
            throw SIPParseError("qop=\(qop.token) needs a cnonce")
        }
        guard let nonceCount = input.nonceCount else {
            throw SIPParseError("qop=\(qop.token) needs a nonce count")
        }
        return kind.hex(joining: [ha1, input.nonce, DigestHex.nonceCount(nonceCount), cnonce, qop.token, ha2])
    }
}
