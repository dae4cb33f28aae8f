// SDPSession: a whole session description (RFC 8866 §5): parse from bytes or text, serialize with CRLF.

/// A parsed SDP body. Lines are kept in typed fields; attributes and lines of unknown type keep
/// their text and order, so serializing a canonical body gives it back byte for byte.
public struct SDPSession: Sendable, Hashable, CustomStringConvertible {
    /// `o=`: originator and session version.
    public var origin: SDPOrigin
    /// `s=`: session name (`-` or a single space when there is none).
    public var sessionName: String
    /// `i=`: session information.
    public var information: String?
    /// `u=`: URI of a description.
    public var uri: String?
    /// `e=` lines.
    public var emails: [String]
    /// `p=` lines.
    public var phones: [String]
    /// Session-level `c=`, the default for media sections without their own.
    public var connection: SDPConnection?
    /// Session-level `b=` lines.
    public var bandwidths: [SDPBandwidth]
    /// `t=` lines, each with its `r=` lines.
    public var timings: [SDPTiming]
    /// `z=` line, verbatim.
    public var timeZones: String?
    /// Session-level `k=` line (obsolete), verbatim.
    public var encryptionKey: String?
    /// Session-level `a=` lines in order.
    public var attributes: [SDPAttribute]
    /// Media sections in order.
    public var media: [SDPMedia]
    /// Session-level lines of unknown type.
    public var unknownLines: [SDPUnknownLine]

    /// Creates a session description; the defaults give `s=-` and `t=0 0`.
    public init(origin: SDPOrigin, sessionName: String = "-", information: String? = nil, uri: String? = nil,
                emails: [String] = [], phones: [String] = [], connection: SDPConnection? = nil,
                bandwidths: [SDPBandwidth] = [], timings: [SDPTiming] = [SDPTiming()], timeZones: String? = nil,
                encryptionKey: String? = nil, attributes: [SDPAttribute] = [], media: [SDPMedia] = [],
                unknownLines: [SDPUnknownLine] = []) {
        self.origin = origin
        self.sessionName = sessionName
        self.information = information
        self.uri = uri
        self.emails = emails
        self.phones = phones
        self.connection = connection
        self.bandwidths = bandwidths
        self.timings = timings
        self.timeZones = timeZones
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.media = media
        self.unknownLines = unknownLines
    }

    /// Parses an SDP body given as UTF-8 bytes; lines may end in CRLF or a bare LF.
    /// Throws `SIPParseError` carrying the 1-based line (and column) of the first fault.
    public init(parsing bytes: some Collection<UInt8>) throws(SIPParseError) {
        guard bytes.count <= SDPLimits.maxBodyBytes else {
            throw SIPParseError("SDP body is larger than \(SDPLimits.maxBodyBytes) bytes")
        }
        self = try SDPParser.parse(Array(bytes))
    }

    /// Parses an SDP body given as text.
    public init(parsing text: String) throws(SIPParseError) {
        try self.init(parsing: text.utf8)
    }

    // MARK: Serialization

    /// The body as text, every line ending in CRLF, lines in RFC 8866 order.
    public var serialized: String {
        var out = ""
        out.reserveCapacity(256 + media.count * 256)
        func put(_ type: String, _ value: String) {
            out += type
            out += value
            out += "\r\n"
        }
        func unknown(_ lines: [SDPUnknownLine], after slots: Character...) {
            for l in lines where slots.contains(l.follows) {
                put("\(l.type)=", l.value)
            }
        }
        let sessionSlots: Set<Character> = ["v", "o", "s", "i", "u", "e", "p", "c", "b", "t", "r", "z", "k", "a"]
        put("v=", "0")
        unknown(unknownLines, after: "v")
        put("o=", origin.lineValue)
        unknown(unknownLines, after: "o")
        put("s=", sessionName)
        unknown(unknownLines, after: "s")
        if let information { put("i=", information) }
        unknown(unknownLines, after: "i")
        if let uri { put("u=", uri) }
        unknown(unknownLines, after: "u")
        for e in emails { put("e=", e) }
        unknown(unknownLines, after: "e")
        for p in phones { put("p=", p) }
        unknown(unknownLines, after: "p")
        if let connection { put("c=", connection.lineValue) }
        unknown(unknownLines, after: "c")
        for b in bandwidths { put("b=", b.lineValue) }
        unknown(unknownLines, after: "b")
        for t in timings {
            put("t=", t.lineValue)
            for r in t.repeats { put("r=", r) }
        }
        unknown(unknownLines, after: "t", "r")
        if let timeZones { put("z=", timeZones) }
        unknown(unknownLines, after: "z")
        if let encryptionKey { put("k=", encryptionKey) }
        unknown(unknownLines, after: "k")
        for a in attributes { put("a=", a.lineValue) }
        unknown(unknownLines, after: "a")
        for l in unknownLines where !sessionSlots.contains(l.follows) { put("\(l.type)=", l.value) }

        let mediaSlots: Set<Character> = ["m", "i", "c", "b", "k", "a"]
        for m in media {
            put("m=", m.lineValue)
            unknown(m.unknownLines, after: "m")
            if let information = m.information { put("i=", information) }
            unknown(m.unknownLines, after: "i")
            for c in m.connections { put("c=", c.lineValue) }
            unknown(m.unknownLines, after: "c")
            for b in m.bandwidths { put("b=", b.lineValue) }
            unknown(m.unknownLines, after: "b")
            if let key = m.encryptionKey { put("k=", key) }
            unknown(m.unknownLines, after: "k")
            for a in m.attributes { put("a=", a.lineValue) }
            unknown(m.unknownLines, after: "a")
            for l in m.unknownLines where !mediaSlots.contains(l.follows) { put("\(l.type)=", l.value) }
        }
        return out
    }

    /// The serialized body as UTF-8 bytes.
    public var serializedBytes: [UInt8] { Array(serialized.utf8) }

    /// The serialized body.
    public var description: String { serialized }

    // MARK: Attribute views

    /// First session-level attribute called `name` (ASCII case-insensitive).
    public func attribute(named name: String) -> SDPAttribute? { attributes.first(named: name) }

    /// The session-level direction attribute, the default for every media section; setting replaces it.
    public var direction: SDPDirection? {
        get { attributes.direction }
        set { attributes.setDirection(newValue) }
    }

    /// The direction that applies to `media`: its own attribute, else the session-level one, else sendrecv.
    public func effectiveDirection(of media: SDPMedia) -> SDPDirection {
        media.direction ?? direction ?? .sendrecv
    }

    /// The connection that applies to `media`: its first `c=`, else the session-level one.
    public func effectiveConnection(of media: SDPMedia) -> SDPConnection? {
        media.connections.first ?? connection
    }
}
