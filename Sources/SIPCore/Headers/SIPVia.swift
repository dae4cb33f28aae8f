// SIPVia: one Via value (RFC 3261 §20.42, §18.2.1 received, RFC 3581 rport).

public struct SIPVia: Sendable, Hashable, CustomStringConvertible {
    public var protocolName: String
    public var protocolVersion: String
    /// UDP, TCP, TLS, SCTP, WS, WSS or another token, as written.
    public var transport: String
    public var host: String
    public var port: Int?
    public var parameters: [SIPParameter]

    public init(transport: String, host: String, port: Int? = nil, branch: String? = nil, parameters: [SIPParameter] = []) {
        self.protocolName = "SIP"
        self.protocolVersion = "2.0"
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = parameters
        if let branch { self.parameters.set("branch", branch) }
    }

    /// The RFC 3261 magic cookie every compliant branch starts with.
    public static let magicCookie = "z9hG4bK"

    public var branch: String? {
        get { parameters.value("branch") }
        set { if let newValue { parameters.set("branch", newValue) } else { parameters.remove("branch") } }
    }
    /// True when the branch carries the RFC 3261 magic cookie (else RFC 2543 matching rules apply).
    public var hasRFC3261Branch: Bool { branch?.hasPrefix(SIPVia.magicCookie) ?? false }
    public var received: String? {
        get { parameters.value("received") }
        set { if let newValue { parameters.set("received", newValue) } else { parameters.remove("received") } }
    }
    /// `rport` as a flag (requested, nil value) or with the port filled in by the receiver.
    public var rport: SIPParameter? { parameters.first("rport") }
    public var rportValue: Int? { rport?.value.flatMap { Int($0) } }
    public var maddr: String? { parameters.value("maddr") }
    public var ttl: Int? { parameters.value("ttl").flatMap { Int($0) } }

    public var sentBy: String { port.map { "\(host):\($0)" } ?? host }

    public var description: String {
        "\(protocolName)/\(protocolVersion)/\(transport) \(sentBy)\(parameters.serialized)"
    }

    static func parse(_ s: inout SIPScanner) throws(SIPParseError) -> SIPVia {
        let name = try s.token("the Via protocol name")
        guard s.consumeSeparator(ASCII.slash) else { throw s.error("expected '/' in Via") }
        let version = try s.token("the Via protocol version")
        guard s.consumeSeparator(ASCII.slash) else { throw s.error("expected '/' in Via") }
        let transport = try s.token("the Via transport")
        let beforeHost = s.pos
        s.skipWhitespace()
        guard s.pos > beforeHost else { throw s.error("expected a space before the Via sent-by") }
        let host = try s.host()
        var port: Int?
        if s.consumeSeparator(ASCII.colon) { port = Int(try s.number("Via port", max: 65_535, maxDigits: 5)) }
        let parameters = try s.genericParameters()
        for p in parameters {
            switch p.name.asciiLowercased {
            case "branch":
                guard let v = p.value, !v.isEmpty, v.utf8.first != ASCII.quote else { throw s.error("Via branch must be a token") }
            case "ttl":
                guard let v = p.value, let n = Int(v), (0...255).contains(n), v.utf8.count <= 3 else { throw s.error("Via ttl must be 0 to 255") }
            case "rport":
                if let v = p.value { guard let n = Int(v), (1...65_535).contains(n), v.utf8.count <= 5 else { throw s.error("Via rport must be a port") } }
            case "received", "maddr":
                guard let v = p.value, v.utf8.first != ASCII.quote else { throw s.error("Via \(p.name) must be a host") }
            default: break
            }
        }
        return SIPVia(protocolName: name, protocolVersion: version, transport: transport, host: host, port: port, parameters: parameters)
    }

    init(protocolName: String, protocolVersion: String, transport: String, host: String, port: Int?, parameters: [SIPParameter]) {
        self.protocolName = protocolName
        self.protocolVersion = protocolVersion
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = parameters
    }

    /// Parses a header value with one or more comma-separated Via values.
    public static func parseList(_ value: String) throws(SIPParseError) -> [SIPVia] {
        try value.withSIPScanner { (s: inout SIPScanner) throws(SIPParseError) in
            try s.commaList("Via") { (s: inout SIPScanner) throws(SIPParseError) in try parse(&s) }
        }
    }
}
