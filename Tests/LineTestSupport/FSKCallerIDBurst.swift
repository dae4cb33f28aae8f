// FSKCallerIDBurst: an independent caller ID FSK generator for the line tests (GR-30 Bell 202 and EN 300 659 V.23 layouts), written from the published formats.
import Foundation

/// Builds caller ID audio: channel seizure (alternating bits), a mark run, then the message octets
/// (type, length, parameters, checksum) as 8N1 asynchronous characters, LSB first, at 1200 baud with
/// continuous phase. Mark/space are 1200/2200 Hz (Bell 202) or 1300/2100 Hz (V.23).
public struct FSKCallerIDBurst: Sendable {
    public var markHz: Double
    public var spaceHz: Double
    public var seizureBits = 300
    public var markBits = 180
    public var amplitude = 6000.0
    public var trailingMarkBits = 40

    public init(markHz: Double, spaceHz: Double) {
        self.markHz = markHz
        self.spaceHz = spaceHz
    }

    public static let bell202 = FSKCallerIDBurst(markHz: 1200, spaceHz: 2200)
    public static let v23 = FSKCallerIDBurst(markHz: 1300, spaceHz: 2100)

    /// An MDMF message (type 0x80) from parameters, with its checksum (two's complement of the octet sum).
    public static func mdmf(_ parameters: [(UInt8, String)], corruptChecksum: Bool = false) -> [UInt8] {
        var body: [UInt8] = []
        for (type, value) in parameters { body += [type, UInt8(value.utf8.count)] + Array(value.utf8) }
        return framed(type: 0x80, body: body, corruptChecksum: corruptChecksum)
    }

    /// An SDMF message (type 0x04): date/time MMDDHHMM then the number (or "P"/"O").
    public static func sdmf(dateTime: String, number: String) -> [UInt8] {
        framed(type: 0x04, body: Array(dateTime.utf8) + Array(number.utf8), corruptChecksum: false)
    }

    public static func framed(type: UInt8, body: [UInt8], corruptChecksum: Bool) -> [UInt8] {
        var message = [type, UInt8(body.count)] + body
        let sum = message.reduce(UInt8(0)) { $0 &+ $1 }
        var checksum = 0 &- sum
        if corruptChecksum { checksum ^= 0x10 }
        message.append(checksum)
        return message
    }

    /// The audio of `message` with seizure and mark before it and a little mark after, at 8 kHz.
    public func audio(_ message: [UInt8]) -> [Int16] {
        var bits: [Bool] = []
        for i in 0..<seizureBits { bits.append(i % 2 == 1) }     // 0101...: starts with a space
        bits += Array(repeating: true, count: markBits)
        for octet in message {
            bits.append(false)                                    // start bit
            for b in 0..<8 { bits.append(octet >> b & 1 == 1) }   // LSB first
            bits.append(true)                                     // stop bit
        }
        bits += Array(repeating: true, count: trailingMarkBits)  // trailing mark
        let samples = Int((Double(bits.count) * 8000 / 1200).rounded(.up))
        var out = [Int16](repeating: 0, count: samples)
        var phase = 0.0
        for n in 0..<samples {
            let bit = bits[min(bits.count - 1, n * 1200 / 8000)]
            phase += 2 * Double.pi * (bit ? markHz : spaceHz) / 8000
            out[n] = Int16(amplitude * sin(phase))
        }
        return out
    }
}
