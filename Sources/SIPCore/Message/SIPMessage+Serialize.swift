// SIPMessage+Serialize: SIPMessage to bytes (RFC 3261 §7), Content-Length always matching the body.

extension SIPMessage {
    /// The message as sent on the wire. Header fields keep their order, name spelling and value text,
    /// so a canonical message (`Name: value` lines, CRLF, correct Content-Length) comes back byte-identical.
    /// A missing or wrong Content-Length is written to match the body.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + headers.count * 48 + body.count)
        func put(_ s: String) {
            var s = s
            s.withUTF8 { out.append(contentsOf: $0) }
        }
        switch startLine {
        case .request(let method, let uri):
            put(method.rawValue); out.append(ASCII.sp); put(uri.description); out.append(ASCII.sp); put(version)
        case .response(let code, let reason):
            put(version); out.append(ASCII.sp); put(String(code)); out.append(ASCII.sp); put(reason)
        }
        out.append(ASCII.cr); out.append(ASCII.lf)
        var wroteLength = false
        for field in headers {
            if field.key == .contentLength {
                if wroteLength { continue }
                wroteLength = true
                put(field.name); out.append(ASCII.colon); out.append(ASCII.sp)
                if Int(field.value) == body.count { put(field.value) } else { put(String(body.count)) }
            } else {
                put(field.name); out.append(ASCII.colon); out.append(ASCII.sp); put(field.value)
            }
            out.append(ASCII.cr); out.append(ASCII.lf)
        }
        if !wroteLength {
            put("Content-Length: "); put(String(body.count)); out.append(ASCII.cr); out.append(ASCII.lf)
        }
        out.append(ASCII.cr); out.append(ASCII.lf)
        out.append(contentsOf: body)
        return out
    }

    /// The serialized message as text (bodies that are not UTF-8 are shown with replacement characters).
    public var text: String { String(decoding: serialized(), as: UTF8.self) }
}
