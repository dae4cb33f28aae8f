// PBXConfig: the one PBX the box serves (where it is, who may send calls, its digest credentials).

/// The office PBX. Calls are accepted only from the PBX: from a source inside `acl` (or, when `acl` is
/// empty, from `address` alone), and, when `username` and `password` are set, after digest authentication
/// with them. With no address and no ACL, no call is accepted (the factory default).
public struct PBXConfig: Sendable, Hashable {
    /// The PBX's IP address (incoming trunk calls go there).
    public var address: String?
    public var port: Int
    public var transport: ConfigTransport
    /// Source networks allowed to send calls (CIDR or single addresses).
    public var acl: [String]
    /// Digest credentials the PBX must present (both or neither).
    public var username: String?
    public var password: ConfigSecret?

    public init(address: String? = nil, port: Int = 5_060, transport: ConfigTransport = .udp, acl: [String] = [],
                username: String? = nil, password: ConfigSecret? = nil) {
        self.address = address
        self.port = port
        self.transport = transport
        self.acl = acl
        self.username = username
        self.password = password
    }
}
