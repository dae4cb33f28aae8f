// G729Tests: a tone and speech-like signals survive G.729 through bcg729; payload framing per RFC 3551 §4.5.6.
import Foundation
import Testing
@testable import MediaCodecs

/// A sine of `frequency` Hz at 8 kHz, `amplitude` peak, `count` samples.
func sine(_ frequency: Double, amplitude: Double, count: Int, phase: Double = 0) -> [Int16] {
    (0..<count).map { Int16((amplitude * sin(2 * Double.pi * frequency * Double($0) / 8000 + phase)).rounded()) }
}

/// Runs `pcm` (whole 10 ms frames) through a G.729 encoder and decoder in 20 ms RTP payloads; returns
/// the decoded PCM and the payload lengths.
func throughG729(_ pcm: [Int16], vad: Bool = false) -> (decoded: [Int16], payloads: [Int]) {
    let encoder = G729Encoder(vad: vad)
    let decoder = G729Decoder()
    var decoded: [Int16] = []
    var lengths: [Int] = []
    var payload = [UInt8](repeating: 0, count: 20)
    var out = [Int16](repeating: 0, count: 160)
    var start = 0
    while start < pcm.count {
        let end = min(start + 160, pcm.count)
        var used = start
        while used < end {
            let r = pcm[used..<end].withUnsafeBufferPointer { src in
                payload.withUnsafeMutableBytes { encoder.encode(src, into: $0) }
            }!
            lengths.append(r.bytes)
            if r.bytes > 0 {
                let n = payload[0..<r.bytes].withUnsafeBytes { src in out.withUnsafeMutableBufferPointer { decoder.decode(src, into: $0) } }!
                decoded += out[0..<n]
            }
            used += r.samplesUsed
        }
        start = end
    }
    return (decoded, lengths)
}

