// SIPMessageParser: bytes to SIPMessage (RFC 3261 §7, §7.3.1 folding, §7.5 framing, §18.3 Content-Length).

/// How a message arrived: a datagram may omit Content-Length (the body is the rest of the datagram)
/// and extra octets after the body are dropped; on a stream Content-Length is mandatory.
public enum SIPFraming: Sendable {
    case datagram
    case stream
}

/// Start line and headers, before the body is attached.
struct SIPMessageHead {
    var startLine: SIPMessage.StartLine
    var version: String
    var headers: SIPHeaders
    /// Offset of the first body byte (just after the empty line).
    var bodyOffset: Int
    var contentLength: Int?
}

extension SIPMessage {
    /// Parses one message. On `.datagram` framing the bytes are one whole datagram.
    public init(parsing bytes: some Collection<UInt8>, framing: SIPFraming = .datagram) throws(SIPParseError) {
        let result: Result<SIPMessage, SIPParseError>? = bytes.withContiguousStorageIfAvailable { buf in
            do throws(SIPParseError) { return .success(try SIPMessageParser.parse(buf, framing: framing)) } catch { return .failure(error) }
        }
        if let result {
            self = try result.get()
        } else {
            let copy = Array(bytes)
            self = try copy.withUnsafeBufferPointer { (buf) throws(SIPParseError) -> SIPMessage in try SIPMessageParser.parse(buf, framing: framing) }
        }
    }

    public init(parsing text: String, framing: SIPFraming = .datagram) throws(SIPParseError) {
        try self.init(parsing: Array(text.utf8), framing: framing)
    }
}

enum SIPMessageParser {
    static func parse(_ buf: UnsafeBufferPointer<UInt8>, framing: SIPFraming) throws(SIPParseError) -> SIPMessage {
        guard buf.count <= SIPLimits.maxMessageBytes else {
            var e = SIPParseError("message larger than \(SIPLimits.maxMessageBytes) bytes", line: 1, column: 1)
            e.responseCode = 513
            throw e
        }
        let head = try parseHead(buf, framing: framing)
        let available = buf.count - head.bodyOffset
        let bodyCount: Int
        if let cl = head.contentLength {
            guard cl <= available else {
                throw SIPParseError("Content-Length \(cl) is larger than the \(available) body bytes present",
                                    line: lineOf(buf, head.bodyOffset), column: 1)
            }
            bodyCount = cl
        } else {
            guard framing == .datagram else { throw SIPParseError("Content-Length is required on a stream transport") }
            bodyCount = available
        }
        let body = Array(UnsafeBufferPointer(rebasing: buf[head.bodyOffset..<head.bodyOffset + bodyCount]))
        return SIPMessage(startLine: head.startLine, headers: head.headers, body: body, version: head.version)
    }

    static func lineOf(_ buf: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var line = 1
        for i in 0..<min(offset, buf.count) where buf[i] == ASCII.lf { line += 1 }
        return line
    }

    /// Where a header line's value starts, for error positions.
    struct FieldPosition {
        var line: Int
        var valueColumn: Int
    }

