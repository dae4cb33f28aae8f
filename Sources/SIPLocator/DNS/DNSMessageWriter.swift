// DNSMessageWriter: DNS wire format out, with name compression (RFC 1035 §4.1.4; RFC 2782 and RFC 3403 forbid it in their RDATA names).

// Appends wire-format fields to a buffer, remembering where each name suffix was written so later
// names can point at it.
struct DNSMessageWriter {
    private(set) var bytes: [UInt8] = []
    // Lowercased wire form of a name suffix -> its offset (only offsets a pointer can reach).
    private var suffixOffsets: [[UInt8]: Int] = [:]

    mutating func writeUInt8(_ v: UInt8) { bytes.append(v) }

    mutating func writeUInt16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func writeUInt32(_ v: UInt32) {
        writeUInt16(UInt16(truncatingIfNeeded: v >> 16))
        writeUInt16(UInt16(truncatingIfNeeded: v))
    }

    // Writes `name`, ending in a pointer to an earlier copy of its longest known suffix when
    // `compress` is set. Suffixes written here become pointer targets either way.
    mutating func writeName(_ name: DNSName, compress: Bool) {
        let labels = name.labels
        for i in labels.indices {
            let key = Self.key(labels[i...])
            if compress, let target = suffixOffsets[key] {
                writeUInt16(0xC000 | UInt16(target))
                return
            }
            if bytes.count < 0x4000, suffixOffsets[key] == nil { suffixOffsets[key] = bytes.count }
            bytes.append(UInt8(labels[i].count))
            bytes.append(contentsOf: labels[i])
        }
        bytes.append(0)
    }

    mutating func writeCharacterString(_ text: String) throws(DNSError) {
        let utf8 = Array(text.utf8)
        guard utf8.count <= DNSLimits.maxCharacterStringLength else { throw .characterStringTooLong(length: utf8.count) }
        bytes.append(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func writeQuestion(_ q: DNSQuestion) {
        writeName(q.name, compress: true)
        writeUInt16(q.type.rawValue)
        writeUInt16(q.class.rawValue)
    }

    mutating func writeRecord(_ r: DNSResourceRecord) throws(DNSError) {
        writeName(r.name, compress: true)
        writeUInt16(r.type.rawValue)
        writeUInt16(r.class.rawValue)
        writeUInt32(r.ttl)
        let lengthAt = bytes.count
        writeUInt16(0)
        switch r.data {
        case .a(let a): bytes.append(contentsOf: a.bytes)
        case .aaaa(let a): bytes.append(contentsOf: a.bytes)
        case .cname(let name): writeName(name, compress: true)
        case .srv(let srv):
            writeUInt16(srv.priority)
            writeUInt16(srv.weight)
            writeUInt16(srv.port)
            writeName(srv.target, compress: false)
        case .naptr(let naptr):
            writeUInt16(naptr.order)
            writeUInt16(naptr.preference)
            try writeCharacterString(naptr.flags)
            try writeCharacterString(naptr.services)
            try writeCharacterString(naptr.regexp)
            writeName(naptr.replacement, compress: false)
        case .unknown(let raw): bytes.append(contentsOf: raw)
        }
        let length = bytes.count - lengthAt - 2
        guard length <= 0xFFFF else { throw .messageTooLarge(size: bytes.count) }
        bytes[lengthAt] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[lengthAt + 1] = UInt8(truncatingIfNeeded: length)
    }

    private static func key(_ labels: ArraySlice<[UInt8]>) -> [UInt8] {
        var key: [UInt8] = []
        for label in labels {
            key.append(UInt8(label.count))
            key.append(contentsOf: label.map(DNSName.lowercase))
        }
        return key
    }
}
