// DNSHeader: the ID and flag bits of a message header (RFC 1035 §4.1.1; AD and CD from RFC 4035 §3.2).

/// A header's ID, flags and response code. The four section counts are not stored: they follow
/// from the sections of the `DNSMessage` when it is encoded.
public struct DNSHeader: Hashable, Sendable {
    public var id: UInt16
    /// QR: set in responses.
    public var isResponse: Bool
    /// OPCODE, four bits; 0 is a standard query.
    public var opcode: UInt8
    /// AA
    public var isAuthoritative: Bool
    /// TC: the message was cut to fit the transport; retry over TCP for the whole answer.
    public var isTruncated: Bool
    /// RD
    public var recursionDesired: Bool
    /// RA
    public var recursionAvailable: Bool
    /// AD
    public var authenticData: Bool
    /// CD
    public var checkingDisabled: Bool
    public var responseCode: DNSResponseCode

    public init(id: UInt16, isResponse: Bool = false, opcode: UInt8 = 0, isAuthoritative: Bool = false,
                isTruncated: Bool = false, recursionDesired: Bool = false, recursionAvailable: Bool = false,
                authenticData: Bool = false, checkingDisabled: Bool = false, responseCode: DNSResponseCode = .noError) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode & 0x0F
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.authenticData = authenticData
        self.checkingDisabled = checkingDisabled
        self.responseCode = responseCode
    }

    // From the ID and the second 16-bit word of the header; the Z bit is ignored.
    init(id: UInt16, flags: UInt16) {
        self.init(id: id,
                  isResponse: flags & 0x8000 != 0,
                  opcode: UInt8(truncatingIfNeeded: flags >> 11) & 0x0F,
                  isAuthoritative: flags & 0x0400 != 0,
                  isTruncated: flags & 0x0200 != 0,
                  recursionDesired: flags & 0x0100 != 0,
                  recursionAvailable: flags & 0x0080 != 0,
                  authenticData: flags & 0x0020 != 0,
                  checkingDisabled: flags & 0x0010 != 0,
                  responseCode: DNSResponseCode(rawValue: UInt8(truncatingIfNeeded: flags)))
    }

    // The second 16-bit word of the header.
    var flags: UInt16 {
        var f = UInt16(opcode & 0x0F) << 11 | UInt16(responseCode.rawValue & 0x0F)
        if isResponse { f |= 0x8000 }
        if isAuthoritative { f |= 0x0400 }
        if isTruncated { f |= 0x0200 }
        if recursionDesired { f |= 0x0100 }
        if recursionAvailable { f |= 0x0080 }
        if authenticData { f |= 0x0020 }
        if checkingDisabled { f |= 0x0010 }
        return f
    }
}
