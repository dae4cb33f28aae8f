// SIPMessageValidator: whole-message checks after framing (RFC 3261 §8.1.1 mandatory headers, §20 grammar
// of each typed header, single-valued headers, CSeq method agreement).

enum SIPMessageValidator {
    /// Headers that may appear once only (a second one is a 400, RFC 4475 §3.3.8, §3.3.9).
    static let singleValued: Set<SIPHeaderName> = [
        .from, .to, .callID, .cseq, .maxForwards, .contentLength, .contentType, .expires, .minExpires,
        .rseq, .rack, .sessionExpires, .minSE, .retryAfter,
    ]

    /// Checks every typed header's grammar and the message-level rules. Returns the Content-Length.
    static func validate(startLine: SIPMessage.StartLine, headers: SIPHeaders,
                         positions: [SIPMessageParser.FieldPosition]) throws(SIPParseError) -> Int? {
        var seen: [SIPHeaderName: Int] = [:]
        var contentLength: Int?
        var cseq: SIPCSeq?
        var viaCount = 0
        for (index, field) in headers.enumerated() {
            let position = positions[index]
            func located(_ e: SIPParseError) -> SIPParseError {
                var out = SIPParseError("\(field.key): \(e.reason)", line: position.line,
                                        column: position.valueColumn + max(e.column, 1) - 1)
                out.responseCode = e.responseCode
                return out
            }
            if singleValued.contains(field.key) {
                if let first = seen[field.key] {
                    throw SIPParseError("\(field.key) appears more than once (first on line \(first))",
                                        line: position.line, column: 1)
                }
                seen[field.key] = position.line
            }
            do throws(SIPParseError) {
                switch field.key {
                case .via:
                    viaCount += try SIPVia.parseList(field.value).count
                    guard viaCount <= SIPLimits.maxVias else { throw SIPParseError("more than \(SIPLimits.maxVias) Via values") }
                case .from, .to: _ = try SIPNameAddress.parse(field.value)
                case .callID: _ = try SIPHeaderGrammar.callID(field.value)
                case .cseq: cseq = try SIPCSeq.parse(field.value)
                case .maxForwards: _ = try SIPHeaderGrammar.number(field.value, "Max-Forwards", max: 255)
                case .contentLength:
                    contentLength = Int(try SIPHeaderGrammar.number(field.value, "Content-Length", max: UInt64(SIPLimits.maxBodyBytes)))
                case .expires, .minExpires: _ = try SIPHeaderGrammar.number(field.value, "\(field.key)", max: UInt64(UInt32.max))
                case .rseq: _ = try SIPHeaderGrammar.number(field.value, "RSeq", max: UInt64(UInt32.max))
                case .contact: _ = try SIPContact.parseList(field.value)
                case .route, .recordRoute, .path, .historyInfo: _ = try SIPNameAddress.parseList(field.value, requireBrackets: true)
                case .pAssertedIdentity, .pPreferredIdentity, .diversion: _ = try SIPNameAddress.parseList(field.value)
                case .pCalledPartyID: _ = try SIPNameAddress.parse(field.value)
                case .allow, .supported: _ = try SIPHeaderGrammar.tokenList(field.value)
                case .require, .unsupported, .proxyRequire: _ = try SIPHeaderGrammar.tokenList(field.value, allowEmpty: false)
                case .contentType: _ = try SIPMediaType.parse(field.value)
                case .accept: _ = try SIPMediaType.parseList(field.value)
                case .privacy: _ = try SIPHeaderGrammar.privacy(field.value)
                case .reason: _ = try SIPHeaderGrammar.reasons(field.value)
                case .sessionExpires, .minSE: _ = try SIPHeaderGrammar.deltaWithParameters(field.value, "\(field.key)")
                case .rack: _ = try SIPRAck.parse(field.value)
                case .retryAfter: _ = try SIPHeaderGrammar.retryAfter(field.value)
                case .warning: _ = try SIPHeaderGrammar.warnings(field.value)
                default: break
                }
            } catch {
                throw located(error)
            }
        }
        var missing: [String] = []
        if viaCount == 0 { missing.append("Via") }
        for name in [SIPHeaderName.from, .to, .callID, .cseq] where seen[name] == nil { missing.append(name.description) }
        if !missing.isEmpty {
            throw SIPParseError("missing required header\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")
        }
        if case .request(let method, _) = startLine, let cseq, cseq.method != method {
            throw SIPParseError("CSeq method \(cseq.method) does not match the request method \(method)",
                                line: seen[.cseq] ?? 0, column: 1)
        }
        return contentLength
    }
}
