// SIPHeaders+Typed: typed views of the headers a B2BUA lives on (RFC 3261 §20 and the extensions named per view).

extension SIPHeaders {
    func single<T>(_ name: SIPHeaderName, _ parse: (String) throws(SIPParseError) -> T) throws(SIPParseError) -> T? {
        var found: String?
        for f in fields where f.key == name {
            guard found == nil else { throw SIPParseError("more than one \(name) header") }
            found = f.value
        }
        guard let found else { return nil }
        return try parse(found)
    }

    func list<T>(_ name: SIPHeaderName, _ parse: (String) throws(SIPParseError) -> [T]) throws(SIPParseError) -> [T] {
        var out: [T] = []
        for f in fields where f.key == name { out += try parse(f.value) }
        return out
    }

    // MARK: RFC 3261 core

    /// Via values, top first (§20.42).
    public var via: [SIPVia] { get throws(SIPParseError) { if let p = parsed { return p.via }; return try list(.via, SIPVia.parseList) } }
    public var topVia: SIPVia? { get throws(SIPParseError) { try via.first } }
    public var from: SIPNameAddress? { get throws(SIPParseError) { if let p = parsed { return p.from }; return try single(.from, SIPNameAddress.parse) } }
    public var to: SIPNameAddress? { get throws(SIPParseError) { if let p = parsed { return p.to }; return try single(.to, SIPNameAddress.parse) } }
    public var callID: String? { get throws(SIPParseError) { if let p = parsed { return p.callID }; return try single(.callID, SIPHeaderGrammar.callID) } }
    public var cseq: SIPCSeq? { get throws(SIPParseError) { if let p = parsed { return p.cseq }; return try single(.cseq, SIPCSeq.parse) } }
    public var maxForwards: Int? {
        get throws(SIPParseError) {
            if let p = parsed { return p.maxForwards }
            return try single(.maxForwards) { (v: String) throws(SIPParseError) in Int(try SIPHeaderGrammar.number(v, "Max-Forwards", max: 255)) }
        }
    }
    public var contacts: [SIPContact] { get throws(SIPParseError) { if let p = parsed { return p.contacts }; return try list(.contact, SIPContact.parseList) } }
    public var routes: [SIPNameAddress] {
        get throws(SIPParseError) { if let p = parsed { return p.routes }; return try list(.route) { (v: String) throws(SIPParseError) in try SIPNameAddress.parseList(v, requireBrackets: true) } }
    }
    public var recordRoutes: [SIPNameAddress] {
        get throws(SIPParseError) { if let p = parsed { return p.recordRoutes }; return try list(.recordRoute) { (v: String) throws(SIPParseError) in try SIPNameAddress.parseList(v, requireBrackets: true) } }
    }
    /// Path (RFC 3327).
    public var paths: [SIPNameAddress] {
        get throws(SIPParseError) { try list(.path) { (v: String) throws(SIPParseError) in try SIPNameAddress.parseList(v, requireBrackets: true) } }
    }
    public var expires: UInt32? { get throws(SIPParseError) { if let p = parsed { return p.expires }; return try single(.expires) { (v: String) throws(SIPParseError) in UInt32(try SIPHeaderGrammar.number(v, "Expires", max: UInt64(UInt32.max))) } } }
    public var minExpires: UInt32? { get throws(SIPParseError) { try single(.minExpires) { (v: String) throws(SIPParseError) in UInt32(try SIPHeaderGrammar.number(v, "Min-Expires", max: UInt64(UInt32.max))) } } }
    public var allow: [String] { get throws(SIPParseError) { try list(.allow) { (v: String) throws(SIPParseError) in try SIPHeaderGrammar.tokenList(v) } } }
    public var supported: [String] { get throws(SIPParseError) { try list(.supported) { (v: String) throws(SIPParseError) in try SIPHeaderGrammar.tokenList(v) } } }
    public var require: [String] { get throws(SIPParseError) { try list(.require) { (v: String) throws(SIPParseError) in try SIPHeaderGrammar.tokenList(v, allowEmpty: false) } } }
    public var unsupported: [String] { get throws(SIPParseError) { try list(.unsupported) { (v: String) throws(SIPParseError) in try SIPHeaderGrammar.tokenList(v, allowEmpty: false) } } }
    public var proxyRequire: [String] { get throws(SIPParseError) { try list(.proxyRequire) { (v: String) throws(SIPParseError) in try SIPHeaderGrammar.tokenList(v, allowEmpty: false) } } }
    public var contentType: SIPMediaType? { get throws(SIPParseError) { if let p = parsed { return p.contentType }; return try single(.contentType, SIPMediaType.parse) } }
    public var contentLength: Int? {
        get throws(SIPParseError) {
            if let p = parsed { return p.contentLength }
            return try single(.contentLength) { (v: String) throws(SIPParseError) in Int(try SIPHeaderGrammar.number(v, "Content-Length", max: UInt64(SIPLimits.maxBodyBytes))) }
        }
    }
    public var accept: [SIPMediaType] { get throws(SIPParseError) { try list(.accept, SIPMediaType.parseList) } }
    public var retryAfter: SIPDeltaSeconds? { get throws(SIPParseError) { try single(.retryAfter, SIPHeaderGrammar.retryAfter) } }
    public var warnings: [SIPWarning] { get throws(SIPParseError) { try list(.warning, SIPHeaderGrammar.warnings) } }
    public var userAgent: String? { self[.userAgent] }
    public var server: String? { self[.server] }

