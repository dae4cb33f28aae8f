// DNSMessageReader: bounds-checked reading of DNS wire format, names with compression (RFC 1035 §3.1, §4.1.4).

// A cursor over a whole message. Every read checks its bounds and throws `DNSError`; nothing traps.
// `limit` narrows reads to the current RDATA; names may still follow pointers anywhere in `bytes`.
struct DNSMessageReader {
    let bytes: [UInt8]
    var offset = 0
    var limit: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        limit = bytes.count
    }

    var remaining: Int { limit - offset }

    mutating func readUInt8() throws(DNSError) -> UInt8 {
        guard offset < limit else { throw .unexpectedEnd(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(DNSError) -> UInt16 {
        guard remaining >= 2 else { throw .unexpectedEnd(offset: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws(DNSError) -> UInt32 {
        guard remaining >= 4 else { throw .unexpectedEnd(offset: offset) }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    mutating func readBytes(_ count: Int) throws(DNSError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .unexpectedEnd(offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    // A length-prefixed character-string (RFC 1035 §3.3).
    mutating func readCharacterString() throws(DNSError) -> [UInt8] {
        let length = Int(try readUInt8())
        return try readBytes(length)
    }

    // The name at the cursor; the cursor moves past its in-place part (up to and including the
    // first pointer or the root octet).
    mutating func readName() throws(DNSError) -> DNSName {
        let (name, end) = try name(at: offset)
        offset = end
        return name
    }

    // Reads the name starting at `start`. Returns it and the offset just past its in-place part.
    // In-place labels must lie before `limit`; after a pointer, anywhere in the message.
    func name(at start: Int) throws(DNSError) -> (DNSName, Int) {
        var labels: [[UInt8]] = []
        var position = start
        var bound = limit
        var end: Int?
        var hops = 0
        var length = 1
        while true {
            guard position < bound else { throw .unexpectedEnd(offset: position) }
            let byte = bytes[position]
            switch byte & 0xC0 {
            case 0x00:
                let count = Int(byte)
                if count == 0 {
                    return (DNSName(validated: labels), end ?? position + 1)
                }
                guard bound - position - 1 >= count else { throw .unexpectedEnd(offset: position) }
                length += 1 + count
                guard length <= DNSLimits.maxNameLength else { throw .nameTooLong(length: length) }
                labels.append(Array(bytes[(position + 1)...(position + count)]))
                position += 1 + count
            case 0xC0:
                guard bound - position >= 2 else { throw .unexpectedEnd(offset: position) }
                let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                if end == nil { end = position + 2 }
                hops += 1
                guard hops <= DNSLimits.maxPointerHops else { throw .pointerLoop(offset: position) }
                guard target < bytes.count else { throw .pointerOutOfBounds(offset: position) }
                position = target
                bound = bytes.count
            default:
                throw .unsupportedLabelType(offset: position)
            }
        }
    }

    mutating func readQuestion() throws(DNSError) -> DNSQuestion {
        let name = try readName()
        let type = DNSRecordType(rawValue: try readUInt16())
        let cls = DNSRecordClass(rawValue: try readUInt16())
        return DNSQuestion(name: name, type: type, class: cls)
    }

    mutating func readRecord() throws(DNSError) -> DNSResourceRecord {
        let name = try readName()
        let type = DNSRecordType(rawValue: try readUInt16())
        let cls = DNSRecordClass(rawValue: try readUInt16())
        let rawTTL = try readUInt32()
        let length = Int(try readUInt16())
        let start = offset
        guard remaining >= length else { throw .unexpectedEnd(offset: offset) }
        let end = start + length
        limit = end
        defer {
            limit = bytes.count
            offset = end
        }
        let data: DNSRecordData
        do throws(DNSError) {
            data = try readData(type: type, class: cls, end: end)
        } catch {
            // RDATA is wholly inside the message, so running out inside it means its length is wrong.
            if case .unexpectedEnd = error { throw .badRecordLength(type: type, offset: start) }
            throw error
        }
        return DNSResourceRecord(name: name, type: type, class: cls, ttl: rawTTL > 0x7FFF_FFFF ? 0 : rawTTL, data: data)
    }

    private mutating func readData(type: DNSRecordType, class cls: DNSRecordClass, end: Int) throws(DNSError) -> DNSRecordData {
        let start = offset
        let data: DNSRecordData
        guard cls == .internet else { return .unknown(try readBytes(end - start)) }
        switch type {
        case .a:
            guard let a = IPv4Address(bytes: try readBytes(end - start)) else { throw .badRecordLength(type: type, offset: start) }
            data = .a(a)
        case .aaaa:
            guard let a = IPv6Address(bytes: try readBytes(end - start)) else { throw .badRecordLength(type: type, offset: start) }
            data = .aaaa(a)
        case .cname:
            data = .cname(try readName())
        case .srv:
            let priority = try readUInt16()
            let weight = try readUInt16()
            let port = try readUInt16()
            data = .srv(DNSSRVRecord(priority: priority, weight: weight, port: port, target: try readName()))
        case .naptr:
            let order = try readUInt16()
            let preference = try readUInt16()
            let flags = String(decoding: try readCharacterString(), as: UTF8.self)
            let services = String(decoding: try readCharacterString(), as: UTF8.self)
            let regexp = String(decoding: try readCharacterString(), as: UTF8.self)
            data = .naptr(DNSNAPTRRecord(order: order, preference: preference, flags: flags, services: services,
                                         regexp: regexp, replacement: try readName()))
        default:
            data = .unknown(try readBytes(end - start))
        }
        guard offset == end else { throw .badRecordLength(type: type, offset: start) }
        return data
    }
}
