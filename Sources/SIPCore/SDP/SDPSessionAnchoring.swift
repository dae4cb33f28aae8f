// SDPSessionAnchoring: hold detection (RFC 3264 §8.4), address/port rewriting for a media-anchoring B2BUA, o= versioning (RFC 3264 §8).

extension SDPSession {
    // ICE attributes that describe the far leg's transport and are dropped when media is anchored.
    static let iceAttributeNames = ["candidate", "remote-candidates", "end-of-candidates", "ice-ufrag", "ice-pwd",
                                    "ice-options", "ice-lite", "ice-mismatch", "ice-pacing"]

    /// True when the stream at `index` is held: an active stream whose effective direction is
    /// sendonly or inactive, or whose effective connection address is `0.0.0.0`/`::`.
    public func isHeld(mediaAt index: Int) -> Bool {
        guard media.indices.contains(index) else { return false }
        let m = media[index]
        guard m.port != 0 else { return false }
        let d = effectiveDirection(of: m)
        if d == .sendonly || d == .inactive { return true }
        return effectiveConnection(of: m)?.isUnspecified ?? false
    }

    /// True when the description puts the call on hold: it has at least one active (non-zero port)
    /// stream and every active stream is held.
    public var isOnHold: Bool {
        var active = 0
        for i in media.indices where media[i].port != 0 {
            active += 1
            if !isHeld(mediaAt: i) { return false }
        }
        return active > 0
    }

    /// Rewrites where media goes, as a media-anchoring B2BUA does to each leg's SDP: every `c=`
    /// (session and media level) takes `connection`'s address, except unspecified hold addresses,
    /// which stay unspecified; each active `m=` line at index `i` takes `ports[i]` (ports of 0-port
    /// lines stay 0, lines beyond `ports` keep theirs); `a=rtcp` follows the new port (same port with
    /// rtcp-mux semantics, else port + 1) and address; ICE attributes are removed when `removeICE`.
    /// The origin is left alone: set this leg's origin and call `updateVersion(after:)`.
    public mutating func anchorMedia(at connection: SDPConnection, ports: [UInt16], removeICE: Bool = true) {
        func rewrite(_ c: SDPConnection) -> SDPConnection {
            var n = connection
            if c.isUnspecified { n = connection.unspecified }
            return n
        }
        if let c = self.connection {
            self.connection = rewrite(c)
        }
        let needsSessionConnection = self.connection == nil && media.contains { $0.connections.isEmpty }
        if needsSessionConnection { self.connection = connection }
        if removeICE {
            attributes.removeAll { a in SDPSession.iceAttributeNames.contains { a.hasName($0) } }
        }
        for i in media.indices {
            media[i].connections = media[i].connections.map(rewrite)
            let oldPort = media[i].port
            if oldPort != 0 && i < ports.count {
                media[i].port = ports[i]
            }
            let newPort = media[i].port
            if removeICE {
                media[i].attributes.removeAll { a in SDPSession.iceAttributeNames.contains { a.hasName($0) } }
            }
            if let k = media[i].attributes.firstIndex(where: { $0.hasName("rtcp") }), let rtcp = media[i].rtcp {
                let port: UInt16 = rtcp.port == oldPort ? newPort : (newPort == 0 ? 0 : newPort &+ 1)
                var updated = SDPRtcp(port: port)
                if rtcp.connection != nil { updated.connection = rewrite(effectiveConnection(of: media[i]) ?? connection) }
                media[i].attributes[k].value = updated.attributeValue
            }
        }
    }

    /// Adds one to the `o=` session version (wrapping past `UInt64.max`).
    public mutating func bumpVersion() {
        origin.sessionVersion &+= 1
    }

    /// Makes this description the next one sent on the same leg as `previous` (RFC 3264 §8): it takes
    /// `previous`'s origin, and keeps its version when nothing else differs, or bumps it by one.
    public mutating func updateVersion(after previous: SDPSession) {
        origin = previous.origin
        if self != previous { bumpVersion() }
    }
}
