// SIPLocatorConfiguration: the box's side of RFC 3263 server location: which transports and address families, and bounds.

/// What the box supports and prefers when locating a server.
public struct SIPLocatorConfiguration: Hashable, Sendable {
    /// Transports the box may use, most preferred first. Without a `transport` parameter, SRV
    /// lookups are made for each in this order and their targets listed in this order.
    public var transports: [SIPTransport]
    /// Address families to look up, most preferred first; the addresses of one host are listed
    /// family by family in this order.
    public var addressFamilies: [IPAddressFamily]
    /// Ask NAPTR first when the URI gives neither transport nor port (RFC 3263 §4.1 "SHOULD").
    /// Off by default: it costs a round trip, and SRV alone is what the RFC falls back to.
    public var usesNAPTR: Bool
    /// Most DNS lookups one location may ask for; a hostile answer cannot cause more.
    public var maxLookups: Int
    /// Most SRV targets taken from one SRV answer.
    public var maxTargetsPerService: Int
    /// Seconds a target that failed stays out of the `SIPTargetList` rotation.
    public var blacklistDuration: Double

    public init(transports: [SIPTransport] = [.tls, .tcp, .udp], addressFamilies: [IPAddressFamily] = [.ipv4, .ipv6],
                usesNAPTR: Bool = false, maxLookups: Int = 32, maxTargetsPerService: Int = 8, blacklistDuration: Double = 32) {
        self.transports = transports
        self.addressFamilies = addressFamilies
        self.usesNAPTR = usesNAPTR
        self.maxLookups = maxLookups
        self.maxTargetsPerService = maxTargetsPerService
        self.blacklistDuration = blacklistDuration
    }
}
