// SIPMessageValidator: whole-message checks after framing (RFC 3261 §8.1.1 mandatory headers, §20 grammar
// of each typed header, single-valued headers, CSeq method agreement).

enum SIPMessageValidator {
    /// Headers that may appear once only (a second one is a 400, RFC 4475 §3.3.8, §3.3.9).
    static func isSingleValued(_ name: SIPHeaderName) -> Bool {
        switch name {
        case .from, .to, .callID, .cseq, .maxForwards, .contentLength, .contentType, .expires, .minExpires,
             .rseq, .rack, .sessionExpires, .minSE, .retryAfter:
            return true
        default:
            return false
        }
    }

    /// Whether a credentials value begins with the Digest scheme (then it is parsed once, in full).
    static func startsWithDigestScheme(_ value: String) -> Bool {
        let u = value.utf8
        guard u.count > 7 else { return false }
        var i = u.startIndex
        for expected in "digest".utf8 {
            guard u[i].asciiLowercased == expected else { return false }
            i = u.index(after: i)
        }
        return u[i].isSIPWhitespace
    }

    /// Checks every typed header's grammar and the message-level rules. Returns the Content-Length.
    static func validate(startLine: SIPMessage.StartLine, headers: SIPHeaders,
                         positions: [SIPMessageParser.FieldPosition]) throws(SIPParseError) -> SIPParsedHeaders {
        // Line of the first field of each known name, indexed by name code (0: not seen).
        var seen = SeenLines()
        var contentLength: Int?
        var cseq: SIPCSeq?
        var via: [SIPVia] = []
        var from: SIPNameAddress?, to: SIPNameAddress?
        var callID: String?
        var maxForwards: Int?
        var contacts: [SIPContact] = []
        var routes: [SIPNameAddress] = [], recordRoutes: [SIPNameAddress] = []
        var contentType: SIPMediaType?
        var expires: UInt32?
        for (index, field) in headers.enumerated() {
            let position = positions[index]
            func located(_ e: SIPParseError) -> SIPParseError {
                var out = SIPParseError("\(field.key): \(e.reason)", line: position.line,
                                        column: position.valueColumn + max(e.column, 1) - 1)
                out.responseCode = e.responseCode
                return out
            }
            if field.key.code != 0 && seen[field.key] == nil { seen[field.key] = position.line }
            if isSingleValued(field.key) {
                if let first = seen[field.key], first != position.line {
                    throw SIPParseError("\(field.key) appears more than once (first on line \(first))",
                                        line: position.line, column: 1)
                }
            }
            guard field.key.code != 0 else { continue }
            do throws(SIPParseError) {
                switch field.key {
                case .via:
                    via += try SIPVia.parseList(field.value)
                    guard via.count <= SIPLimits.maxVias else { throw SIPParseError("more than \(SIPLimits.maxVias) Via values") }
                case .from: from = try SIPNameAddress.parse(field.value)
                case .to: to = try SIPNameAddress.parse(field.value)
                case .callID: callID = try SIPHeaderGrammar.callID(field.value)
                case .cseq: cseq = try SIPCSeq.parse(field.value)
                case .maxForwards: maxForwards = Int(try SIPHeaderGrammar.number(field.value, "Max-Forwards", max: 255))
                case .contentLength:
                    contentLength = Int(try SIPHeaderGrammar.number(field.value, "Content-Length", max: UInt64(SIPLimits.maxBodyBytes)))
                case .expires: expires = UInt32(try SIPHeaderGrammar.number(field.value, "Expires", max: UInt64(UInt32.max)))
                case .minExpires: _ = try SIPHeaderGrammar.number(field.value, "Min-Expires", max: UInt64(UInt32.max))
                case .rseq: _ = try SIPHeaderGrammar.number(field.value, "RSeq", max: UInt64(UInt32.max))
                case .contact: contacts += try SIPContact.parseList(field.value)
                case .route: routes += try SIPNameAddress.parseList(field.value, requireBrackets: true)
                case .recordRoute: recordRoutes += try SIPNameAddress.parseList(field.value, requireBrackets: true)
                case .path, .historyInfo: _ = try SIPNameAddress.parseList(field.value, requireBrackets: true)
                case .pAssertedIdentity, .pPreferredIdentity, .diversion: _ = try SIPNameAddress.parseList(field.value)
                case .pCalledPartyID: _ = try SIPNameAddress.parse(field.value)
                case .allow, .supported: try SIPHeaderGrammar.checkTokenList(field.value, allowEmpty: true)
                case .require, .unsupported, .proxyRequire: try SIPHeaderGrammar.checkTokenList(field.value, allowEmpty: false)
                case .contentType: contentType = try SIPMediaType.parse(field.value)
                case .accept: _ = try SIPMediaType.parseList(field.value)
                case .privacy: _ = try SIPHeaderGrammar.privacy(field.value)
                case .reason: _ = try SIPHeaderGrammar.reasons(field.value)
                case .sessionExpires, .minSE: _ = try SIPHeaderGrammar.deltaWithParameters(field.value, "\(field.key)")
                case .rack: _ = try SIPRAck.parse(field.value)
                case .retryAfter: _ = try SIPHeaderGrammar.retryAfter(field.value)
                case .warning: _ = try SIPHeaderGrammar.warnings(field.value)
                case .wwwAuthenticate, .proxyAuthenticate:
                    do { _ = try DigestAuthChallenge.parseList(field.value) } catch { throw SIPHeaders.asParseError(error) }
                case .authorization, .proxyAuthorization:
                    do {
                        if SIPMessageValidator.startsWithDigestScheme(field.value) {
                            _ = try DigestCredentials.parse(field.value)
                        } else {
                            _ = try DigestHeaderScanner.scan(field.value)
                        }
                    } catch {
                        throw SIPHeaders.asParseError(error)
                    }
                default: break
                }
            } catch {
                throw located(error)
            }
        }
        var missing: [String] = []
        if via.isEmpty { missing.append("Via") }
        for name in [SIPHeaderName.from, .to, .callID, .cseq] where seen[name] == nil { missing.append(name.description) }
        if !missing.isEmpty {
            throw SIPParseError("missing required header\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")
        }
        if case .request(let method, _) = startLine, let cseq, cseq.method != method {
            throw SIPParseError("CSeq method \(cseq.method) does not match the request method \(method)",
                                line: seen[.cseq] ?? 0, column: 1)
        }
        return SIPParsedHeaders(via: via, from: from, to: to, callID: callID, cseq: cseq, maxForwards: maxForwards,
                                contacts: contacts, routes: routes, recordRoutes: recordRoutes, contentType: contentType,
                                contentLength: contentLength, expires: expires)
    }
}

/// First line of each known header name, indexed by the name's code: no hashing per field.
struct SeenLines {
    private var lines = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    subscript(name: SIPHeaderName) -> Int? {
        get {
            let code = Int(name.code)
            guard code != 0 else { return nil }
            let line = withUnsafeBytes(of: lines) { $0.load(fromByteOffset: code * MemoryLayout<Int>.stride, as: Int.self) }
            return line == 0 ? nil : line
        }
        set {
            let code = Int(name.code)
            guard code != 0 else { return }
            withUnsafeMutableBytes(of: &lines) { $0.storeBytes(of: newValue ?? 0, toByteOffset: code * MemoryLayout<Int>.stride, as: Int.self) }
        }
    }
}
