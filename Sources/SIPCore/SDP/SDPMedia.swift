// SDPMedia: one media description, the `m=` line and its i=/c=/b=/k=/a= lines (RFC 8866 §5.14).

/// A media section: `m=<media> <port>[/<count>] <proto> <fmt> ...` plus its own lines.
public struct SDPMedia: Sendable, Hashable {
    /// Media type: `audio`, `video`, `image`, `application`, ...
    public var mediaType: String
    /// Transport port; 0 marks a rejected or disabled stream (RFC 3264 §5.1, §6).
    public var port: UInt16
    /// Number of consecutive ports (`/<count>`), when given.
    public var portCount: Int?
    /// Transport protocol: `RTP/AVP`, `RTP/SAVP`, `RTP/AVPF`, `UDP/TLS/RTP/SAVP`, `udptl`, ...
    public var proto: String
    /// Format list; RTP payload type numbers for RTP protocols.
    public var formats: [String]
    /// Media title (`i=`).
    public var information: String?
    /// Connection data (`c=`); empty when the session-level connection applies.
    public var connections: [SDPConnection]
    /// Bandwidth lines (`b=`).
    public var bandwidths: [SDPBandwidth]
    /// Obsolete encryption key line (`k=`), verbatim.
    public var encryptionKey: String?
    /// Attribute lines (`a=`) in order, known and unknown alike.
    public var attributes: [SDPAttribute]
    /// Lines of unknown type within this section.
    public var unknownLines: [SDPUnknownLine]

    /// Creates a media section.
    public init(mediaType: String, port: UInt16, portCount: Int? = nil, proto: String, formats: [String],
                information: String? = nil, connections: [SDPConnection] = [], bandwidths: [SDPBandwidth] = [],
                encryptionKey: String? = nil, attributes: [SDPAttribute] = [], unknownLines: [SDPUnknownLine] = []) {
        self.mediaType = mediaType
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.information = information
        self.connections = connections
        self.bandwidths = bandwidths
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.unknownLines = unknownLines
    }

    /// The text that follows `m=`.
    public var lineValue: String {
        var s = "\(mediaType) \(port)"
        if let portCount { s += "/\(portCount)" }
        s += " " + proto
        for f in formats { s += " " + f }
        return s
    }

    // MARK: Protocol

    /// True when the protocol carries RTP (`RTP/AVP`, `RTP/SAVPF`, `UDP/TLS/RTP/SAVP`, ...).
    public var isRTP: Bool { SDPMedia.isRTP(proto: proto) }

    /// True for secure RTP profiles (SAVP, SAVPF).
    public var isSecure: Bool {
        SDPBytes.hasComponent(proto, "SAVP") || SDPBytes.hasComponent(proto, "SAVPF")
    }

    /// True when the stream is rejected or disabled (port 0).
    public var isRejected: Bool { port == 0 }

    static func isRTP(proto: String) -> Bool {
        SDPBytes.hasComponent(proto, "RTP")
    }

    // MARK: Typed attribute views

    /// Formats parsed as RTP payload types (formats that are not numbers in 0...127 are skipped).
    public var payloadTypes: [UInt8] {
        formats.compactMap { SDPBytes.decimal($0, max: 127).map { UInt8($0) } }
    }

    /// First attribute called `name` (ASCII case-insensitive).
    public func attribute(named name: String) -> SDPAttribute? { attributes.first(named: name) }

    /// Every `a=rtpmap` that parses, in order.
    public var rtpMaps: [SDPRtpMap] {
        attributes.compactMap { $0.hasName("rtpmap") ? $0.value.flatMap { try? SDPRtpMap(attributeValue: $0) } : nil }
    }

    /// The mapping for `payloadType`: its `a=rtpmap`, else the static assignment (0, 8, 9, 13, 18).
    /// Only the rtpmap lines that start with that number are parsed (the B2BUA asks this per format).
    public func rtpMap(forPayloadType payloadType: UInt8) -> SDPRtpMap? {
        for a in attributes where a.hasName("rtpmap") {
            guard let value = a.value, SDPRtpMap.leadingPayloadType(value) == payloadType,
                  let map = try? SDPRtpMap(attributeValue: value) else { continue }
            return map
        }
        return SDPRtpMap.staticPayloadType(payloadType)
    }

    /// The mapping of every listed payload type that has one, in format-list order.
    public var codecs: [SDPRtpMap] {
        let maps = rtpMaps
        return payloadTypes.compactMap { pt in
            maps.first { $0.payloadType == pt } ?? SDPRtpMap.staticPayloadType(pt)
        }
    }

    /// Listed RFC 4733 telephone-event mappings.
    public var telephoneEvents: [SDPRtpMap] { codecs.filter(\.isTelephoneEvent) }

    /// Every `a=fmtp` that parses, in order.
    public var fmtps: [SDPFmtp] {
        attributes.values(named: "fmtp").compactMap { try? SDPFmtp(attributeValue: $0) }
    }

