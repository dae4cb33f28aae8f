// SIPCSeq: CSeq (RFC 3261 §20.16) and RAck (RFC 3262 §7.2), a sequence number and a method.

public struct SIPCSeq: Sendable, Hashable, CustomStringConvertible {
    /// At most 2^32-1 on receipt; the box generates values below 2^31 (§8.1.1.5).
    public var sequence: UInt32
    public var method: SIPMethod

    public init(_ sequence: UInt32, _ method: SIPMethod) {
        self.sequence = sequence
        self.method = method
    }

    public var description: String { "\(sequence) \(method)" }

    public static func parse(_ value: String) throws(SIPParseError) -> SIPCSeq {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            let n = try s.number("CSeq number", max: UInt64(UInt32.max))
            let mark = s.pos
            s.skipWhitespace()
            guard s.pos > mark else { throw s.error("expected a space between the CSeq number and method") }
            let method = try s.token("the CSeq method")
            try s.expectEnd("CSeq")
            return SIPCSeq(UInt32(n), SIPMethod(method))
        }
    }
}

/// RAck: the RSeq and CSeq of the reliable provisional response being acknowledged.
public struct SIPRAck: Sendable, Hashable, CustomStringConvertible {
    public var responseSequence: UInt32
    public var cseq: SIPCSeq

    public init(responseSequence: UInt32, cseq: SIPCSeq) {
        self.responseSequence = responseSequence
        self.cseq = cseq
    }

    public var description: String { "\(responseSequence) \(cseq)" }

    public static func parse(_ value: String) throws(SIPParseError) -> SIPRAck {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            s.skipWhitespace()
            let r = try s.number("RAck response number", max: UInt64(UInt32.max))
            s.skipWhitespace()
            let c = try s.number("RAck CSeq number", max: UInt64(UInt32.max))
            s.skipWhitespace()
            let method = try s.token("the RAck method")
            try s.expectEnd("RAck")
            return SIPRAck(responseSequence: UInt32(r), cseq: SIPCSeq(UInt32(c), SIPMethod(method)))
        }
    }
}