    /// Parses the start line and header fields up to and including the empty line, then validates them.
    /// `buf` may hold body bytes (or, for a stream, nothing more) after the empty line.
    static func parseHead(_ buf: UnsafeBufferPointer<UInt8>, framing: SIPFraming) throws(SIPParseError) -> SIPMessageHead {
        var i = 0
        var line = 1
        let n = buf.count
        // §7.5: CRLFs before the start line are ignored.
        while i < n, buf[i] == ASCII.cr || buf[i] == ASCII.lf {
            if buf[i] == ASCII.lf { line += 1 }
            i += 1
        }
        guard i < n else { throw SIPParseError("empty message", line: line, column: 1) }

        // Finds the end of the line starting at `from`: (index of CR or LF, index after LF).
        func lineEnd(_ from: Int) -> (Int, Int)? {
            var j = from
            while j < n {
                let b = buf[j]
                if b == ASCII.lf { return (j > from && buf[j - 1] == ASCII.cr ? j - 1 : j, j + 1) }
                j += 1
            }
            return nil
        }

        guard let (startEnd, afterStart) = lineEnd(i) else {
            throw SIPParseError("start line is not terminated by CRLF", line: line, column: 1)
        }
        guard startEnd - i <= SIPLimits.maxLineBytes else {
            throw SIPParseError("start line longer than \(SIPLimits.maxLineBytes) bytes", line: line, column: 1)
        }
        let (startLine, version) = try parseStartLine(UnsafeBufferPointer(rebasing: buf[i..<startEnd]), line: line)
        i = afterStart
        line += 1

        var fields: [SIPHeaderField] = []
        var positions: [FieldPosition] = []
        var folded: [UInt8] = []
        var bodyOffset = -1
        while i < n {
            let b = buf[i]
            if b == ASCII.cr || b == ASCII.lf {
                // The empty line ending the headers.
                if b == ASCII.cr {
                    guard i + 1 < n, buf[i + 1] == ASCII.lf else { throw SIPParseError("bare CR in headers", line: line, column: 1) }
                    bodyOffset = i + 2
                } else {
                    bodyOffset = i + 1
                }
                break
            }
            if b.isSIPWhitespace {
                throw SIPParseError("header line starts with whitespace but follows no header", line: line, column: 1)
            }
            guard fields.count < SIPLimits.maxHeaderFields else {
                throw SIPParseError("more than \(SIPLimits.maxHeaderFields) header fields", line: line, column: 1)
            }
            guard let (end, after) = lineEnd(i) else {
                if framing == .datagram { throw SIPParseError("header line is not terminated by CRLF", line: line, column: 1) }
                throw SIPParseError("headers are not terminated by an empty line", line: line, column: 1)
            }
            // header-name HCOLON: token, optional whitespace, ':'.
            var j = i
            var high = false
            while j < end, buf[j].isIn(.token) { j += 1 }
            let nameEnd = j
            guard nameEnd > i else { throw SIPParseError("invalid header name", line: line, column: 1) }
            while j < end, buf[j].isSIPWhitespace { j += 1 }
            guard j < end, buf[j] == ASCII.colon else {
                throw SIPParseError("expected ':' after the header name", line: line, column: j - i + 1)
            }
            j += 1
            while j < end, buf[j].isSIPWhitespace { j += 1 }
            let valueColumn = j - i + 1
            var valueEnd = end
            while valueEnd > j, buf[valueEnd - 1].isSIPWhitespace { valueEnd -= 1 }
            for k in j..<valueEnd {
                let c = buf[k]
                if c >= 0x80 {
                    high = true
                } else if c < 0x20 && c != ASCII.tab && !(k > j && buf[k - 1] == ASCII.backslash) {
                    // Only a quoted-pair may carry a control character (RFC 4475 §3.1.1.2).
                    throw SIPParseError("control character in header value", line: line, column: k - i + 1)
                }
            }
            let fieldLine = line
            var next = after
            line += 1
            let valueBytes = UnsafeBufferPointer(rebasing: buf[j..<valueEnd])
            var isFolded = false
            // §7.3.1: a line starting with whitespace continues the previous header.
            if next < n, buf[next].isSIPWhitespace {
                folded.removeAll(keepingCapacity: true)
                folded.append(contentsOf: valueBytes)
                while next < n, buf[next].isSIPWhitespace {
                    guard let (cEnd, cAfter) = lineEnd(next) else {
                        throw SIPParseError("header line is not terminated by CRLF", line: line, column: 1)
                    }
                    var s = next
                    while s < cEnd, buf[s].isSIPWhitespace { s += 1 }
                    var e = cEnd
                    while e > s, buf[e - 1].isSIPWhitespace { e -= 1 }
                    if s < e {
                        for k in s..<e {
                            let c = buf[k]
                            if c >= 0x80 { high = true } else if c < 0x20 && c != ASCII.tab && !(k > s && buf[k - 1] == ASCII.backslash) {
                                throw SIPParseError("control character in header value", line: line, column: k - next + 1)
                            }
                        }
                        if !folded.isEmpty { folded.append(ASCII.sp) }
                        folded.append(contentsOf: UnsafeBufferPointer(rebasing: buf[s..<e]))
                    }
                    guard folded.count <= SIPLimits.maxLineBytes else {
                        throw SIPParseError("header longer than \(SIPLimits.maxLineBytes) bytes", line: fieldLine, column: 1)
                    }
                    next = cAfter
                    line += 1
                }
                isFolded = true
            }
            guard isFolded || valueBytes.count <= SIPLimits.maxLineBytes else {
                throw SIPParseError("header longer than \(SIPLimits.maxLineBytes) bytes", line: fieldLine, column: 1)
            }
            let decoded: String?
            if isFolded {
                decoded = folded.withUnsafeBufferPointer { makeValue($0, high) }
            } else {
                decoded = makeValue(valueBytes, high)
            }
            guard let value = decoded else {
                throw SIPParseError("header value is not valid UTF-8", line: fieldLine, column: valueColumn)
            }
            let nameBytes = UnsafeBufferPointer(rebasing: buf[i..<nameEnd])
            let name = String(decoding: nameBytes, as: UTF8.self)
            fields.append(SIPHeaderField(name: name, key: SIPHeaderName.from(bytes: nameBytes, spelled: name), value: value))
            positions.append(FieldPosition(line: fieldLine, valueColumn: valueColumn))
            i = next
        }
        if bodyOffset < 0 {
            // A datagram may end right after the last header line.
            guard framing == .datagram, i == n else {
                throw SIPParseError("headers are not terminated by an empty line", line: line, column: 1)
            }
            bodyOffset = n
        }
        let parsed: SIPParsedHeaders
        do throws(SIPParseError) {
            parsed = try SIPMessageValidator.validate(startLine: startLine, headers: SIPHeaders(fields), positions: positions)
        } catch {
            // Message-level errors (a missing header) point at the empty line that ends the headers.
            var e = error
            if e.line == 0 { e.line = line; e.column = 1 }
            throw e
        }
        return SIPMessageHead(startLine: startLine, version: version, headers: SIPHeaders(fields, parsed: parsed),
                              bodyOffset: bodyOffset, contentLength: parsed.contentLength)
    }

