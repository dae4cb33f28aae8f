// FarEndMedia: the far end's audio for one emulated call, on its own thread: a 1 kHz tone for the first
// seconds, then an echo of what it receives; RFC 4733 DTMF on request; SDES-SRTP when negotiated.
// A test endpoint, not the box's realtime engine: a plain UDP socket, poll(2) and a 20 ms clock.
import Foundation
import Media
import MediaCodecs
import MediaCore
import SIPCore
#if canImport(Glibc)
import Glibc
#endif

/// The audio codecs the far end speaks (Skype Connect's: G.729 annex B off, G.711 μ-law and A-law).
public enum FarEndCodec: String, Sendable {
    case g729 = "G729", pcmu = "PCMU", pcma = "PCMA"
    public var payloadType: UInt8 { switch self { case .g729: 18; case .pcmu: 0; case .pcma: 8 } }
    public init?(_ map: SDPRtpMap) {
        switch map.encodingName.uppercased() {
        case "G729" where map.clockRate == 8000: self = .g729
        case "PCMU" where map.clockRate == 8000: self = .pcmu
        case "PCMA" where map.clockRate == 8000: self = .pcma
        default: return nil
        }
    }
}

/// What the signalling agreed for one call's media.
public struct FarEndMediaPlan: Sendable {
    public var codec: FarEndCodec
    /// The payload type the peer uses for the codec (static ones are fixed).
    public var payloadType: UInt8
    public var telephoneEventPT: UInt8?
    public var remoteIP: String
    public var remotePort: Int
    /// Our key (we protect with it) and the peer's (we unprotect with it); nil for plain RTP.
    public var sendKey: SRTPKeyMaterial?
    public var receiveKey: SRTPKeyMaterial?
    public var toneSeconds: Int
    /// The tone it plays (Hz) for `toneSeconds`.
    public var toneFrequency: Double = 1000
    /// Echo what it hears once the tone is over (the trunk's far end); false: silence (the simulated PBX's phone).
    public var echoes = true

    public init(codec: FarEndCodec, payloadType: UInt8, telephoneEventPT: UInt8?, remoteIP: String, remotePort: Int,
                sendKey: SRTPKeyMaterial?, receiveKey: SRTPKeyMaterial?, toneSeconds: Int, toneFrequency: Double = 1000, echoes: Bool = true) {
        self.codec = codec; self.payloadType = payloadType; self.telephoneEventPT = telephoneEventPT
        self.remoteIP = remoteIP; self.remotePort = remotePort; self.sendKey = sendKey; self.receiveKey = receiveKey
        self.toneSeconds = toneSeconds; self.toneFrequency = toneFrequency; self.echoes = echoes
    }
}

/// Counters a call's record and `status` show.
public struct FarEndMediaStats: Sendable, Equatable {
    public var sent = 0
    public var received = 0
    public var srtpFailures = 0
    public var echoed = 0
    public var dtmfReceived = ""
    public var dtmfSent = ""
    /// 20 ms frames heard that were one clear tone, by its frequency (Hz, of `FarEndMedia.listenFor`).
    public var tonesHeard: [Int: Int] = [:]

    /// Seconds of `frequency` heard.
    public func secondsHeard(_ frequency: Int) -> Double { Double(tonesHeard[frequency] ?? 0) / 50 }
}

public final class FarEndMedia: @unchecked Sendable {
    public let localIP: String
    public let localPort: Int
    private let fd: Int32
    private let lock = NSLock()
    private var plan: FarEndMediaPlan?
    private var running = false
    private var thread: Thread?
    private var pendingDigits: [Character] = []
    private var _stats = FarEndMediaStats()

