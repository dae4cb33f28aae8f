// CallerIDReceiver: caller ID between rings (spandsp adsi_rx: Bell 202 CLASS, V.23 CLIP, DTMF CLIP); a bad checksum is an error, never a number. Realtime: no allocation after init.
import CSpanDSP

/// Listens to the line while it is on hook for a caller ID message. `process` (realtime) only copies
/// the message octets into a buffer made in `init` and reports that something arrived; `decode()`
/// (control side, allocates strings) turns them into a `CallerID`. Not thread-safe: one owner.
///
/// spandsp verifies FSK checksums itself but reports a mismatch only to its log. To tell "bad
/// checksum" from "nothing heard", audio is fed in 8-sample slices (an octet lasts about 67 samples)
/// and the receiver's framing progress is read after each: a message that reached its last octet and
/// was then dropped without delivery failed its checksum.
public final class CallerIDReceiver {
    /// What a period brought.
    public enum Event: Sendable, Hashable {
        /// A whole message arrived; read it with `decode()`.
        case message
        /// An FSK message was framed but failed its checksum; it was discarded.
        case checksumError
    }

    public let standard: CallerIDStandard
    private let state: UnsafeMutablePointer<adsi_rx_state_t>
    private let message: UnsafeMutablePointer<UInt8>
    private static let messageCapacity = 256
    private static let slice = 8
    private var messageLength = 0
    private var lastError: CallerIDError? = .noMessage
    private var delivered = false
    private var framedBefore = 0
    private var declaredBefore = -1

    /// Makes a receiver for one signalling standard. Returns nil when spandsp cannot allocate its state.
    public init?(standard: CallerIDStandard) {
        self.standard = standard
        let adsiStandard: Int32
        switch standard {
        case .bell202: adsiStandard = Int32(ADSI_STANDARD_CLASS)
        case .v23: adsiStandard = Int32(ADSI_STANDARD_CLIP)
        case .dtmf: adsiStandard = Int32(ADSI_STANDARD_CLIP_DTMF)
        }
        message = .allocate(capacity: Self.messageCapacity)
        guard let state = adsi_rx_init(nil, adsiStandard, nil, nil) else {
            message.deallocate()
            return nil
        }
        self.state = state
        // Re-initialise in place now that `self` exists to receive the callback.
        adsi_rx_init(state, adsiStandard, { context, bytes, length in
            guard let context, let bytes else { return }
            Unmanaged<CallerIDReceiver>.fromOpaque(context).takeUnretainedValue().store(bytes, Int(length))
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        adsi_rx_free(state)
        message.deallocate()
    }

    /// Feeds one period of line audio; returns what completed in it, if anything.
    public func process(_ samples: UnsafeBufferPointer<Int16>) -> Event? {
        guard let base = samples.baseAddress else { return nil }
        var event: Event?
        var offset = 0
        while offset < samples.count {
            let count = min(Self.slice, samples.count - offset)
            delivered = false
            adsi_rx(state, base + offset, Int32(count))
            offset += count
            let framed = Int(tb_adsi_rx_framed_octets(state))
            if delivered {
                event = .message
            } else if standard != .dtmf {
                // The last octet (the checksum) completes at framed == declared + 3; spandsp then empties the
                // buffer. Seen at declared + 2 before and 0 now without a delivery: the checksum failed.
                if framed == 0 && declaredBefore >= 0 && framedBefore == declaredBefore + 2 {
                    lastError = .checksumMismatch
                    messageLength = 0
                    event = .checksumError
                }
            }
            framedBefore = framed
            declaredBefore = Int(tb_adsi_rx_declared_length(state))
        }
        return event
    }

    /// The last message received, decoded; throws `.checksumMismatch` when the last one failed its
    /// checksum, `.noMessage` before any. Allocates (strings): call it off the realtime thread.
    public func decode() throws(CallerIDError) -> CallerID {
        if let lastError { throw lastError }
        return try CallerID.decode(UnsafeBufferPointer(start: message, count: messageLength), standard: standard)
    }

    /// Copies the raw octets of the last message into `buffer` without allocating (the realtime side hands
    /// them to the control side, which decodes them with `CallerID.decode(_:standard:)`); returns how many
    /// were copied (at most `buffer.count`; 256 always suffice).
    public func copyLastMessage(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress, lastError == nil else { return 0 }
        let n = min(messageLength, buffer.count)
        base.update(from: message, count: n)
        return n
    }

    /// The raw octets of the last message (type to last data octet for FSK; digits for DTMF).
    public var lastMessage: [UInt8] { Array(UnsafeBufferPointer(start: message, count: messageLength)) }

    private func store(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        let n = min(length, Self.messageCapacity)
        message.update(from: bytes, count: n)
        messageLength = n
        lastError = nil
        delivered = true
    }
}

@available(*, unavailable)
extension CallerIDReceiver: Sendable {}
