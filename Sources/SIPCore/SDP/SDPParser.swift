// SDPParser: the line-by-line SDP reader (RFC 8866 §5, §9 grammar), tolerant of field order, strict on field syntax.

// Internal single-pass parser. Works on the UTF-8 bytes, checks every limit in `SDPLimits`,
// and reports the 1-based line and column of the first fault.
struct SDPParser {
    private let bytes: [UInt8]
    private var lineNumber = 0
    private var lineStart = 0

    private var origin: SDPOrigin?
    private var session = SDPSession(origin: SDPOrigin(sessionID: "0", sessionVersion: 0, address: "0.0.0.0"),
                                     sessionName: "", timings: [])
    private var sawSessionName = false
    // Bit per letter a...z of the single-occurrence lines seen in the current section.
    private var seen: UInt32 = 0
    // Type letter of the last recognized line in the current section.
    private var lastKnown: UInt8 = 0x76
    private var sessionAttributeCount = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Stable sort of unknown lines by where serialization puts them (the rank of the line they follow;
    /// t and r share a slot, anything else goes last).
    static func canonicalOrder(_ lines: [SDPUnknownLine], ranks: String) -> [SDPUnknownLine] {
        func rank(_ c: Character) -> Int {
            if c == "r", let t = ranks.firstIndex(of: "t") { return ranks.distance(from: ranks.startIndex, to: t) }
            guard let i = ranks.firstIndex(of: c) else { return ranks.count }
            return ranks.distance(from: ranks.startIndex, to: i)
        }
        return lines.enumerated().sorted { (rank($0.element.follows), $0.offset) < (rank($1.element.follows), $1.offset) }.map(\.element)
    }

    static func parse(_ bytes: [UInt8]) throws(SIPParseError) -> SDPSession {
        var p = SDPParser(bytes: bytes)
        return try p.run()
    }

    private func fail(_ reason: String, column: Int = 1) -> SIPParseError {
        SIPParseError(reason, line: lineNumber, column: column)
    }

    // Moves a sub-parser's error (column relative to `slice`) to this line.
    private func relocate(_ error: SIPParseError, in slice: ArraySlice<UInt8>) -> SIPParseError {
        SIPParseError(error.reason, line: lineNumber,
                      column: error.column > 0 ? slice.startIndex - lineStart + error.column : slice.startIndex - lineStart + 1)
    }

    private mutating func run() throws(SIPParseError) -> SDPSession {
        let n = bytes.count
        var pos = 0
        var blankLine: Int?
        var sawVersion = false
        while pos < n {
            var end = pos
            while end < n && bytes[end] != SDPBytes.lf { end += 1 }
            var contentEnd = end
            if contentEnd > pos && bytes[contentEnd - 1] == SDPBytes.cr { contentEnd -= 1 }
            lineNumber += 1
            lineStart = pos
            pos = end + 1
            guard lineNumber <= SDPLimits.maxLines else {
                throw fail("SDP body has more than \(SDPLimits.maxLines) lines")
            }
            let line = bytes[lineStart..<contentEnd]
            if line.isEmpty {
                if blankLine == nil { blankLine = lineNumber }
                continue
            }
            if let blank = blankLine {
                throw SIPParseError("empty line inside SDP body", line: blank, column: 1)
            }
            guard line.count <= SDPLimits.maxLineLength else {
                throw fail("line is longer than \(SDPLimits.maxLineLength) bytes", column: SDPLimits.maxLineLength + 1)
            }
            try checkBytes(line)
            let type = line[lineStart]
            guard line.count >= 2, type >= 0x61, type <= 0x7A, line[lineStart + 1] == SDPBytes.equals else {
                throw fail("expected <type>=<value> with a lower-case type letter", column: 1)
            }
            let value = line[(lineStart + 2)...]
            if !sawVersion {
                guard type == 0x76 else { throw fail("SDP body must begin with v=") }
                guard value.elementsEqual([0x30]) else { throw fail("unsupported SDP version (only v=0)", column: 3) }
                sawVersion = true
                continue
            }
            if session.media.isEmpty {
                try sessionLine(type, value)
            } else {
                try mediaLine(type, value)
            }
        }
        guard sawVersion else { throw SIPParseError("SDP body is empty (no v= line)", line: 1, column: 1) }
        guard let origin else { throw SIPParseError("SDP body has no o= line", line: lineNumber, column: 1) }
        // RFC 8866 requires s=, but some user agents leave it out; "-" is the conventional empty name.
        if !sawSessionName { session.sessionName = "-" }
        session.origin = origin
        // Unknown lines are written after the known line type they followed, in RFC 8866 order; order
        // them the same way now, so a body with lines out of order parses equal to its serialization.
        session.unknownLines = SDPParser.canonicalOrder(session.unknownLines, ranks: "vosiuepcbtrzka")
        for i in session.media.indices {
            session.media[i].unknownLines = SDPParser.canonicalOrder(session.media[i].unknownLines, ranks: "micbka")
        }
        return session
    }

    // Refuses NUL, a CR not followed by LF, and malformed UTF-8.
    private func checkBytes(_ line: ArraySlice<UInt8>) throws(SIPParseError) {
        for i in line.indices where line[i] == 0 || line[i] == SDPBytes.cr {
            throw fail(line[i] == 0 ? "NUL byte in SDP line" : "CR not followed by LF", column: i - lineStart + 1)
        }
        if let bad = SDPBytes.firstInvalidUTF8(in: line) {
            throw fail("invalid UTF-8 in SDP line", column: bad - lineStart + 1)
        }
    }

    private mutating func once(_ type: UInt8) throws(SIPParseError) {
        let bit: UInt32 = 1 << UInt32(type - 0x61)
        guard seen & bit == 0 else {
            throw fail("duplicate \(Character(Unicode.Scalar(type)))= line")
        }
        seen |= bit
    }

    private mutating func sessionLine(_ type: UInt8, _ value: ArraySlice<UInt8>) throws(SIPParseError) {
        switch type {
        case 0x76: // v
            throw fail("duplicate v= line")
        case 0x6F: // o
            try once(type)
            do throws(SIPParseError) { origin = try SDPOrigin.parse(value) } catch { throw relocate(error, in: value) }
        case 0x73: // s
            try once(type)
            session.sessionName = SDPBytes.string(value)
            sawSessionName = true
        case 0x69: // i
            try once(type)
            session.information = SDPBytes.string(value)
        case 0x75: // u
            try once(type)
            session.uri = SDPBytes.string(value)
        case 0x65: // e
            session.emails.append(SDPBytes.string(value))
        case 0x70: // p
            session.phones.append(SDPBytes.string(value))
        case 0x63: // c
            try once(type)
            do throws(SIPParseError) { session.connection = try SDPConnection.parse(value) } catch { throw relocate(error, in: value) }
        case 0x62: // b
            do throws(SIPParseError) { session.bandwidths.append(try SDPBandwidth.parse(value)) } catch { throw relocate(error, in: value) }
        case 0x74: // t
            guard session.timings.count < SDPLimits.maxTimings else {
                throw fail("SDP body has more than \(SDPLimits.maxTimings) t= lines")
            }
            do throws(SIPParseError) { session.timings.append(try SDPTiming.parse(value)) } catch { throw relocate(error, in: value) }
        case 0x72: // r
            guard !session.timings.isEmpty else { throw fail("r= line without a preceding t= line") }
            let last = session.timings.count - 1
            guard session.timings[last].repeats.count < SDPLimits.maxRepeatsPerTiming else {
                throw fail("more than \(SDPLimits.maxRepeatsPerTiming) r= lines for one t= line")
            }
            do throws(SIPParseError) { try SDPTiming.validateRepeat(value) } catch { throw relocate(error, in: value) }
            session.timings[last].repeats.append(SDPBytes.string(value))
        case 0x7A: // z
            try once(type)
            do throws(SIPParseError) { try SDPTiming.validateTimeZones(value) } catch { throw relocate(error, in: value) }
            session.timeZones = SDPBytes.string(value)
        case 0x6B: // k
            try once(type)
            session.encryptionKey = SDPBytes.string(value)
        case 0x61: // a
            guard sessionAttributeCount < SDPLimits.maxAttributesPerSection else {
                throw fail("more than \(SDPLimits.maxAttributesPerSection) session-level a= lines")
            }
            sessionAttributeCount += 1
            session.attributes.append(try attribute(value))
        case 0x6D: // m
            guard origin != nil else { throw fail("m= line before the o= line") }
            try startMedia(value)
            return
        default:
            // t= and r= lines are written back as one block, so an unknown line after either follows "t".
            let follows: UInt8 = lastKnown == 0x72 ? 0x74 : lastKnown
            session.unknownLines.append(SDPUnknownLine(type: Character(Unicode.Scalar(type)), value: SDPBytes.string(value),
                                                       follows: Character(Unicode.Scalar(follows))))
            return
        }
        lastKnown = type
    }

    private mutating func startMedia(_ value: ArraySlice<UInt8>) throws(SIPParseError) {
        guard session.media.count < SDPLimits.maxMediaSections else {
            throw fail("more than \(SDPLimits.maxMediaSections) m= lines")
        }
        do throws(SIPParseError) { session.media.append(try SDPMedia.parseLine(value)) } catch { throw relocate(error, in: value) }
        seen = 0
        lastKnown = 0x6D
    }

    private mutating func mediaLine(_ type: UInt8, _ value: ArraySlice<UInt8>) throws(SIPParseError) {
        let index = session.media.count - 1
        switch type {
        case 0x6D: // m
            try startMedia(value)
            return
        case 0x69: // i
            try once(type)
            session.media[index].information = SDPBytes.string(value)
        case 0x63: // c
            do throws(SIPParseError) {
                session.media[index].connections.append(try SDPConnection.parse(value))
            } catch { throw relocate(error, in: value) }
        case 0x62: // b
            do throws(SIPParseError) {
                session.media[index].bandwidths.append(try SDPBandwidth.parse(value))
            } catch { throw relocate(error, in: value) }
        case 0x6B: // k
            try once(type)
            session.media[index].encryptionKey = SDPBytes.string(value)
        case 0x61: // a
            guard session.media[index].attributes.count < SDPLimits.maxAttributesPerSection else {
                throw fail("more than \(SDPLimits.maxAttributesPerSection) a= lines in one media section")
            }
            session.media[index].attributes.append(try attribute(value))
        case 0x76, 0x6F, 0x73, 0x75, 0x65, 0x70, 0x74, 0x72, 0x7A: // v o s u e p t r z
            throw fail("\(Character(Unicode.Scalar(type)))= line is not allowed in a media section")
        default:
            session.media[index].unknownLines.append(SDPUnknownLine(type: Character(Unicode.Scalar(type)),
                                                                    value: SDPBytes.string(value),
                                                                    follows: Character(Unicode.Scalar(lastKnown))))
            return
        }
        lastKnown = type
    }

    // Parses an `a=` line and checks the syntax of the attributes trunkbox interprets.
    private func attribute(_ text: ArraySlice<UInt8>) throws(SIPParseError) -> SDPAttribute {
        let attr: SDPAttribute
        do throws(SIPParseError) { attr = try SDPAttribute.parse(text) } catch { throw relocate(error, in: text) }
        guard let colon = SDPBytes.firstIndex(of: SDPBytes.colon, in: text) else { return attr }
        let value = text[(colon + 1)...]
        do throws(SIPParseError) {
            if attr.hasName("rtpmap") {
                _ = try SDPRtpMap.parse(value)
            } else if attr.hasName("fmtp") {
                _ = try SDPFmtp.parse(value)
            } else if attr.hasName("crypto") {
                _ = try SDPCrypto.parse(value)
            } else if attr.hasName("rtcp") {
                _ = try SDPRtcp.parse(value)
            } else if attr.hasName("ptime") || attr.hasName("maxptime") {
                guard SDPMedia.milliseconds(SDPBytes.string(value)) != nil else {
                    throw SIPParseError("\(attr.name) is not a number of milliseconds", line: 0, column: 1)
                }
            }
        } catch {
            throw relocate(SIPParseError("a=\(attr.name): " + error.reason, line: 0, column: error.column), in: value)
        }
        return attr
    }
}