    /// Binds a UDP socket on the first free even port of `ports`.
    public init(localIP: String, ports: ClosedRange<Int>, startAt: Int) throws {
        let s = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard s >= 0 else { throw EmulatorError("cannot create an RTP socket (errno \(errno))") }
        let count = (ports.count / 2)
        var bound: Int?
        for i in 0..<count {
            var port = ports.lowerBound + ((startAt + i) % count) * 2
            if port % 2 == 1 { port += 1 }
            guard port <= ports.upperBound else { continue }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, localIP, &addr.sin_addr)
            let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            if r == 0 { bound = port; break }
        }
        guard let bound else { close(s); throw EmulatorError("no free RTP port in \(ports)") }
        fd = s
        self.localIP = localIP
        localPort = bound
    }

    deinit { close(fd) }

    public var stats: FarEndMediaStats { lock.withLock { _stats } }

    /// The tones a received frame is checked for (the trunk's far end plays 1 kHz, the simulated PBX 600 Hz).
    public static let listenFor = [400, 600, 1000, 1400]

    /// The tone of `listenFor` that makes up most of a frame, when the frame is loud enough to count.
    static func clearTone(_ pcm: UnsafeBufferPointer<Int16>) -> Int? {
        let total = ToneMeter.meanSquare(pcm)
        guard total > 300 * 300 else { return nil }        // about -40 dBm0: silence and comfort noise do not count
        for f in listenFor where ToneMeter.power(of: Double(f), in: pcm) > 0.6 * total { return f }
        return nil
    }

    /// Starts the media thread (once the answer is known).
    public func start(_ plan: FarEndMediaPlan) {
        lock.withLock {
            self.plan = plan
            running = true
        }
        let t = Thread { [self] in self.run(plan) }
        t.name = "emulator-media-\(localPort)"
        thread = t
        t.start()
    }

    public func stop() { lock.withLock { running = false } }

    public func sendDTMF(_ digits: String) { lock.withLock { pendingDigits.append(contentsOf: digits) } }

    private var isRunning: Bool { lock.withLock { running } }

    // MARK: - The media thread

    private func run(_ plan: FarEndMediaPlan) {
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(plan.remotePort).bigEndian)
        inet_pton(AF_INET, plan.remoteIP, &remote.sin_addr)
        let outbound = plan.sendKey.flatMap { try? SRTPContext(key: $0, direction: .outbound) }
        let inbound = plan.receiveKey.flatMap { try? SRTPContext(key: $0, direction: .inbound) }
        let encoder = plan.codec == .g729 ? G729Encoder() : nil
        let decoder = plan.codec == .g729 ? G729Decoder() : nil
        var heard = [Int16](repeating: 0, count: 160)
        let ssrc = UInt32.random(in: 1...UInt32.max)
        var sequence = UInt16.random(in: 0...UInt16.max)
        var timestamp = UInt32.random(in: 0...UInt32.max)
        var echo: [[UInt8]] = []
        var lastEvent: (UInt32, UInt8)?
        var phase = 0.0
        let toneFrames = plan.toneSeconds * 50
        var frame = 0
        var dtmf: (digit: Character, step: Int)?
        var buffer = [UInt8](repeating: 0, count: 2048)
        let start = DispatchTime.now().uptimeNanoseconds

        func send(_ payload: ArraySlice<UInt8>, pt: UInt8, marker: Bool, ts: UInt32) {
            var length = 12 + payload.count
            buffer.withUnsafeMutableBytes { p in
                RTPWrite.writeHeader(RTPHeader(marker: marker, payloadType: pt, sequence: sequence, timestamp: ts, ssrc: ssrc), into: p)
                for (i, b) in payload.enumerated() { p[12 + i] = b }
                if let outbound { _ = outbound.protectRTP(p.baseAddress!, length: &length, capacity: p.count) }
                _ = withUnsafePointer(to: &remote) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, p.baseAddress, length, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
            sequence &+= 1
            lock.withLock { _stats.sent += 1 }
        }

        func encode(_ pcm: [Int16]) -> [UInt8] {
            switch plan.codec {
            case .pcmu: return pcm.map(G711.linearToUlaw)
            case .pcma: return pcm.map(G711.linearToAlaw)
            case .g729:
                var out = [UInt8](repeating: 0, count: 20)
                let n = pcm.withUnsafeBufferPointer { src in out.withUnsafeMutableBytes { encoder!.encode(src, into: $0)?.bytes ?? 0 } }
                return Array(out.prefix(n))
            }
        }

        while isRunning {
            // Receive until the next 20 ms tick.
            let due = start + UInt64(frame) * 20_000_000
            while true {
                let now = DispatchTime.now().uptimeNanoseconds
                if now >= due { break }
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let wait = Int32(max(1, (due - now) / 1_000_000))
                guard poll(&pfd, 1, wait) > 0 else { continue }
                var packet = [UInt8](repeating: 0, count: 2048)
                var length = packet.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard length > 0 else { continue }
                if let inbound {
                    let status = packet.withUnsafeMutableBytes { inbound.unprotectRTP($0.baseAddress!, length: &length) }
                    guard status.isOK else { lock.withLock { _stats.srtpFailures += 1 }; continue }
                }
                guard let header = packet.withUnsafeBytes({ RTPHeader.parse(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }) else { continue }
                lock.withLock { _stats.received += 1 }
                let payload = Array(packet[header.headerLength..<(header.headerLength + header.payloadLength)])
                if header.payloadType == plan.telephoneEventPT {
                    let event = payload.withUnsafeBytes { TelephoneEvent.parse($0) }
                    if let event, event.end, lastEvent.map({ $0 != (header.timestamp, event.event) }) ?? true {
                        lastEvent = (header.timestamp, event.event)
                        if let c = event.dtmfCharacter { lock.withLock { _stats.dtmfReceived.append(c) } }
                    }
                } else if header.payloadType == plan.payloadType {
                    if plan.echoes, frame >= toneFrames, echo.count < 25 { echo.append(payload) }
                    let samples: Int = payload.withUnsafeBytes { src in
                        heard.withUnsafeMutableBufferPointer { dst in
                            switch plan.codec {
                            case .pcmu: return G711.decodeUlaw(src.bindMemory(to: UInt8.self), into: dst)
                            case .pcma: return G711.decodeAlaw(src.bindMemory(to: UInt8.self), into: dst)
                            case .g729: return decoder?.decode(src, into: dst) ?? 0
                            }
                        }
                    }
                    if samples >= 80, let f = heard.withUnsafeBufferPointer({ Self.clearTone(UnsafeBufferPointer(rebasing: $0[0..<min(samples, 160)])) }) {
                        lock.withLock { _stats.tonesHeard[f, default: 0] += 1 }
                    }
                }
            }
            frame += 1
            timestamp &+= 160
            // DTMF first (RFC 4733: 8 packets of one event, the same timestamp, growing duration, 3 ends).
            if dtmf == nil, let digit = lock.withLock({ pendingDigits.isEmpty ? nil : pendingDigits.removeFirst() }) {
                dtmf = (digit, 0)
            }
            if var d = dtmf, let pt = plan.telephoneEventPT {
                let code = UInt8("0123456789*#ABCD".firstIndex(of: d.digit).map { "0123456789*#ABCD".distance(from: "0123456789*#ABCD".startIndex, to: $0) } ?? 0)
                let eventTS = timestamp &- UInt32(160 * d.step)
                if d.step < 11 {
                    let end = d.step >= 8
                    let ev = TelephoneEvent(event: code, end: end, volume: 10, duration: UInt16(160 * min(d.step + 1, 8)))
                    var bytes = [UInt8](repeating: 0, count: 4)
                    _ = bytes.withUnsafeMutableBytes { ev.write(into: $0) }
                    send(bytes[...], pt: pt, marker: d.step == 0, ts: eventTS)
                    if d.step == 10 { lock.withLock { _stats.dtmfSent.append(d.digit) } }
                    d.step += 1
                    dtmf = d
                    continue
                }
                if d.step < 16 { d.step += 1; dtmf = d } else { dtmf = nil }   // 100 ms gap of audio
            } else if dtmf != nil {
                dtmf = nil
            }
            if frame <= toneFrames {
                var pcm = [Int16](repeating: 0, count: 160)
                for i in 0..<160 {
                    pcm[i] = Int16(8000 * sin(phase))
                    phase += 2 * Double.pi * plan.toneFrequency / 8000
                }
                if phase > 2 * Double.pi * 1000 { phase -= 2 * Double.pi * 1000 }
                send(encode(pcm)[...], pt: plan.payloadType, marker: frame == 1, ts: timestamp)
            } else if !echo.isEmpty {
                send(echo.removeFirst()[...], pt: plan.payloadType, marker: false, ts: timestamp)
                lock.withLock { _stats.echoed += 1 }
            } else {
                send(encode([Int16](repeating: 0, count: 160))[...], pt: plan.payloadType, marker: false, ts: timestamp)
            }
        }
    }
}

public struct EmulatorError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ text: String) { description = text }
}
