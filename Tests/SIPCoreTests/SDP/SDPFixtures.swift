// SDPFixtures: real-looking SDP bodies from SIP phones and trunks (RFC 8866, RFC 3264, RFC 4568) shared by the SDP tests.

// Joins lines with CRLF, ending the last one too, as SIP stacks send SDP.
func sdp(_ lines: String...) -> String {
    lines.joined(separator: "\r\n") + "\r\n"
}

enum SDPFixtures {
    // A desk phone's INVITE offer: G.711 µ/A-law, G.729 without Annex B, RFC 4733 DTMF.
    static let g711G729Offer = sdp(
        "v=0",
        "o=- 1234567890 1234567890 IN IP4 192.168.1.50",
        "s=SIP Call",
        "c=IN IP4 192.168.1.50",
        "t=0 0",
        "m=audio 11780 RTP/AVP 0 8 18 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:18 G729/8000",
        "a=fmtp:18 annexb=no",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=sendrecv"
    )

    // A phone's SRTP offer with two SDES crypto lines (keys from RFC 4568's examples).
    static let srtpOffer = sdp(
        "v=0",
        "o=root 1821 1821 IN IP4 10.0.0.20",
        "s=call",
        "c=IN IP4 10.0.0.20",
        "t=0 0",
        "m=audio 16384 RTP/SAVP 8 0 101",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32",
        "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz",
        "a=sendrecv"
    )

    // A trunk's 200 OK answer choosing PCMA and DTMF.
    static let trunkAnswer = sdp(
        "v=0",
        "o=FreeSWITCH 1700000000 1700000001 IN IP4 203.0.113.10",
        "s=FreeSWITCH",
        "c=IN IP4 203.0.113.10",
        "t=0 0",
        "m=audio 24680 RTP/AVP 8 101",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=sendrecv"
    )

    // The phone's hold re-INVITE: same origin, version bumped, a=sendonly.
    static let holdReinvite = sdp(
        "v=0",
        "o=- 1234567890 1234567891 IN IP4 192.168.1.50",
        "s=SIP Call",
        "c=IN IP4 192.168.1.50",
        "t=0 0",
        "m=audio 11780 RTP/AVP 8 101",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=sendonly"
    )

    // An old-style (RFC 2543) hold: c=0.0.0.0.
    static let nullAddressHold = sdp(
        "v=0",
        "o=- 42 43 IN IP4 192.168.1.60",
        "s=-",
        "c=IN IP4 0.0.0.0",
        "t=0 0",
        "m=audio 5004 RTP/AVP 0",
        "a=rtpmap:0 PCMU/8000"
    )

    // A softphone's audio+video offer, answered by a trunk that only does audio.
    static let audioVideoOffer = sdp(
        "v=0",
        "o=alice 2890844526 2890844526 IN IP4 198.51.100.7",
        "s=-",
        "c=IN IP4 198.51.100.7",
        "t=0 0",
        "m=audio 49170 RTP/AVP 0 8 97",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:97 telephone-event/8000",
        "m=video 51372 RTP/AVP 96",
        "a=rtpmap:96 H264/90000",
        "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1"
    )

    // The answer to `audioVideoOffer`: video rejected with port 0.
    static let videoRejectedAnswer = sdp(
        "v=0",
        "o=bob 2808844564 2808844564 IN IP4 203.0.113.20",
        "s=-",
        "c=IN IP4 203.0.113.20",
        "t=0 0",
        "m=audio 30000 RTP/AVP 8 97",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:97 telephone-event/8000",
        "m=video 0 RTP/AVP 96"
    )

    // An offer with RTCP multiplexing, an explicit a=rtcp and bandwidth lines.
    static let rtcpMuxOffer = sdp(
        "v=0",
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
        "s=-",
        "b=AS:80",
        "t=0 0",
        "m=audio 9000 RTP/AVPF 111 0 8 126",
        "c=IN IP4 172.16.4.9",
        "b=TIAS:64000",
        "a=rtcp:9000 IN IP4 172.16.4.9",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:126 telephone-event/8000",
        "a=maxptime:60",
        "a=sendrecv"
    )

    // An IPv6 trunk offer.
    static let ipv6Offer = sdp(
        "v=0",
        "o=- 20518 0 IN IP6 2001:db8::10",
        "s=-",
        "c=IN IP6 2001:db8::10",
        "t=0 0",
        "m=audio 40000 RTP/AVP 9 8 101",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15"
    )

    // The RFC 8866 §5 example, with every optional session line type added.
    static let everyLineType = sdp(
        "v=0",
        "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
        "s=Call to John Smith",
        "i=SDP Offer #1",
        "u=http://www.jdoe.example.com/home.html",
        "e=Jane Doe <jane@jdoe.example.com>",
        "p=+1 617 555-6011",
        "c=IN IP4 198.51.100.1",
        "b=CT:384",
        "t=3724394400 3724398000",
        "r=604800 3600 0 90000",
        "r=7d 1h 0 25h",
        "t=0 0",
        "z=2882844526 -1h 2898848070 0",
        "k=prompt",
        "a=recvonly",
        "a=tool:trunkbox",
        "m=audio 49170 RTP/AVP 0",
        "i=main audio",
        "m=audio 49180/2 RTP/AVP 0",
        "k=prompt",
        "m=video 51372 RTP/AVP 99",
        "c=IN IP6 2001:db8::2",
        "a=rtpmap:99 h263-1998/90000",
        "a=sendrecv"
    )

    // Every canonical fixture, for round-trip tests.
    static let all: [(name: String, text: String)] = [
        ("g711G729Offer", g711G729Offer), ("srtpOffer", srtpOffer), ("trunkAnswer", trunkAnswer),
        ("holdReinvite", holdReinvite), ("nullAddressHold", nullAddressHold), ("audioVideoOffer", audioVideoOffer),
        ("videoRejectedAnswer", videoRejectedAnswer), ("rtcpMuxOffer", rtcpMuxOffer), ("ipv6Offer", ipv6Offer),
        ("everyLineType", everyLineType),
    ]
}
