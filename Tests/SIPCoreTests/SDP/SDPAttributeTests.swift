// SDPAttributeTests: typed attribute views: rtpmap/fmtp/ptime/direction (RFC 8866 §6), rtcp (RFC 3605), rtcp-mux (RFC 5761), static payload types (RFC 3551).

import Testing
@testable import SIPCore

@Suite("SDP attribute views")
struct SDPAttributeTests {
    @Test func rtpmapParsesAndSerializes() throws {
        let opus = try SDPRtpMap(attributeValue: "111 opus/48000/2")
        #expect(opus == SDPRtpMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(opus.attributeValue == "111 opus/48000/2")
        #expect(opus.channelCount == 2)
        let pcma = try SDPRtpMap(attributeValue: "8 PCMA/8000")
        #expect(pcma.channels == nil && pcma.channelCount == 1)
        #expect(pcma.attribute == SDPAttribute("rtpmap", "8 PCMA/8000"))
        #expect(pcma.matches(.pcma))
        #expect(!pcma.matches(.pcmu))
        #expect(try SDPRtpMap(attributeValue: "8 pcma/8000").matches(.pcma))
        #expect(!SDPRtpMap(payloadType: 9, encodingName: "G722", clockRate: 16000).matches(.g722))
        #expect(!opus.matches(SDPCodec(encodingName: "opus", clockRate: 48000)))
    }

    @Test func telephoneEventAndComfortNoiseRecognition() throws {
        #expect(try SDPRtpMap(attributeValue: "101 telephone-event/8000").isTelephoneEvent)
        #expect(try SDPRtpMap(attributeValue: "101 TELEPHONE-EVENT/8000").isTelephoneEvent)
        #expect(try !SDPRtpMap(attributeValue: "101 telephone-events/8000").isTelephoneEvent)
        #expect(try SDPRtpMap(attributeValue: "13 CN/8000").isComfortNoise)
        #expect(try !SDPRtpMap(attributeValue: "0 PCMU/8000").isComfortNoise)
    }

    @Test func staticPayloadTypeTable() {
        let expected: [(UInt8, String)] = [(0, "PCMU"), (8, "PCMA"), (18, "G729"), (13, "CN"), (9, "G722")]
        for (pt, name) in expected {
            let map = SDPRtpMap.staticPayloadType(pt)
            #expect(map?.encodingName == name)
            #expect(map?.clockRate == 8000)
            #expect(map?.payloadType == pt)
        }
        #expect(SDPRtpMap.staticPayloadType(96) == nil)
        #expect(SDPRtpMap.staticPayloadType(101) == nil)
    }