    static func makeValue(_ bytes: UnsafeBufferPointer<UInt8>, _ high: Bool) -> String? {
        high ? String(validating: bytes, as: UTF8.self) : String(decoding: bytes, as: UTF8.self)
    }

    /// Request-Line = Method SP Request-URI SP SIP-Version; Status-Line = SIP-Version SP Status-Code SP Reason-Phrase.
    static func parseStartLine(_ buf: UnsafeBufferPointer<UInt8>, line: Int) throws(SIPParseError) -> (SIPMessage.StartLine, String) {
        var s = SIPScanner(buf)
        func fail(_ reason: String, _ column: Int? = nil) -> SIPParseError {
            SIPParseError(reason, line: line, column: (column ?? s.pos) + 1)
        }
        for b in buf where b < 0x20 && b != ASCII.tab { throw fail("control character in the start line") }
        if buf.count >= 4, buf[0] == 0x53, buf[1] == 0x49, buf[2] == 0x50, buf[3] == ASCII.slash {
            let v = s.take(while: .token)
            var versionEnd = v.upperBound
            if s.consume(ASCII.slash) { versionEnd = s.take(while: .token).upperBound }
            let version = s.string(0..<versionEnd)
            try checkVersion(version, line: line)
            guard s.consume(ASCII.sp) else { throw fail("expected a space after the SIP version") }
            let codeStart = s.pos
            let codeRange = s.take(while: .digit)
            guard codeRange.count == 3, let code = Int(s.string(codeRange)), (100...699).contains(code) else {
                throw fail("status code must be three digits from 100 to 699", codeStart)
            }
            guard s.consume(ASCII.sp) else {
                // A missing reason phrase with no space is tolerated (RFC 4475 §3.1.1.13 has the space).
                guard s.isAtEnd else { throw fail("expected a space after the status code") }
                return (.response(code: code, reason: ""), version)
            }
            guard let reason = String(validating: UnsafeBufferPointer(rebasing: buf[s.pos...]), as: UTF8.self) else {
                throw fail("reason phrase is not valid UTF-8")
            }
            return (.response(code: code, reason: reason), version)
        }
        let methodRange = s.take(while: .token)
        guard !methodRange.isEmpty else { throw fail("invalid request method") }
        guard s.consume(ASCII.sp) else { throw fail("expected a single space after the method") }
        guard s.peek != ASCII.sp else { throw fail("more than one space after the method") }
        let uriStart = s.pos
        var uriEnd = uriStart
        while uriEnd < buf.count, buf[uriEnd] != ASCII.sp { uriEnd += 1 }
        guard uriEnd < buf.count else { throw fail("request line has no SIP version") }
        if s.peek == ASCII.lt { throw fail("Request-URI must not be enclosed in '<>'") }
        let uri: URI
        do throws(SIPParseError) {
            uri = try URI.parse(&s, limit: uriEnd)
        } catch {
            throw SIPParseError("invalid Request-URI: \(error.reason)", line: line, column: error.column)
        }
        if case .sip(let u) = uri, !u.headers.isEmpty {
            throw fail("Request-URI must not carry headers (RFC 3261 §19.1.1)", uriStart)
        }
        s.pos = uriEnd + 1
        let versionStart = s.pos
        let version = s.string(versionStart..<buf.count)
        guard !version.isEmpty, !version.utf8.contains(ASCII.sp) else {
            throw fail("request line must be 'METHOD URI SIP/2.0' with single spaces", versionStart)
        }
        try checkVersion(version, line: line)
        return (.request(method: SIPMethod(s.string(methodRange)), uri: uri), version)
    }

    static func checkVersion(_ version: String, line: Int) throws(SIPParseError) {
        guard version == "SIP/2.0" || version.caseInsensitiveEquals("SIP/2.0") else {
            var e = SIPParseError("unsupported SIP version \(version)", line: line, column: 1)
            e.responseCode = 505
            throw e
        }
    }
}
