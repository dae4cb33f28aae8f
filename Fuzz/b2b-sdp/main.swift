// fuzz-b2b-sdp: libFuzzer target for the B2BUA's SDP (CallMedia): whatever offer a peer sends, the box's
// forwarded offer and its answer are sound, and no peer's key crosses to the other leg.
//
// Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz) it runs under libFuzzer and traps on the first
// violated invariant; built normally it replays the files given as arguments. The invariants, for any
// input that parses as SDP:
//   - building the offer toward the trunk (SRTP optional) or toward the PBX (plain) either succeeds or
//     fails with a CallMediaError whose status is 4xx/5xx; never a trap;
//   - a built offer has one m= line per received one, re-parses to an equal session, puts the box's port
//     on the anchored stream and carries only the box's own keys (no received a=crypto key);
//   - answering the received offer with the forwarded offer echoed back (a far end that accepts it all)
//     succeeds or fails cleanly; a built answer has the received offer's m= count and re-parses equal;
//   - MediaEndpoint and PayloadTypePairs on the input never trap.

import CallMedia
import FuzzSupport
import SIPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if !FUZZING
import Foundation
#endif

let trunkLeg = B2BLeg(connection: .ip4("203.0.113.2"), rtpPort: 40_000, sessionID: "7", srtp: .optional, g729AnnexBOff: true)
let pbxLeg = B2BLeg(connection: .ip4("192.168.1.2"), rtpPort: 30_000, sessionID: "8", srtp: .optional)
/// The box's keys in this target: a fixed pattern, so a received key is recognisable.
func boxKey(_ suite: SDPCryptoSuite) -> [UInt8] { [UInt8](repeating: 0xB0, count: suite.keySaltLength ?? 0) }

func violation(_ data: UnsafeBufferPointer<UInt8>) -> String? {
    guard let received = try? SDPSession(parsing: data) else { return nil }
    _ = try? MediaEndpoint(received)
    _ = try? PayloadTypePairs(legA: received, legB: received)
    for (leg, name) in [(trunkLeg, "trunk"), (B2BLeg(connection: .ip4("192.168.1.2"), rtpPort: 30_002, sessionID: "9"), "plain")] {
        let offer: B2BOffer
        do {
            offer = try B2BOffer(forwarding: received, to: leg, keys: boxKey)
        } catch {
            if !(400..<600).contains(error.responseCode) { return "offer toward \(name) failed with status \(error.responseCode): \(error)" }
            continue
        }
        if offer.session.media.count != received.media.count {
            return "offer toward \(name) has \(offer.session.media.count) m= lines for \(received.media.count)\n  input: \(show(data))"
        }
        guard let again = try? SDPSession(parsing: offer.session.serializedBytes), again == offer.session else {
            return "offer toward \(name) does not re-parse to itself\n  offer: \(offer.session.serialized)\n  input: \(show(data))"
        }
        if offer.session.media[offer.anchoredIndex].port != leg.rtpPort {
            return "offer toward \(name) does not carry the box's port\n  offer: \(offer.session.serialized)"
        }
        for m in offer.session.media {
            for crypto in m.cryptos where crypto.keySalt != nil && crypto.keySalt! != boxKey(crypto.suite) {
                return "offer toward \(name) carries a key that is not the box's\n  offer: \(offer.session.serialized)\n  input: \(show(data))"
            }
        }
        do {
            let answer = try B2BAnswer(answering: received, with: offer.session, forwarded: offer, on: pbxLeg, keys: boxKey)
            if answer.session.media.count != received.media.count {
                return "answer has \(answer.session.media.count) m= lines for \(received.media.count) offered\n  input: \(show(data))"
            }
            guard let back = try? SDPSession(parsing: answer.session.serializedBytes), back == answer.session else {
                return "answer does not re-parse to itself\n  answer: \(answer.session.serialized)\n  input: \(show(data))"
            }
        } catch {
            if !(400..<600).contains(error.responseCode) { return "answer failed with status \(error.responseCode): \(error)" }
        }
    }
    return nil
}

fuzzMain(name: "fuzz-b2b-sdp", violation)
