// FakeRegistrar: a registrar for the tests that challenges and verifies with SIPCore's DigestVerifier (RFC 3261 §10.3, §22.3).

import SIPCore

// Answers REGISTERs the way a digest-protected registrar does, building every response as text and
// parsing it with the real SIPCore parser.
final class FakeRegistrar {
    var realm = "sip.skype.com"
    var username = Fixture.username
    var password = Fixture.password
    // Algorithms offered, one challenge each, in this order; nil means no algorithm parameter (MD5).
    var algorithms: [DigestAlgorithm?] = [nil]
    // 401 (WWW-Authenticate) or 407 (Proxy-Authenticate).
    var challengeCode = 401
    var nonce = "nonce-1"
    var nonceSerial = 1
    var lastNonceCount: UInt32 = 0
    // Expiry granted in the Contact; nil grants what was asked.
    var grant: UInt32?
    // Hand out a new nonce with every challenge.
    var newNonceEveryChallenge = false
    // Mark re-challenges for an outdated nonce stale=true.
    var marksStale = true
    // Put the granted expiry in an Expires header only, with no Contact in the 200.
    var grantInExpiresHeaderOnly = false
    // A response to send instead of anything else, once per entry.
    var scripted: [(Int, [(String, String)])] = []
    var verdicts: [DigestVerification] = []
    var challengesSent = 0

    // Makes the current nonce outdated, as a registrar's nonce lifetime does.
    func expireNonce() {
        nonceSerial += 1
        nonce = "nonce-\(nonceSerial)"
        lastNonceCount = 0
    }

    func respond(to request: SIPMessage) throws -> SIPMessage {
        if !scripted.isEmpty {
            let (code, headers) = scripted.removeFirst()
            var r = request.response(code, toTag: "reg-tag")
            for (name, value) in headers { r.headers.add(SIPHeaderName(name), value) }
            return try SIPMessage(parsing: r.serialized())
        }
        let credentials = challengeCode == 407 ? try request.headers.proxyAuthorization : try request.headers.authorization
        guard let offered = credentials.first else { return try challenge(request, stale: false) }
        let verifier = DigestVerifier(realm: realm, nonce: nonce, algorithms: algorithms.map { $0 ?? .md5 }, qopOptions: [.auth])
        let verdict = verifier.verify(offered, username: username, secret: .password(password), method: "REGISTER",
                                      requestURI: request.requestURI?.description, lastNonceCount: lastNonceCount)
        verdicts.append(verdict)
        switch verdict {
        case .accepted(let nc):
            lastNonceCount = nc ?? lastNonceCount
            return try ok(request)
        case .stale:
            return try challenge(request, stale: marksStale)
        case .rejected:
            return try challenge(request, stale: false)
        }
    }

    func ok(_ request: SIPMessage) throws -> SIPMessage {
        var r = request.response(200, toTag: "reg-tag")
        let contacts = try request.headers.contacts
        let header = try request.headers.expires
        let asked = contacts.first?.expires ?? header ?? 3600
        if asked > 0 {
            let granted = grant ?? asked
            if grantInExpiresHeaderOnly {
                r.headers.add(.expires, String(granted))
            } else {
                // Another device's binding first, so the client must pick its own.
                r.headers.add(.contact, "<sip:\(username)@198.51.100.7:5062>;expires=77")
                if let mine = contacts.first?.address {
                    var mine = mine
                    mine.parameters.set("expires", String(granted))
                    r.headers.add(.contact, mine.description)
                }
            }
        }
        return try SIPMessage(parsing: r.serialized())
    }

    func challenge(_ request: SIPMessage, stale: Bool) throws -> SIPMessage {
        if newNonceEveryChallenge && challengesSent > 0 { expireNonce() }
        challengesSent += 1
        var r = request.response(challengeCode, toTag: "reg-tag")
        for algorithm in algorithms {
            let c = DigestChallenge(realm: realm, nonce: nonce, opaque: nil, algorithm: algorithm, qopOptions: [.auth], stale: stale)
            r.headers.add(challengeCode == 407 ? .proxyAuthenticate : .wwwAuthenticate, try c.serialized())
        }
        return try SIPMessage(parsing: r.serialized())
    }
}
