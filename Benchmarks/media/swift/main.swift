// media-bench: trunkbox's media engine as the relay under test in Benchmarks/media/run: CALLS sessions on the
// port layout of Benchmarks/media/common.h, PBX leg plain RTP, trunk leg plain or SRTP; runs until SIGTERM.
//
//   media-bench CALLS RELAY_BASE GEN_BASE [KEY_TO_RELAY_HEX KEY_FROM_RELAY_HEX]
//
// With keys, leg b (trunk) unprotects what arrives with the first key and protects what it sends with the
// second (AES_CM_128_HMAC_SHA1_80). Prints "media-bench: N calls ready" and, at exit, the engine's status.
import Foundation
import Media

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("media-bench: \(message)\n".utf8))
    exit(2)
}

func hexKey(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    guard digits.count == 60 else { fail("an SRTP key is 60 hex digits") }
    return stride(from: 0, to: 60, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

let args = CommandLine.arguments
guard args.count == 4 || args.count == 6, let calls = Int(args[1]), let relayBase = Int(args[2]), let genBase = Int(args[3]) else {
    fail("usage: media-bench CALLS RELAY_BASE GEN_BASE [KEY_TO_RELAY_HEX KEY_FROM_RELAY_HEX]")
}
let keys = args.count == 6 ? (hexKey(args[4]), hexKey(args[5])) : nil

var configuration = MediaEngineConfiguration()
configuration.sessionCapacity = max(calls, 1)
configuration.rtpTimeoutMilliseconds = 0
configuration.oneWayAudioMilliseconds = 0
configuration.statsIntervalMilliseconds = 0
let engine: MediaEngine
do {
    engine = try MediaEngine(configuration: configuration)
    try engine.start()
} catch {
    fail("cannot start the engine: \(error)")
}

func address(_ port: Int) -> MediaAddress { MediaAddress("127.0.0.1", port: UInt16(port))! }

for i in 0..<calls {
    do {
        let aSockets = try MediaSocketPair.open(local: address(relayBase + 4 * i), rtcpMux: false)
        let bSockets = try MediaSocketPair.open(local: address(relayBase + 4 * i + 2), rtcpMux: false)
        var a = MediaLegConfiguration(sockets: aSockets, remote: address(genBase + 4 * i))
        var b = MediaLegConfiguration(sockets: bSockets, remote: address(genBase + 4 * i + 2))
        a.latching = false
        b.latching = false
        if let (toRelay, fromRelay) = keys {
            b.srtpReceive = try SRTPContext(key: SRTPKeyMaterial(suite: .aesCM128HmacSHA1_80, keySalt: toRelay), direction: .inbound, replayWindow: 1024)
            b.srtpSend = try SRTPContext(key: SRTPKeyMaterial(suite: .aesCM128HmacSHA1_80, keySalt: fromRelay), direction: .outbound)
        }
        _ = try engine.createSession(a: a, b: b)
    } catch {
        fail("call \(i): \(error)")
    }
    // Let the media thread take commands when the queue is small.
    if i % 256 == 255 { _ = engine.pollEvents { _ in }; usleep(2000) }
}
var created = 0
let deadline = Date().addingTimeInterval(10)
while created < calls && Date() < deadline {
    created += engine.pollEvents { event in _ = event }
    usleep(1000)
}
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
say("media-bench: \(calls) calls ready")
for w in engine.status.warnings { say("media-bench: \(w)") }

let stop = DispatchSemaphore(value: 0)
signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let sources = [SIGTERM, SIGINT].map { sig -> DispatchSourceSignal in
    let s = DispatchSource.makeSignalSource(signal: sig)
    s.setEventHandler { stop.signal() }
    s.resume()
    return s
}
// Drain events (none expected with timers off) while relaying.
while stop.wait(timeout: .now() + 0.5) == .timedOut {
    _ = engine.pollEvents { _ in }
}
engine.stop()
say("media-bench: stopped")
