// SDPAnswerTransport: per-call local values an RFC 3264 §6 answer needs (origin, address, ports, fresh SRTP keys).

/// The box's own address, ports and key material for one answer. SIPCore has no random source,
/// so fresh SRTP keys come from the caller.
public struct SDPAnswerTransport: Sendable, Hashable {
    /// The answer's `o=` line (this leg's origin and version).
    public var origin: SDPOrigin
    /// The answer's `s=` line.
    public var sessionName: String
    /// The session-level `c=` of the answer: where the box receives media.
    public var connection: SDPConnection
    /// Local RTP port for each offered `m=` line, by index; a missing entry or 0 rejects that stream.
    public var ports: [UInt16]
    /// Fresh random key||salt material for each offered `m=` line, by index. Only the first
    /// `keySaltLength` bytes of the chosen suite are used, so `SDPCryptoSuite.maximumKeySaltLength`
    /// bytes suit any suite. A secure stream without enough material is rejected.
    public var keyMaterial: [[UInt8]]

    /// Creates the local transport for an answer.
    public init(origin: SDPOrigin, sessionName: String = "-", connection: SDPConnection, ports: [UInt16],
                keyMaterial: [[UInt8]] = []) {
        self.origin = origin
        self.sessionName = sessionName
        self.connection = connection
        self.ports = ports
        self.keyMaterial = keyMaterial
    }
}
