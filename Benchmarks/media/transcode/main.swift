// media-transcode-bench: the media thread's CPU time per relayed packet, plain relay against a PCMU <-> G.729
// transcoding session, in one process on loopback. CALLS sessions, 50 packets/s each way each, SECONDS per mode.
//
//   media-transcode-bench [CALLS] [SECONDS]        defaults: 100 calls, 10 s per mode
//
// Leg a receives PCMU (160 bytes), leg b receives PCMU (plain mode) or G.729 (20 bytes, transcode mode:
// leg a PCMU -> G.729 out of b, leg b G.729 -> PCMU out of a). CPU time is the media thread's own
// (pthread_getcpuclockid), so the generator in the same process does not count; ns/packet is that time
// over the packets the thread relayed (both directions). No SRTP, timers off.
import Foundation
import Glibc
import Media
import MediaCodecs
import MediaCore

nonisolated(unsafe) var mediaThread = pthread_t()

func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func nowNs() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func threadCPUNs(_ thread: pthread_t) -> UInt64 {
    var clock = clockid_t()
    guard pthread_getcpuclockid(thread, &clock) == 0 else { return 0 }
    var ts = timespec()
    clock_gettime(clock, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

let loopback = MediaAddress("127.0.0.1", port: 0)!

// A generator socket connected to one relay leg.
func generatorSocket(to leg: MediaAddress) -> (fd: Int32, address: MediaAddress) {
    let pair = try! MediaSocketPair.open(local: loopback, rtcpMux: true)
    var size: Int32 = 4 << 20
    _ = setsockopt(pair.rtp, Int32(SOL_SOCKET), SO_RCVBUF, &size, 4)
    var sin = sockaddr_in()
    sin.sin_family = sa_family_t(AF_INET)
    sin.sin_port = leg.port.bigEndian
    sin.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let rc = withUnsafePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(pair.rtp, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    precondition(rc == 0, "connect: \(errno)")
    return (pair.rtp, pair.local)
}

func rtp(pt: UInt8, seq: UInt16, ssrc: UInt32, payload: [UInt8]) -> [UInt8] {
    var p = [UInt8](repeating: 0, count: 12)
    var h = RTPHeader(payloadType: pt, sequence: seq, timestamp: UInt32(seq) &* 160, ssrc: ssrc)
    h.marker = false
    p.withUnsafeMutableBytes { _ = RTPWrite.writeHeader(h, into: $0) }
    return p + payload
}

func run(calls: Int, seconds: Int, transcode: Bool) -> (ns: Double, relayed: UInt64, sent: UInt64, received: UInt64) {
    var configuration = MediaEngineConfiguration()
    configuration.sessionCapacity = calls
    configuration.realtimePriority = 0
    configuration.lockMemory = false
    configuration.rtpTimeoutMilliseconds = 0
    configuration.oneWayAudioMilliseconds = 0
    configuration.statsIntervalMilliseconds = 0
    configuration.threadStartHook = { mediaThread = pthread_self() }
    let engine = try! MediaEngine(configuration: configuration)
    try! engine.start()
    var generators: [(x: Int32, y: Int32)] = []
    var ids: [MediaSessionID] = []
    for _ in 0..<calls {
        let legA = try! MediaSocketPair.open(local: loopback, rtcpMux: true)
        let legB = try! MediaSocketPair.open(local: loopback, rtcpMux: true)
        let x = generatorSocket(to: legA.local)
        let y = generatorSocket(to: legB.local)
        var a = MediaLegConfiguration(sockets: legA, remote: x.address)
        var b = MediaLegConfiguration(sockets: legB, remote: y.address)
        a.latching = false
        b.latching = false
        if transcode {
            a.transcode = MediaTranscode(incoming: .pcmu, incomingPayloadType: 0, outgoing: .g729, outgoingPayloadType: 18)
            b.transcode = MediaTranscode(incoming: .g729, incomingPayloadType: 18, outgoing: .pcmu, outgoingPayloadType: 0)
        }
        ids.append(try! engine.createSession(a: a, b: b))
        generators.append((x.fd, y.fd))
        if ids.count % 32 == 0 { _ = engine.waitForEvents(timeoutMilliseconds: 100); engine.pollEvents { _ in } }
    }
    var created = 0
    let deadline = nowNs() + 5_000_000_000
    while created < calls && nowNs() < deadline {
        _ = engine.waitForEvents(timeoutMilliseconds: 50)
        engine.pollEvents { if case .sessionCreated = $0 { created += 1 } }
    }
    // A 1 kHz tone, as PCMU and as G.729, 50 packets of 20 ms cycled.
    let tone = (0..<8000).map { Int16((10_000 * sin(2 * Double.pi * 1000 * Double($0) / 8000)).rounded()) }
    let ulaw = (0..<50).map { k in tone[(160 * k)..<(160 * k + 160)].map(G711.linearToUlaw) }
    let encoder = G729Encoder()
    let g729 = (0..<50).map { k -> [UInt8] in
        var out = [UInt8](repeating: 0, count: 20)
        tone[(160 * k)..<(160 * k + 160)].withUnsafeBufferPointer { p in out.withUnsafeMutableBytes { _ = encoder.encode(p, into: $0) } }
        return out
    }
    var sent: UInt64 = 0
    var received: UInt64 = 0
    var buffer = [UInt8](repeating: 0, count: 2048)
    func drain() {
        for g in generators {
            for fd in [g.x, g.y] {
                while recv(fd, &buffer, 2048, Int32(MSG_DONTWAIT)) > 0 { received += 1 }
            }
        }
    }
    let period: UInt64 = 20_000_000
    let start = nowNs()
    let cpu0 = threadCPUNs(mediaThread)
    var seq: UInt16 = 0
    var next = start
    while next < start + UInt64(seconds) * 1_000_000_000 {
        // Calls spread over the 20 ms period, one slice per millisecond.
        for slice in 0..<20 {
            var ts = timespec(tv_sec: Int(next / 1_000_000_000), tv_nsec: Int(next % 1_000_000_000))
            clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil)
            var i = slice
            while i < calls {
                let k = Int(seq % 50)
                let p = rtp(pt: 0, seq: seq, ssrc: 0xA000 + UInt32(i), payload: ulaw[k])
                let q = transcode ? rtp(pt: 18, seq: seq, ssrc: 0xB000 + UInt32(i), payload: g729[k])
                                  : rtp(pt: 0, seq: seq, ssrc: 0xB000 + UInt32(i), payload: ulaw[k])
                if send(generators[i].x, p, p.count, 0) == p.count { sent += 1 }
                if send(generators[i].y, q, q.count, 0) == q.count { sent += 1 }
                i += 20
            }
            drain()
            next += period / 20
        }
        seq &+= 1
    }
    usleep(200_000)
    drain()
    let cpu1 = threadCPUNs(mediaThread)
    for id in ids { try? engine.destroySession(id) }
    var relayed: UInt64 = 0
    var destroyed = 0
    let end = nowNs() + 5_000_000_000
    while destroyed < calls && nowNs() < end {
        _ = engine.waitForEvents(timeoutMilliseconds: 50)
        engine.pollEvents { if case .sessionDestroyed(_, let s) = $0 { destroyed += 1; relayed += s.a.packetsSent + s.b.packetsSent } }
    }
    engine.stop()
    for g in generators { close(g.x); close(g.y) }
    return (relayed > 0 ? Double(cpu1 - cpu0) / Double(relayed) : 0, relayed, sent, received)
}

// The codec work alone, on this thread: one 20 ms packet each way as the media thread does it.
func codecOnly(packets: Int) -> (pcmuToG729: Double, g729ToPCMU: Double) {
    let tone = (0..<160).map { Int16((10_000 * sin(2 * Double.pi * 1000 * Double($0) / 8000)).rounded()) }
    let ulaw = tone.map(G711.linearToUlaw)
    let encoder = G729Encoder()
    let decoder = G729Decoder()
    var pcm = [Int16](repeating: 0, count: 160)
    var g729 = [UInt8](repeating: 0, count: 20)
    var out = [UInt8](repeating: 0, count: 160)
    let self0 = threadCPUNs(pthread_self())
    for _ in 0..<packets {
        for i in 0..<160 { pcm[i] = G711.ulawToLinear(ulaw[i]) }
        pcm.withUnsafeBufferPointer { p in g729.withUnsafeMutableBytes { _ = encoder.encode(p, into: $0) } }
    }
    let self1 = threadCPUNs(pthread_self())
    for _ in 0..<packets {
        g729.withUnsafeBytes { p in pcm.withUnsafeMutableBufferPointer { _ = decoder.decode(p, into: $0) } }
        for i in 0..<160 { out[i] = G711.linearToUlaw(pcm[i]) }
    }
    let self2 = threadCPUNs(pthread_self())
    return (Double(self1 - self0) / Double(packets), Double(self2 - self1) / Double(packets))
}

let args = CommandLine.arguments
let calls = args.count > 1 ? Int(args[1]) ?? 100 : 100
let seconds = args.count > 2 ? Int(args[2]) ?? 10 : 10
let codec = codecOnly(packets: 5_000)
say(String(format: "codec work alone per 20 ms packet: PCMU->G.729 %.0f ns, G.729->PCMU %.0f ns (mean %.0f)",
           codec.pcmuToG729, codec.g729ToPCMU, (codec.pcmuToG729 + codec.g729ToPCMU) / 2))
say("media-transcode-bench: \(calls) calls, \(seconds) s per mode, \(calls * 100) packets/s through the relay")
var results: [String: Double] = [:]
for (name, transcode) in [("plain", false), ("transcode", true), ("plain", false), ("transcode", true)] {
    let r = run(calls: calls, seconds: seconds, transcode: transcode)
    say("\(name): media thread \(String(format: "%.0f", r.ns)) ns/packet (relayed \(r.relayed), sent \(r.sent), received \(r.received))")
    results[name] = min(results[name] ?? .infinity, r.ns)
}
if let p = results["plain"], let t = results["transcode"] {
    say(String(format: "best of two: plain %.0f ns/packet, PCMU<->G.729 transcoding %.0f ns/packet (%.1fx, +%.0f ns)", p, t, t / p, t - p))
}
