// SIPStreamDecoder: whole SIP messages out of a TCP/TLS byte stream (RFC 3261 §18.3, RFC 5626 §4.4.1 keep-alives).

/// Feed it bytes as they arrive, in any chunking; take out whole messages and keep-alives. After an
/// error the stream is out of step and the connection should be closed (`SIPStreamDecoder` refuses
/// further input).
public struct SIPStreamDecoder: Sendable {
    public enum Item: Sendable, Hashable {
        case message(SIPMessage)
        /// CRLFCRLF: a keep-alive ping; answer with a pong (a single CRLF).
        case keepAlivePing
        /// A lone CRLF: a keep-alive pong.
        case keepAlivePong
    }

    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the end of headers resumes, so each byte is scanned once.
    private var scanFrom = 0
    /// Set once the head of the current message is parsed and its body is awaited.
    private var pendingHead: (head: SIPMessageHead, headerBytes: Int)?
    private var failed: SIPParseError?
    public let maxMessageBytes: Int
    /// On a flow this side opened (RFC 5626 §4.4.1: the client pings, the server pongs), a CRLF is a
    /// pong at once; otherwise a lone CRLF at the end of the bytes waits, as it may begin a ping.
    public let isFlowClient: Bool

    public init(maxMessageBytes: Int = SIPLimits.maxMessageBytes, isFlowClient: Bool = false) {
        self.maxMessageBytes = maxMessageBytes
        self.isFlowClient = isFlowClient
    }

    /// Bytes received but not yet returned as an item.
    public var bufferedByteCount: Int { buffer.count - start }

    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(SIPParseError) {
        if let failed { throw failed }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole item, or nil when more bytes are needed.
    public mutating func next() throws(SIPParseError) -> Item? {
        if let failed { throw failed }
        do throws(SIPParseError) {
            return try decode()
        } catch {
            failed = error
            throw error
        }
    }

    /// All whole items now available.
    public mutating func drain() throws(SIPParseError) -> [Item] {
        var items: [Item] = []
        while let item = try next() { items.append(item) }
        return items
    }

    private mutating func consume(_ count: Int) {
        start += count
        scanFrom = start
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4 * maxMessageBytes)
            start = 0
            scanFrom = 0
        } else if start > 4096 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
            scanFrom = 0
        }
    }

    private mutating func decode() throws(SIPParseError) -> Item? {
        if let (head, headerBytes) = pendingHead {
            let total = headerBytes + (head.contentLength ?? 0)
            guard buffer.count - start >= total else { return nil }
            let body = Array(buffer[(start + headerBytes)..<(start + total)])
            pendingHead = nil
            consume(total)
            return .message(SIPMessage(startLine: head.startLine, headers: head.headers, body: body, version: head.version))
        }
        // Keep-alives between messages.
        if start < buffer.count, buffer[start] == ASCII.cr || buffer[start] == ASCII.lf {
            let available = buffer.count - start
            if available >= 4, buffer[start] == ASCII.cr, buffer[start + 1] == ASCII.lf,
               buffer[start + 2] == ASCII.cr, buffer[start + 3] == ASCII.lf {
                consume(4)
                return .keepAlivePing
            }
            if available >= 2, buffer[start] == ASCII.cr, buffer[start + 1] == ASCII.lf {
                // CRLF then not-CRLF is a pong; CRLF CR might still become a ping.
                if !isFlowClient, available == 2 || (available == 3 && buffer[start + 2] == ASCII.cr) { return nil }
                consume(2)
                return .keepAlivePong
            }
            if buffer[start] == ASCII.lf { consume(1); return .keepAlivePong }
            if available < 2 { return nil }
            throw SIPParseError("bare CR between messages")
        }
        // Find CRLFCRLF (or LFLF) ending the headers, resuming where the last search stopped.
        var i = max(scanFrom, start)
        var headerEnd = -1
        while i < buffer.count {
            if buffer[i] == ASCII.lf {
                if i + 1 < buffer.count, buffer[i + 1] == ASCII.lf { headerEnd = i + 2; break }
                if i + 2 < buffer.count, buffer[i + 1] == ASCII.cr, buffer[i + 2] == ASCII.lf { headerEnd = i + 3; break }
            }
            i += 1
        }
        if headerEnd < 0 {
            scanFrom = max(start, buffer.count - 2)
            guard buffer.count - start <= maxMessageBytes else {
                var e = SIPParseError("headers longer than \(maxMessageBytes) bytes without an end")
                e.responseCode = 513
                throw e
            }
            return nil
        }
        let headerBytes = headerEnd - start
        let head = try buffer.withUnsafeBufferPointer { (buf) throws(SIPParseError) -> SIPMessageHead in
            try SIPMessageParser.parseHead(UnsafeBufferPointer(rebasing: buf[start..<headerEnd]), framing: .stream)
        }
        guard let length = head.contentLength else {
            throw SIPParseError("Content-Length is required on a stream transport")
        }
        guard headerBytes + length <= maxMessageBytes else {
            var e = SIPParseError("message of \(headerBytes + length) bytes is larger than \(maxMessageBytes)")
            e.responseCode = 513
            throw e
        }
        pendingHead = (head, headerBytes)
        return try decode()
    }
}
