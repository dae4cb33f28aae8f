// AnchoredStream: which m= line the box anchors, and the SDP plumbing shared by the offer and answer builders.

import SIPCore

/// The box relays one audio stream per call: the first active audio `m=` line over RTP/AVP,
/// RTP/SAVP, RTP/AVPF or RTP/SAVPF. Every other stream is refused with port 0.
public enum AnchoredStream {
    /// The transport protocols the relay can anchor (DTLS-SRTP `UDP/TLS/RTP/SAVP` is not one).
    public static let protocols = ["RTP/AVP", "RTP/SAVP", "RTP/AVPF", "RTP/SAVPF"]

    /// The session name of every description the box sends.
    public static let sessionName = "trunkbox"

    /// Index of the stream the box anchors in `session`, nil when there is none.
    public static func index(in session: SDPSession) -> Int? {
        session.media.firstIndex(where: isAnchorable)
    }

    /// True for an active audio stream over a protocol in `protocols`.
    public static func isAnchorable(_ media: SDPMedia) -> Bool {
        media.port != 0 && lower(media.mediaType) == "audio" && protocols.contains { lower($0) == lower(media.proto) }
    }

    /// True when two mappings name the same encoding: name (ASCII case-insensitive), clock rate, channels.
    public static func sameEncoding(_ a: SDPRtpMap, _ b: SDPRtpMap) -> Bool {
        a.matches(SDPCodec(encodingName: b.encodingName, clockRate: b.clockRate, channels: b.channels))
    }

    // True for media codecs proper (not RFC 4733 events, not comfort noise).
    static func isVoiceCodec(_ map: SDPRtpMap) -> Bool {
        !map.isTelephoneEvent && !map.isComfortNoise
    }

    // True for G.729 at 8000 Hz.
    static func isG729(_ map: SDPRtpMap) -> Bool {
        lower(map.encodingName) == "g729" && map.clockRate == 8000
    }

    // The explicit `a=rtpmap` for `payloadType` in `media`, nil when it relies on the static table.
    static func explicitRtpMap(_ payloadType: UInt8, in media: SDPMedia) -> SDPRtpMap? {
        media.rtpMaps.first { $0.payloadType == payloadType }
    }

    // The attributes carried verbatim from the far side's stream: packet times.
    static func packetTimeAttributes(of media: SDPMedia) -> [SDPAttribute] {
        media.attributes.filter { lower($0.name) == "ptime" || lower($0.name) == "maxptime" }
    }

    // The media section at `index` of `session`, if any.
    static func media(at index: Int, of session: SDPSession?) -> SDPMedia? {
        guard let session, session.media.indices.contains(index) else { return nil }
        return session.media[index]
    }

    // Assembles what the box sends on `leg`: its origin and name, `c=` at the box (hold addresses
    // stay unspecified), the anchored stream on `leg.rtpPort`, the version bumped after `previous`.
    static func finish(media: [SDPMedia], anchoredIndex: Int, sessionConnection: SDPConnection?, timings: [SDPTiming],
                       sessionDirection: SDPDirection?, leg: B2BLeg, previous: SDPSession?) -> SDPSession {
        var session = SDPSession(origin: leg.origin, sessionName: sessionName, connection: sessionConnection,
                                 timings: timings.isEmpty ? [SDPTiming()] : timings, media: media)
        session.direction = sessionDirection
        let ports = media.indices.map { $0 == anchoredIndex ? leg.rtpPort : 0 }
        session.anchorMedia(at: leg.connection, ports: ports)
        if let previous { session.updateVersion(after: previous) }
        return session
    }

    // ASCII lowercase.
    static func lower(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
