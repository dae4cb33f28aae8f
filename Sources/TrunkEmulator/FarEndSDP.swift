// FarEndSDP: the trunk's SDP: answers to the box's offers and offers for incoming calls (G.729, G.711 μ/A,
// telephone-event; SDES a=crypto on SRTP profiles).
import Foundation
import Media
import SIPCore

enum FarEndSDP {
    /// Our offer for an incoming call.
    static func offer(ip: String, port: Int, srtp: SRTPKeyMaterial?) -> String {
        lines(ip: ip, port: port, formats: [(18, "G729/8000"), (0, "PCMU/8000"), (8, "PCMA/8000"), (101, "telephone-event/8000")],
              srtp: srtp, g729: 18, dtmf: 101)
    }

    static func lines(ip: String, port: Int, formats: [(UInt8, String)], srtp: SRTPKeyMaterial?, g729: UInt8?, dtmf: UInt8?) -> String {
        let id = UInt32.random(in: 1...UInt32.max)
        var s = "v=0\r\no=skype \(id) 1 IN IP4 \(ip)\r\ns=Skype Connect\r\nc=IN IP4 \(ip)\r\nt=0 0\r\n"
        s += "m=audio \(port) \(srtp == nil ? "RTP/AVP" : "RTP/SAVP") \(formats.map { String($0.0) }.joined(separator: " "))\r\n"
        for (pt, name) in formats { s += "a=rtpmap:\(pt) \(name)\r\n" }
        if let g729 { s += "a=fmtp:\(g729) annexb=no\r\n" }
        if let dtmf { s += "a=fmtp:\(dtmf) 0-16\r\n" }
        if let srtp { s += "a=crypto:1 \(srtp.suite.sdpName) inline:\(srtp.inlineKey)\r\n" }
        s += "a=ptime:20\r\na=sendrecv\r\n"
        return s
    }

    /// What the far end agreed from the peer's SDP (an offer we answer, or the answer to our offer).
    struct Agreement: Sendable {
        var codec: FarEndCodec
        var payloadType: UInt8
        var telephoneEventPT: UInt8?
        var remoteIP: String
        var remotePort: Int
        var peerKey: SRTPKeyMaterial?
        var cryptoTag: UInt32?
    }

    /// Picks the first codec of the peer's that the far end speaks; checks SRTP matches the profile.
    static func agree(_ sdp: SDPSession, srtp: Bool) -> Result<Agreement, EmulatorError> {
        guard let audio = sdp.media.first(where: { $0.mediaType == "audio" && !$0.isRejected }) else {
            return .failure(EmulatorError("no audio stream"))
        }
        guard let codec = audio.codecs.lazy.compactMap({ map in FarEndCodec(map).map { ($0, map.payloadType) } }).first else {
            return .failure(EmulatorError("no common codec (the trunk speaks G.729, PCMU, PCMA)"))
        }
        guard let conn = sdp.effectiveConnection(of: audio) else { return .failure(EmulatorError("no c= line")) }
        var agreement = Agreement(codec: codec.0, payloadType: codec.1,
                                  telephoneEventPT: audio.telephoneEvents.first?.payloadType,
                                  remoteIP: conn.address, remotePort: Int(audio.port))
        if srtp {
            guard audio.isSecure else { return .failure(EmulatorError("this profile uses SRTP: RTP/SAVP with a=crypto expected")) }
            for crypto in audio.cryptos {
                if let suite = SRTPSuite(sdpName: crypto.suite.rawValue), let keySalt = crypto.keySalt,
                   let key = try? SRTPKeyMaterial(suite: suite, keySalt: keySalt) {
                    agreement.peerKey = key
                    agreement.cryptoTag = crypto.tag
                    break
                }
            }
            guard agreement.peerKey != nil else { return .failure(EmulatorError("no usable a=crypto line")) }
        } else if audio.isSecure {
            return .failure(EmulatorError("this profile does not use SRTP, but RTP/SAVP was offered"))
        }
        return .success(agreement)
    }

    /// Our answer to an agreed offer.
    static func answer(ip: String, port: Int, agreement: Agreement, ourKey: SRTPKeyMaterial?) -> String {
        var formats: [(UInt8, String)] = [(agreement.payloadType, "\(agreement.codec.rawValue)/8000")]
        if let te = agreement.telephoneEventPT { formats.append((te, "telephone-event/8000")) }
        var text = lines(ip: ip, port: port, formats: formats, srtp: nil, g729: agreement.codec == .g729 ? agreement.payloadType : nil,
                         dtmf: agreement.telephoneEventPT)
        if let ourKey {
            text = text.replacingOccurrences(of: "RTP/AVP", with: "RTP/SAVP")
            text = text.replacingOccurrences(of: "a=ptime:20", with: "a=crypto:\(agreement.cryptoTag ?? 1) \(ourKey.suite.sdpName) inline:\(ourKey.inlineKey)\r\na=ptime:20")
        }
        return text
    }
}
