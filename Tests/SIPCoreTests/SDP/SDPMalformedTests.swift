// SDPMalformedTests: bodies the RFC 8866 parser must refuse, each with the line (and column) of the fault, and never crash on.

import Testing
@testable import SIPCore

// Parses `text` expecting a refusal and returns it.
func refusal(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> SIPParseError? {
    do {
        let s = try SDPSession(parsing: bytes)
        Issue.record("expected a parse error, got \(s.serialized)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> SIPParseError? {
    refusal(Array(text.utf8), sourceLocation: sourceLocation)
}

// A valid session header (5 lines) to put a faulty line after; the next line is line 6.
let header = ["v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "c=IN IP4 10.1.1.1", "t=0 0"]

func body(_ extra: String...) -> String {
    (header + extra).joined(separator: "\r\n") + "\r\n"
}

@Suite("SDP malformed input")
struct SDPMalformedTests {
    @Test func missingVersionLine() throws {
        let e = try #require(refusal(sdp("o=- 1 1 IN IP4 10.1.1.1", "s=-", "t=0 0")))
        #expect(e.line == 1)
        #expect(e.reason.contains("v="))
    }

    @Test func unsupportedVersion() throws {
        let e = try #require(refusal(sdp("v=1", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "t=0 0")))
        #expect(e.line == 1 && e.column == 3)
    }

    @Test func emptyBody() throws {
        #expect(refusal("")?.line == 1)
        #expect(refusal("\r\n\r\n")?.line == 1)
    }

    @Test func missingOrigin() throws {
        #expect(refusal(sdp("v=0", "s=-", "t=0 0"))?.reason.contains("o=") == true)
        let e = try #require(refusal(sdp("v=0", "s=-", "m=audio 4000 RTP/AVP 0", "o=- 1 1 IN IP4 10.1.1.1")))
        #expect(e.line == 3)
        #expect(e.reason.contains("o="))
    }

    @Test func missingSessionNameAndTimingAreTolerated() throws {
        // Seen from broken user agents (and in RFC 4475's mismatch02 body): no s= and no t=.
        let s = try SDPSession(parsing: sdp("v=0", "o=mhandley 29739 7272939 IN IP4 192.0.2.1", "c=IN IP4 192.0.2.1",
                                            "m=audio 49217 RTP/AVP 0 12"))
        #expect(s.sessionName == "-")
        #expect(s.timings.isEmpty)
        #expect(s.serialized == sdp("v=0", "o=mhandley 29739 7272939 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1",
                                    "m=audio 49217 RTP/AVP 0 12"))
        #expect(try SDPSession(parsing: s.serialized) == s)
    }

    @Test func badMediaPort() throws {
        let e = try #require(refusal(body("m=audio abc RTP/AVP 0")))
        #expect(e.line == 6)
        #expect(e.column == 9)
        #expect(e.reason.contains("port"))
        #expect(refusal(body("m=audio -1 RTP/AVP 0"))?.line == 6)
        #expect(refusal(body("m=audio 4000/0 RTP/AVP 0"))?.line == 6)
        #expect(refusal(body("m=audio 4000/2/3 RTP/AVP 0"))?.line == 6)
    }

    @Test func mediaPortAbove65535() throws {
        let e = try #require(refusal(body("m=audio 65536 RTP/AVP 0")))
        #expect(e.line == 6 && e.column == 9)
        #expect(e.reason.contains("range"))
        #expect(refusal(body("m=audio 99999999999999999999999999 RTP/AVP 0"))?.line == 6)
        #expect(refusal(body("m=audio 18446744073709551617 RTP/AVP 0"))?.line == 6)
        #expect(try SDPSession(parsing: body("m=audio 65535 RTP/AVP 0")).media[0].port == 65535)
    }

    @Test func badMediaLine() throws {
        #expect(refusal(body("m=audio 4000 RTP/AVP"))?.line == 6)
        #expect(refusal(body("m=audio 4000"))?.line == 6)
        let pt = try #require(refusal(body("m=audio 4000 RTP/AVP 0 128")))
        #expect(pt.line == 6 && pt.column == 24)
        #expect(refusal(body("m=audio 4000 RTP/AVP 0 PCMU"))?.line == 6)
        #expect(refusal(body("m=audio 4000 RTP//AVP 0"))?.line == 6)
    }

    @Test func badRtpmap() throws {
        let notNumber = try #require(refusal(body("m=audio 4000 RTP/AVP 0", "a=rtpmap:xx PCMU/8000")))
        #expect(notNumber.line == 7 && notNumber.column == 10)
        #expect(notNumber.reason.contains("rtpmap"))
        let noRate = try #require(refusal(body("m=audio 4000 RTP/AVP 0", "a=rtpmap:0 PCMU")))
        #expect(noRate.line == 7 && noRate.column == 12)
        #expect(refusal(body("m=audio 4000 RTP/AVP 0", "a=rtpmap:128 PCMU/8000"))?.line == 7)
        #expect(refusal(body("m=audio 4000 RTP/AVP 0", "a=rtpmap:0 PCMU/0"))?.line == 7)
        #expect(refusal(body("m=audio 4000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000/0"))?.line == 7)
        #expect(refusal(body("m=audio 4000 RTP/AVP 0", "a=rtpmap:0 PCMU/99999999999"))?.line == 7)
        #expect(refusal(body("m=audio 4000 RTP/AVP 0", "a=rtpmap:0"))?.line == 7)
    }

    @Test func cryptoKeyOfWrongLength() throws {
        let prefix = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
        // 28 bytes is right for AEAD_AES_128_GCM but not for AES_CM_128_HMAC_SHA1_80 (30).
        let e = try #require(refusal(body("m=audio 4000 RTP/SAVP 0", prefix + "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHA==")))
        #expect(e.line == 7)
        #expect(e.column == prefix.utf8.count + 1)
        #expect(e.reason.contains("30 bytes"))
        let gcm = try #require(refusal(body("m=audio 4000 RTP/SAVP 0",
                                            "a=crypto:1 AEAD_AES_256_GCM inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")))
        #expect(gcm.reason.contains("44 bytes"))
        #expect(refusal(body("m=audio 4000 RTP/SAVP 0", prefix + "not*base64"))?.reason.contains("base64") == true)
    }

    @Test func garbageBytes() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]
        let e = try #require(refusal(png))
        #expect(e.line == 1)
        let text = try #require(refusal("HTTP/1.1 200 OK\r\n\r\n"))
        #expect(text.line == 1)
        #expect(refusal([0x00])?.line == 1)
        #expect(refusal("v=0\r\nhello\r\n")?.line == 2)
        #expect(refusal("v=0\r\nO=- 1 1 IN IP4 1.1.1.1\r\n")?.line == 2)
        #expect(refusal("v=0\r\n=oops\r\n")?.line == 2)
    }

    @Test func invalidUTF8() throws {
        let head = Array("v=0\r\no=- 1 1 IN IP4 10.1.1.1\r\ns=Caf".utf8)
        let truncated = try #require(refusal(head + [0xC3, 0x0D, 0x0A, 0x74, 0x3D, 0x30, 0x20, 0x30]))
        #expect(truncated.line == 3 && truncated.column == 6)
        #expect(truncated.reason.contains("UTF-8"))
        let overlong = try #require(refusal(Array("v=0\r\ns=".utf8) + [0xC0, 0xAF]))
        #expect(overlong.line == 2 && overlong.column == 3)
        #expect(refusal(Array("v=0\r\ns=".utf8) + [0xE0, 0x80, 0xAF])?.column == 3)
        #expect(refusal(Array("v=0\r\ns=".utf8) + [0xF0, 0x80, 0x80, 0xAF])?.column == 3)
        #expect(refusal(Array("v=0\r\ns=".utf8) + [0xED, 0xA0, 0x80])?.column == 3)
        #expect(refusal(Array("v=0\r\ns=".utf8) + [0xFF])?.column == 3)
        #expect(refusal(Array("v=0\r\ns=".utf8) + [0x80])?.column == 3)
        #expect(refusal(Array("v=0\r\ns=".utf8) + [0xF4, 0x90, 0x80, 0x80])?.column == 3)
        #expect(refusal(Array("v=0\r\ns=ok ".utf8) + [0xE2, 0x82])?.column == 6)
        // Valid multi-byte text is fine.
        let ok = try SDPSession(parsing: sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=Café ☎ 𝄞", "t=0 0"))
        #expect(ok.sessionName == "Café ☎ 𝄞")
    }

    @Test func controlBytes() throws {
        let nul = try #require(refusal(Array("v=0\r\ns=a".utf8) + [0x00] + Array("b\r\n".utf8)))
        #expect(nul.line == 2 && nul.column == 4)
        let cr = try #require(refusal("v=0\r\ns=a\rb\r\n"))
        #expect(cr.line == 2 && cr.column == 4)
    }

    @Test func emptyLineInsideBody() throws {
        let e = try #require(refusal("v=0\r\n\r\no=- 1 1 IN IP4 10.1.1.1\r\ns=-\r\nt=0 0\r\n"))
        #expect(e.line == 2)
    }

    @Test func duplicateSingleLines() throws {
        #expect(refusal(body("c=IN IP4 10.1.1.2"))?.line == 6)
        #expect(refusal(body("o=- 1 1 IN IP4 10.1.1.1"))?.line == 6)
        #expect(refusal(body("v=0"))?.line == 6)
        #expect(refusal(body("m=audio 4000 RTP/AVP 0", "i=a", "i=b"))?.line == 8)
    }

    @Test func sessionLinesInsideMediaSection() throws {
        let e = try #require(refusal(body("m=audio 4000 RTP/AVP 0", "t=0 0")))
        #expect(e.line == 7)
        #expect(refusal(body("m=audio 4000 RTP/AVP 0", "s=again"))?.line == 7)
    }

    @Test func badOriginConnectionBandwidthTiming() throws {
        #expect(refusal(sdp("v=0", "o=- 1 IN IP4 10.1.1.1", "s=-", "t=0 0"))?.line == 2)
        let version = try #require(refusal(sdp("v=0", "o=- 1 x IN IP4 10.1.1.1", "s=-", "t=0 0")))
        #expect(version.line == 2 && version.column == 7)
        #expect(refusal(sdp("v=0", "o=- 1 99999999999999999999 IN IP4 10.1.1.1", "s=-", "t=0 0"))?.line == 2)
        #expect(refusal(sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "c=IN IP4", "t=0 0"))?.line == 4)
        let ttl = try #require(refusal(sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "c=IN IP4 224.2.1.1/300", "t=0 0")))
        #expect(ttl.line == 4 && ttl.column == 20)
        #expect(refusal(body("b=AS"))?.line == 6)
        #expect(refusal(body("b=AS:x"))?.column == 6)
        #expect(refusal(sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "t=0"))?.line == 4)
        #expect(refusal(sdp("v=0", "o=- 1 1 IN IP4 10.1.1.1", "s=-", "r=7d 1h 0", "t=0 0"))?.line == 4)
        #expect(refusal(body("r=7d 1x 0"))?.line == 6)
        #expect(refusal(body("z=2882844526"))?.line == 6)
    }

    @Test func badKnownAttributes() throws {
        #expect(refusal(body("a=ptime:abc"))?.line == 6)
        #expect(refusal(body("a=maxptime:"))?.line == 6)
        #expect(refusal(body("a=rtcp:70000"))?.line == 6)
        #expect(refusal(body("a=rtcp:9000 IN"))?.line == 6)
        #expect(refusal(body("a=fmtp:"))?.line == 6)
        #expect(refusal(body("a=:value"))?.line == 6)
        #expect(refusal(body("a=bad name"))?.line == 6)
        #expect(try SDPSession(parsing: body("a=ptime:20.5")).attributes[0].value == "20.5")
    }

    @Test func limitsAreEnforced() throws {
        let long = try #require(refusal(body("a=x:" + String(repeating: "y", count: SDPLimits.maxLineLength))))
        #expect(long.line == 6 && long.column == SDPLimits.maxLineLength + 1)
        let atLimit = "a=x:" + String(repeating: "y", count: SDPLimits.maxLineLength - 4)
        #expect(try SDPSession(parsing: body(atLimit)).attributes.count == 1)

        let manyLines = Array(repeating: "y=1", count: SDPLimits.maxLines)
        let lines = try #require(refusal((header + manyLines).joined(separator: "\r\n")))
        #expect(lines.line == SDPLimits.maxLines + 1)

        let manyMedia = Array(repeating: "m=audio 4000 RTP/AVP 0", count: SDPLimits.maxMediaSections + 1)
        let media = try #require(refusal((header + manyMedia).joined(separator: "\r\n")))
        #expect(media.line == header.count + SDPLimits.maxMediaSections + 1)
        let okMedia = Array(repeating: "m=audio 4000 RTP/AVP 0", count: SDPLimits.maxMediaSections)
        #expect(try SDPSession(parsing: (header + okMedia).joined(separator: "\r\n")).media.count == SDPLimits.maxMediaSections)

        let manyAttrs = Array(repeating: "a=x", count: SDPLimits.maxAttributesPerSection + 1)
        #expect(refusal((header + manyAttrs).joined(separator: "\r\n"))?.line == header.count + SDPLimits.maxAttributesPerSection + 1)
        let mediaAttrs = ["m=audio 4000 RTP/AVP 0"] + manyAttrs
        #expect(refusal((header + mediaAttrs).joined(separator: "\r\n"))?.line == header.count + SDPLimits.maxAttributesPerSection + 2)

        let formats = (0..<(SDPLimits.maxFormatsPerMedia + 1)).map { String($0 % 128) }.joined(separator: " ")
        #expect(refusal(body("m=audio 4000 RTP/AVP " + formats))?.line == 6)

        let big = try #require(refusal(body("s2=" + String(repeating: "z", count: SDPLimits.maxBodyBytes))))
        #expect(big.line == 0)
        #expect(big.reason.contains("larger"))

        let manyTimings = Array(repeating: "t=0 0", count: SDPLimits.maxTimings)
        #expect(refusal((header + manyTimings).joined(separator: "\r\n"))?.line == header.count + SDPLimits.maxTimings)
        let manyRepeats = Array(repeating: "r=1d 1h 0", count: SDPLimits.maxRepeatsPerTiming + 1)
        #expect(refusal((header + manyRepeats).joined(separator: "\r\n"))?.line == header.count + SDPLimits.maxRepeatsPerTiming + 1)
    }

    @Test func typedViewInitializersRefuseBadValues() {
        #expect(throws: SIPParseError.self) { try SDPRtpMap(attributeValue: "96 opus") }
        #expect(throws: SIPParseError.self) { try SDPFmtp(attributeValue: "") }
        #expect(throws: SIPParseError.self) { try SDPRtcp(attributeValue: "") }
        #expect(throws: SIPParseError.self) { try SDPOrigin(parsing: "- 1 1 IN IP4") }
        #expect(throws: SIPParseError.self) { try SDPBandwidth(parsing: ":64") }
        #expect(throws: SIPParseError.self) { try SDPAttribute(parsing: "") }
    }

    // Mutated fixtures must never crash the parser, and whatever it accepts must serialize to text
    // that parses back to the same session.
    @Test func mutatedInputNeverCrashesAndAcceptedInputIsStable() throws {
        var rng = XorShift(seed: 0x5D9_C0DE)
        var accepted = 0
        var refused = 0
        for (_, text) in SDPFixtures.all {
            let original = Array(text.utf8)
            for _ in 0..<600 {
                var bytes = original
                for _ in 0..<(1 + rng.next(4)) {
                    guard !bytes.isEmpty else { break }
                    let at = rng.next(bytes.count)
                    switch rng.next(5) {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next(256))
                    case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next(256)), at: at)
                    case 2: bytes.remove(at: at)
                    case 3: bytes.removeSubrange(at..<bytes.count)
                    default: bytes.insert(contentsOf: [0x20, 0x3A, 0x2F, 0x30][rng.next(4)...], at: at)
                    }
                }
                do {
                    let s = try SDPSession(parsing: bytes)
                    accepted += 1
                    let again = try SDPSession(parsing: s.serialized)
                    #expect(again == s, "unstable round trip for \(String(decoding: bytes, as: UTF8.self))")
                    #expect(again.serialized == s.serialized)
                } catch {
                    refused += 1
                    #expect(error.line >= 0 && error.line <= SDPLimits.maxLines)
                }
            }
        }
        #expect(accepted > 0)
        #expect(refused > 0)
    }
}

// Small deterministic generator so the mutation test is reproducible.
struct XorShift {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 1 : seed }
    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(max(bound, 1)))
    }
}