    @Test func fmtpKeyValueHelper() throws {
        let g729 = try SDPFmtp(attributeValue: "18 annexb=no")
        #expect(g729.format == "18" && g729.payloadType == 18)
        #expect(g729.parameters == "annexb=no")
        #expect(g729.parameterList == [SDPFmtp.Parameter(name: "annexb", value: "no")])
        #expect(g729.value(for: "AnnexB") == "no")
        #expect(g729.value(for: "mode") == nil)

        let h264 = try SDPFmtp(attributeValue: "96 profile-level-id=42e01f; packetization-mode=1;;sprop=Z0I=")
        #expect(h264.parameterList == [SDPFmtp.Parameter(name: "profile-level-id", value: "42e01f"),
                                       SDPFmtp.Parameter(name: "packetization-mode", value: "1"),
                                       SDPFmtp.Parameter(name: "sprop", value: "Z0I=")])
        #expect(h264.attributeValue == "96 profile-level-id=42e01f; packetization-mode=1;;sprop=Z0I=")

        let dtmf = try SDPFmtp(attributeValue: "101 0-16")
        #expect(dtmf.parameterList == [SDPFmtp.Parameter(name: "0-16")])
        #expect(dtmf.value(for: "0-16") == nil)
        #expect(dtmf.telephoneEventRanges == [0...16])
        #expect(SDPFmtp(payloadType: 101, parameters: "0-15,66,70").telephoneEventRanges == [0...15, 66...66, 70...70])
        #expect(SDPFmtp(payloadType: 101, parameters: "16-0").telephoneEventRanges == nil)
        #expect(SDPFmtp(payloadType: 101, parameters: "0-300").telephoneEventRanges == nil)
        #expect(SDPFmtp(payloadType: 101, parameters: "annexb=no").telephoneEventRanges == nil)
        #expect(SDPFmtp(format: "t38", parameters: "x").payloadType == nil)
        #expect(SDPFmtp(payloadType: 18, parameters: "annexb=no").attribute == SDPAttribute("fmtp", "18 annexb=no"))
    }

    @Test func ptimeAndMaxptime() throws {
        var m = SDPMedia(mediaType: "audio", port: 1, proto: "RTP/AVP", formats: ["0"])
        #expect(m.ptime == nil)
        m.attributes = [SDPAttribute("ptime", "30"), SDPAttribute("maxptime", "40")]
        #expect(m.ptime == 30 && m.maxptime == 40)
        m.attributes = [SDPAttribute("ptime", "20.0")]
        #expect(m.ptime == 20)
        m.attributes = [SDPAttribute("ptime", "abc")]
        #expect(m.ptime == nil)
    }

    @Test func directionSessionDefaultAndMediaOverride() throws {
        var s = try SDPSession(parsing: SDPFixtures.nullAddressHold)
        #expect(s.direction == nil && s.media[0].direction == nil)
        #expect(s.effectiveDirection(of: s.media[0]) == .sendrecv)
        s.direction = .sendonly
        #expect(s.effectiveDirection(of: s.media[0]) == .sendonly)
        s.media[0].direction = .inactive
        #expect(s.effectiveDirection(of: s.media[0]) == .inactive)
        #expect(s.attributes == [SDPAttribute("sendonly")])
        // Setting replaces in place rather than adding a second direction.
        s.media[0].attributes.append(SDPAttribute("ptime", "20"))
        s.media[0].direction = .recvonly
        #expect(s.media[0].attributes.map(\.name) == ["rtpmap", "recvonly", "ptime"])
        s.media[0].direction = nil
        #expect(s.media[0].attributes.map(\.name) == ["rtpmap", "ptime"])
        #expect(s.effectiveDirection(of: s.media[0]) == .sendonly)
    }

    @Test func lastDirectionAttributeWins() throws {
        let m = SDPMedia(mediaType: "audio", port: 1, proto: "RTP/AVP", formats: ["0"],
                         attributes: [SDPAttribute("sendrecv"), SDPAttribute("INACTIVE")])
        #expect(m.direction == .inactive)
    }

    @Test func directionAlgebra() {
        #expect(SDPDirection(attributeName: "SendOnly") == .sendonly)
        #expect(SDPDirection(attributeName: "sendonlyx") == nil)
        #expect(SDPDirection.sendonly.reversed == .recvonly)
        #expect(SDPDirection.recvonly.reversed == .sendonly)
        #expect(SDPDirection.sendrecv.reversed == .sendrecv)
        #expect(SDPDirection.inactive.reversed == .inactive)
        #expect(SDPDirection(sends: true, receives: false) == .sendonly)
        #expect(SDPDirection.sendrecv.sends && SDPDirection.sendrecv.receives)
        #expect(!SDPDirection.inactive.sends && !SDPDirection.inactive.receives)
    }

    @Test func rtcpAttribute() throws {
        #expect(try SDPRtcp(attributeValue: "53020") == SDPRtcp(port: 53020))
        let full = try SDPRtcp(attributeValue: "53020 IN IP4 126.16.64.4")
        #expect(full == SDPRtcp(port: 53020, connection: .ip4("126.16.64.4")))
        #expect(full.attributeValue == "53020 IN IP4 126.16.64.4")
        #expect(SDPRtcp(port: 9, connection: .ip6("2001:db8::1")).attribute == SDPAttribute("rtcp", "9 IN IP6 2001:db8::1"))
        #expect(throws: SIPParseError.self) { try SDPRtcp(attributeValue: "65536") }
        #expect(throws: SIPParseError.self) { try SDPRtcp(attributeValue: "x") }
    }

    @Test func rtcpMuxFlag() throws {
        var m = try SDPSession(parsing: SDPFixtures.rtcpMuxOffer).media[0]
        #expect(m.rtcpMux)
        m.rtcpMux = false
        #expect(!m.rtcpMux)
        #expect(m.attribute(named: "rtcp-mux") == nil)
        m.rtcpMux = true
        m.rtcpMux = true
        #expect(m.attributes.filter { $0.name == "rtcp-mux" }.count == 1)
    }

    @Test func attributeLineForms() throws {
        #expect(SDPAttribute("sendrecv").lineValue == "sendrecv")
        #expect(SDPAttribute("ptime", "20").lineValue == "ptime:20")
        #expect(try SDPAttribute(parsing: "fingerprint:sha-256 AB:CD") == SDPAttribute("fingerprint", "sha-256 AB:CD"))
        #expect(SDPAttribute("RTPMAP", "0 PCMU/8000").hasName("rtpmap"))
    }

    @Test func protocolClassification() {
        func media(_ proto: String) -> SDPMedia { SDPMedia(mediaType: "audio", port: 1, proto: proto, formats: ["0"]) }
        #expect(media("RTP/AVP").isRTP && !media("RTP/AVP").isSecure)
        #expect(media("RTP/SAVP").isSecure)
        #expect(media("RTP/SAVPF").isSecure)
        #expect(media("UDP/TLS/RTP/SAVP").isSecure && media("UDP/TLS/RTP/SAVP").isRTP)
        #expect(!media("udptl").isRTP)
        #expect(media("RTP/AVPF").isRTP && !media("RTP/AVPF").isSecure)
        // Whole components only, in any case; empty components are not RTP.
        #expect(media("rtp/savp").isSecure && media("rtp/savp").isRTP)
        #expect(!media("RTP/SAVPX").isSecure && !media("RTPX/AVP").isRTP && !media("XRTP/AVP").isRTP)
        #expect(!media("SAV/AVP").isSecure && !media("//").isRTP && !media("").isRTP)
    }

    @Test func rtpMapForAPayloadTypeReadsOnlyItsOwnLine() throws {
        var m = SDPMedia(mediaType: "audio", port: 4000, proto: "RTP/AVP", formats: ["96", "0", "101", "18"])
        m.attributes = [SDPAttribute("rtpmap", "96 bogus"), SDPAttribute("RTPMAP", " 096 opus/48000/2"),
                        SDPAttribute("rtpmap", "101 telephone-event/8000"), SDPAttribute("rtpmap", "1010 x/8000"),
                        SDPAttribute("rtpmap", "0 PCMU/8000/1/9")]
        // The malformed first line for 96 is passed over; a leading zero still names 96.
        #expect(m.rtpMap(forPayloadType: 96) == SDPRtpMap(payloadType: 96, encodingName: "opus", clockRate: 48000, channels: 2))
        #expect(m.rtpMap(forPayloadType: 101)?.isTelephoneEvent == true)
        // A malformed line for 0 falls back to the static table; 18 has no line at all.
        #expect(m.rtpMap(forPayloadType: 0) == SDPRtpMap.staticPayloadType(0))
        #expect(m.rtpMap(forPayloadType: 18) == SDPRtpMap.staticPayloadType(18))
        #expect(m.rtpMap(forPayloadType: 97) == nil)
        #expect(m.rtpMaps.map(\.payloadType) == [96, 101])
        #expect(m.payloadTypes == [96, 0, 101, 18])
        #expect(SDPRtpMap.leadingPayloadType("  8 PCMA/8000") == 8 && SDPRtpMap.leadingPayloadType("128 x/1") == nil)
        #expect(SDPRtpMap.leadingPayloadType("x") == nil && SDPRtpMap.leadingPayloadType("") == nil)
    }

    @Test func rtpmapErrorsPointAtTheirField() {
        func column(_ value: String) -> Int? {
            do { _ = try SDPRtpMap(attributeValue: value); return nil } catch { return error.column }
        }
        #expect(column("96") == 1 && column("96 a/1 b") == 1 && column("") == 1)
        #expect(column("  x9 PCMU/8000") == 3)
        #expect(column("96 PCMU") == 4 && column("96 P/1/2/3") == 4 && column("96 P@/8000") == 4)
        #expect(column("96 PCMU/0") == 9 && column("96 PCMU/8000/0") == 14 && column("96 PCMU/8000/") == 14)
        #expect(column("96 PCMU/8000/2") == nil)
    }
}