    /// Format parameters for `format` (e.g. `"101"`).
    public func fmtp(forFormat format: String) -> SDPFmtp? {
        fmtps.first { $0.format == format }
    }

    /// Format parameters for an RTP payload type.
    public func fmtp(forPayloadType payloadType: UInt8) -> SDPFmtp? {
        fmtp(forFormat: String(payloadType))
    }

    /// `a=ptime` in milliseconds (a fractional value is truncated).
    public var ptime: Int? { attribute(named: "ptime")?.value.flatMap(SDPMedia.milliseconds) }

    /// `a=maxptime` in milliseconds (a fractional value is truncated).
    public var maxptime: Int? { attribute(named: "maxptime")?.value.flatMap(SDPMedia.milliseconds) }

    /// The media-level direction attribute; setting replaces any existing one (nil removes it).
    public var direction: SDPDirection? {
        get { attributes.direction }
        set { attributes.setDirection(newValue) }
    }

    /// `a=rtcp`, when present and valid.
    public var rtcp: SDPRtcp? {
        attribute(named: "rtcp")?.value.flatMap { try? SDPRtcp(attributeValue: $0) }
    }

    /// Whether `a=rtcp-mux` (RFC 5761 §5.1.1) is present; setting adds or removes it.
    public var rtcpMux: Bool {
        get { attribute(named: "rtcp-mux") != nil }
        set { attributes.setFlag("rtcp-mux", newValue) }
    }

    /// Every `a=crypto` that parses, in order.
    public var cryptos: [SDPCrypto] {
        attributes.values(named: "crypto").compactMap { try? SDPCrypto(attributeValue: $0) }
    }

    // Parses `non-zero-int-or-real` milliseconds, truncating any fraction.
    static func milliseconds(_ text: String) -> Int? {
        let bytes = Array(text.utf8)[...]
        guard let dot = SDPBytes.firstIndex(of: SDPBytes.dot, in: bytes) else {
            return SDPBytes.int(bytes, max: 1_000_000)
        }
        let fraction = bytes[(dot + 1)...]
        guard !fraction.isEmpty, fraction.count <= SDPLimits.maxNumberDigits, fraction.allSatisfy(SDPBytes.isDigit) else { return nil }
        return SDPBytes.int(bytes[bytes.startIndex..<dot], max: 1_000_000)
    }

    static func parseLine(_ value: ArraySlice<UInt8>) throws(SIPParseError) -> SDPMedia {
        let base = value.startIndex
        func fail(_ reason: String, _ at: Int) -> SIPParseError {
            SIPParseError(reason, line: 0, column: at - base + 1)
        }
        let f = SDPBytes.fields(value)
        guard f.count >= 3 else { throw fail("m= needs <media> <port> <proto> <fmt>...", base) }
        guard SDPBytes.isToken(f[0]) else { throw fail("m= media type is not a token", f[0].startIndex) }
        let portParts = SDPBytes.split(f[1], on: SDPBytes.slash)
        guard portParts.count <= 2 else { throw fail("m= port has more than one '/'", f[1].startIndex) }
        guard !portParts[0].isEmpty, portParts[0].allSatisfy(SDPBytes.isDigit) else {
            throw fail("m= port is not a number", f[1].startIndex)
        }
        guard let port = SDPBytes.decimal(portParts[0], max: 65_535) else {
            throw fail("m= port is out of range 0...65535", f[1].startIndex)
        }
        var count: Int?
        if portParts.count == 2 {
            guard let n = SDPBytes.int(portParts[1], max: 65_535), n >= 1 else {
                throw fail("m= port count is not a number in 1...65535", portParts[1].startIndex)
            }
            count = n
        }
        let protoParts = SDPBytes.split(f[2], on: SDPBytes.slash)
        for p in protoParts where !SDPBytes.isToken(p) {
            throw fail("m= protocol is not token *(/ token)", f[2].startIndex)
        }
        let proto = SDPBytes.string(f[2])
        let formatFields = f.dropFirst(3)
        guard formatFields.count <= SDPLimits.maxFormatsPerMedia else {
            throw fail("m= lists more than \(SDPLimits.maxFormatsPerMedia) formats", f[3].startIndex)
        }
        if formatFields.isEmpty && port != 0 {
            throw fail("m= lists no formats", f[2].endIndex)
        }
        let rtp = isRTP(proto: proto)
        var formats: [String] = []
        formats.reserveCapacity(formatFields.count)
        for fmt in formatFields {
            if rtp {
                guard SDPBytes.decimal(fmt, max: 127) != nil else {
                    throw fail("m= RTP format is not a payload type in 0...127", fmt.startIndex)
                }
            } else {
                guard SDPBytes.isToken(fmt) else { throw fail("m= format is not a token", fmt.startIndex) }
            }
            formats.append(SDPBytes.string(fmt))
        }
        return SDPMedia(mediaType: SDPBytes.string(f[0]), port: UInt16(port), portCount: count, proto: proto, formats: formats)
    }
}