    // MARK: Identity (RFC 3325, RFC 3323), redirection (RFC 5806, RFC 7044)

    public var pAssertedIdentity: [SIPNameAddress] { get throws(SIPParseError) { try list(.pAssertedIdentity) { (v: String) throws(SIPParseError) in try SIPNameAddress.parseList(v) } } }
    public var pPreferredIdentity: [SIPNameAddress] { get throws(SIPParseError) { try list(.pPreferredIdentity) { (v: String) throws(SIPParseError) in try SIPNameAddress.parseList(v) } } }
    public var pCalledPartyID: SIPNameAddress? { get throws(SIPParseError) { try single(.pCalledPartyID, SIPNameAddress.parse) } }
    public var privacy: [String] { get throws(SIPParseError) { try list(.privacy, SIPHeaderGrammar.privacy) } }
    public var diversion: [SIPNameAddress] { get throws(SIPParseError) { try list(.diversion) { (v: String) throws(SIPParseError) in try SIPNameAddress.parseList(v) } } }
    public var historyInfo: [SIPNameAddress] { get throws(SIPParseError) { try list(.historyInfo) { (v: String) throws(SIPParseError) in try SIPNameAddress.parseList(v, requireBrackets: true) } } }
    /// Reason (RFC 3326).
    public var reasons: [SIPReason] { get throws(SIPParseError) { try list(.reason, SIPHeaderGrammar.reasons) } }

    // MARK: Session timers (RFC 4028), reliable provisional responses (RFC 3262)

    public var sessionExpires: SIPDeltaSeconds? { get throws(SIPParseError) { try single(.sessionExpires) { (v: String) throws(SIPParseError) in try SIPHeaderGrammar.deltaWithParameters(v, "Session-Expires") } } }
    public var minSE: SIPDeltaSeconds? { get throws(SIPParseError) { try single(.minSE) { (v: String) throws(SIPParseError) in try SIPHeaderGrammar.deltaWithParameters(v, "Min-SE") } } }
    public var rseq: UInt32? { get throws(SIPParseError) { try single(.rseq) { (v: String) throws(SIPParseError) in UInt32(try SIPHeaderGrammar.number(v, "RSeq", max: UInt64(UInt32.max))) } } }
    public var rack: SIPRAck? { get throws(SIPParseError) { try single(.rack, SIPRAck.parse) } }
}

// MARK: Authentication (RFC 3261 §20.7, §20.27, §20.28, §20.44; RFC 7616, RFC 8760)

extension SIPHeaders {
    func authChallenges(_ name: SIPHeaderName) throws(SIPParseError) -> [DigestAuthChallenge] {
        try list(name) { (v: String) throws(SIPParseError) in
            do { return try DigestAuthChallenge.parseList(v) } catch { throw SIPHeaders.asParseError(error) }
        }
    }

    func digestCredentials(_ name: SIPHeaderName) throws(SIPParseError) -> [DigestCredentials] {
        var out: [DigestCredentials] = []
        for f in fields where f.key == name {
            do {
                let scanned = try DigestHeaderScanner.scan(f.value)
                if scanned.first?.isDigest == true { out.append(try DigestCredentials.parse(f.value)) }
            } catch {
                throw SIPHeaders.asParseError(error)
            }
        }
        return out
    }

    static func asParseError(_ error: any Error) -> SIPParseError {
        (error as? SIPParseError) ?? SIPParseError("\(error)")
    }

    /// WWW-Authenticate challenges (a 401 may carry several; `DigestChallenge.preferred(from:)` picks one).
    public var wwwAuthenticate: [DigestAuthChallenge] { get throws(SIPParseError) { try authChallenges(.wwwAuthenticate) } }
    public var proxyAuthenticate: [DigestAuthChallenge] { get throws(SIPParseError) { try authChallenges(.proxyAuthenticate) } }
    /// Digest credentials in Authorization headers; credentials of other schemes are checked for syntax and skipped.
    public var authorization: [DigestCredentials] { get throws(SIPParseError) { try digestCredentials(.authorization) } }
    public var proxyAuthorization: [DigestCredentials] { get throws(SIPParseError) { try digestCredentials(.proxyAuthorization) } }
}