@Suite("G.729 through bcg729")
struct G729Tests {
    @Test func payloadLengthsFollowRFC3551() {
        #expect(G729.frames(inPayloadOf: 10)! == (1, false))
        #expect(G729.frames(inPayloadOf: 20)! == (2, false))
        #expect(G729.frames(inPayloadOf: 22)! == (2, true))
        #expect(G729.frames(inPayloadOf: 2)! == (0, true))
        for bad in [0, 1, 3, 9, 11, 15, 19, 21, 23] { #expect(G729.frames(inPayloadOf: bad) == nil, "length \(bad)") }
    }

    @Test func aOneKilohertzToneSurvivesEncodeAndDecode() {
        let input = sine(1000, amplitude: 8000, count: 8000)
        let (decoded, lengths) = throughG729(input)
        #expect(lengths.allSatisfy { $0 == 20 }, "two 10-byte frames per 20 ms payload without VAD")
        #expect(decoded.count == input.count)
        // Skip the codec's first 100 ms while its filters settle.
        let tail = Array(decoded[800...])
        tail.withUnsafeBufferPointer { out in
            let total = ToneMeter.meanSquare(out)
            let tone = ToneMeter.power(of: 1000, in: out)
            let wrong = ToneMeter.power(of: 1500, in: out)
            #expect(tone / total > 0.8, "1 kHz holds \(tone / total) of the decoded power")
            #expect(wrong / total < 0.01, "1.5 kHz holds \(wrong / total)")
            let inLevel = input.withUnsafeBufferPointer { ToneMeter.levelDBFS(meanSquare: ToneMeter.meanSquare($0)) }
            let outLevel = ToneMeter.levelDBFS(meanSquare: total)
            #expect(abs(outLevel - inLevel) < 3, "level in \(inLevel) dBFS, out \(outLevel) dBFS")
        }
    }

    @Test func twoTonesKeepTheirIdentity() {
        // 697 Hz + 1209 Hz (DTMF "1"): both survive, a DTMF-absent frequency stays low.
        let a = sine(697, amplitude: 5000, count: 8000), b = sine(1209, amplitude: 5000, count: 8000)
        let (decoded, _) = throughG729(zip(a, b).map { $0 &+ $1 })
        Array(decoded[800...]).withUnsafeBufferPointer { out in
            let total = ToneMeter.meanSquare(out)
            #expect(ToneMeter.power(of: 697, in: out) / total > 0.25)
            #expect(ToneMeter.power(of: 1209, in: out) / total > 0.25)
            #expect(ToneMeter.power(of: 941, in: out) / total < 0.02)
        }
    }

    @Test func silenceWithVADBecomesSIDOrNothing() {
        let (_, lengths) = throughG729([Int16](repeating: 0, count: 8000), vad: true)
        #expect(lengths.allSatisfy { $0 == 0 || $0 == 2 || $0 == 10 || $0 == 20 || $0 == 12 })
        #expect(lengths.contains { $0 == 0 || $0 % 10 == 2 }, "VAD sends SID or nothing for silence: \(lengths.prefix(20))")
        #expect(lengths.filter { $0 >= 10 }.count < lengths.count / 2)
    }

    @Test func invalidPayloadsAreRefusedNotDecoded() {
        let decoder = G729Decoder()
        var out = [Int16](repeating: 0, count: 160)
        for length in [0, 1, 3, 11, 25] {
            let payload = [UInt8](repeating: 0x55, count: length)
            let r = payload.withUnsafeBytes { src in out.withUnsafeMutableBufferPointer { decoder.decode(src, into: $0) } }
            #expect(r == nil, "length \(length)")
        }
        // A valid payload into too small an output buffer is refused as well.
        var small = [Int16](repeating: 0, count: 80)
        let two = [UInt8](repeating: 0, count: 20)
        #expect(two.withUnsafeBytes { src in small.withUnsafeMutableBufferPointer { decoder.decode(src, into: $0) } } == nil)
        let encoder = G729Encoder()
        var payload = [UInt8](repeating: 0, count: 20)
        let odd = [Int16](repeating: 0, count: 100)
        #expect(odd.withUnsafeBufferPointer { src in payload.withUnsafeMutableBytes { encoder.encode(src, into: $0) } } == nil)
    }

    @Test func concealmentContinuesTheToneAfterALostFrame() {
        let input = sine(1000, amplitude: 8000, count: 4000)
        let encoder = G729Encoder(), decoder = G729Decoder()
        var payload = [UInt8](repeating: 0, count: 10)
        var frame = [Int16](repeating: 0, count: 80)
        var concealed: [Int16] = []
        for i in 0..<50 {
            let pcm = Array(input[(i * 80)..<(i * 80 + 80)])
            _ = pcm.withUnsafeBufferPointer { src in payload.withUnsafeMutableBytes { encoder.encode(src, into: $0) } }
            if i >= 40 && i < 43 {
                #expect(frame.withUnsafeMutableBufferPointer { decoder.conceal(frames: 1, into: $0) } == 80)
                concealed += frame
            } else {
                _ = payload.withUnsafeBytes { src in frame.withUnsafeMutableBufferPointer { decoder.decode(src, into: $0) } }
            }
        }
        concealed.withUnsafeBufferPointer { out in
            let total = ToneMeter.meanSquare(out)
            #expect(total > 1_000_000, "concealment is not silence (mean square \(total))")
            // Concealment repeats the last pitch period with decaying, noisier excitation: the tone is
            // still the strongest component of the band, though no longer a pure one.
            let bins = stride(from: 250.0, through: 3500, by: 250).map { ($0, ToneMeter.power(of: $0, in: out)) }
            #expect(bins.max { $0.1 < $1.1 }?.0 == 1000, "band powers: \(bins.map { Int($0.1 / total * 100) })")
        }
    }
}

@Suite("Tone meter")
struct ToneMeterTests {
    @Test func goertzelFindsTheToneAndItsPower() {
        let s = sine(1000, amplitude: 10000, count: 800)
        s.withUnsafeBufferPointer { b in
            let p = ToneMeter.power(of: 1000, in: b)
            #expect(abs(p - 50_000_000) / 50_000_000 < 0.01, "A²/2 = 5e7, got \(p)")
            #expect(ToneMeter.power(of: 2000, in: b) < 1)
            #expect(abs(ToneMeter.levelDBFS(meanSquare: ToneMeter.meanSquare(b)) - 20 * log10(10000.0 / 32767)) < 0.05)
        }
    }
}
