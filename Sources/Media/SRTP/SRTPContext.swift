// SRTPContext: one direction of an SRTP/SRTCP session over libsrtp2, protecting packets in place (RFC 3711 §3).
import CSRTP

/// What one protect or unprotect call did. Realtime-safe: a plain value.
public struct SRTPStatus: Sendable, Equatable, CustomStringConvertible {
    /// libsrtp2's `srtp_err_status_t` value, 0 for success.
    public let rawValue: Int32

    /// Success.
    public static let ok = SRTPStatus(rawValue: 0)
    /// The packet failed authentication (tampered, or the wrong key).
    public static let authenticationFailed = SRTPStatus(rawValue: 7)
    /// The packet's index was seen before (a replay).
    public static let replayed = SRTPStatus(rawValue: 9)
    /// The packet's index is older than the replay window.
    public static let tooOld = SRTPStatus(rawValue: 10)
    /// The caller's buffer has no room for the trailer, or the packet is too short or too long.
    public static let badLength = SRTPStatus(rawValue: -1)

    init(rawValue: Int32) { self.rawValue = rawValue }

    /// True for success.
    public var isOK: Bool { rawValue == 0 }

    /// A short name for logs.
    public var description: String {
        switch rawValue {
        case 0: return "ok"
        case 7: return "authentication failed"
        case 9: return "replayed"
        case 10: return "too old for the replay window"
        case -1: return "bad length"
        default: return "libsrtp status \(rawValue)"
        }
    }
}

/// An SRTP session for one direction: `.outbound` protects what the box sends, `.inbound` unprotects
/// what it receives (with libsrtp2's replay window). Packets are transformed in place in the caller's
/// buffer, which needs `SRTPContext.maximumTrailer` octets of spare room after the packet to protect.
///
/// Creating and freeing a context allocates (inside libsrtp2): do it on the control side. The
/// per-packet calls allocate nothing and take no lock, but a context is not thread-safe: one thread
/// at a time (the media thread, once handed over).
public final class SRTPContext: @unchecked Sendable {
    /// Whether a context protects or unprotects.
    public enum Direction: Sendable {
        case inbound, outbound
    }

    /// Spare octets `protect` may need after the packet: SRTP_MAX_TRAILER_LEN, plus 4 for the SRTCP index.
    public static let maximumTrailer = 16 + 128 + 4

    /// The suite.
    public let suite: SRTPSuite
    /// The direction.
    public let direction: Direction
    /// The libsrtp2 session handle (`srtp_t`), for the media thread.
    let session: OpaquePointer

    /// Creates a session for `key`. `replayWindow` is the replay window in packets (64...32768; libsrtp2's default 128).
    public init(key: SRTPKeyMaterial, direction: Direction, replayWindow: Int = 128) throws(SRTPError) {
        try SRTPLibrary.ensureInitialized()
        guard (64...32768).contains(replayWindow) else {
            throw SRTPError("replay window must be 64...32768 packets, got \(replayWindow)")
        }
        var policy = srtp_policy_t()
        key.suite.configure(&policy)
        policy.ssrc.type = direction == .inbound ? ssrc_any_inbound : ssrc_any_outbound
        policy.window_size = UInt(replayWindow)
        policy.allow_repeat_tx = 0
        policy.next = nil
        var handle: srtp_t?
        var keyBytes = key.keySalt
        let status = keyBytes.withUnsafeMutableBufferPointer { buf -> srtp_err_status_t in
            policy.key = buf.baseAddress
            return srtp_create(&handle, &policy)
        }
        // Wipe our copy of the key (libsrtp keeps its own expanded schedule).
        for i in keyBytes.indices { keyBytes[i] = 0 }
        guard status.rawValue == 0, let handle else {
            throw SRTPError("libsrtp2 refused the \(key.suite) session", libsrtpStatus: Int32(bitPattern: status.rawValue))
        }
        self.suite = key.suite
        self.direction = direction
        self.session = handle
    }

    deinit {
        srtp_dealloc(session)
    }

    /// Protects the RTP packet of `length` octets at `packet` in place; `length` becomes the SRTP length.
    /// `capacity` is the buffer size from `packet`, at least `length + maximumTrailer`.
    @inline(__always)
    public func protectRTP(_ packet: UnsafeMutableRawPointer, length: inout Int, capacity: Int) -> SRTPStatus {
        SRTPContext.run(session, packet, &length, capacity, needsRoom: true, srtp_protect)
    }

    /// Verifies and decrypts the SRTP packet at `packet` in place; `length` becomes the RTP length.
    @inline(__always)
    public func unprotectRTP(_ packet: UnsafeMutableRawPointer, length: inout Int) -> SRTPStatus {
        SRTPContext.run(session, packet, &length, length, needsRoom: false, srtp_unprotect)
    }

    /// Protects the RTCP compound packet at `packet` in place (adds E||index and the tag).
    @inline(__always)
    public func protectRTCP(_ packet: UnsafeMutableRawPointer, length: inout Int, capacity: Int) -> SRTPStatus {
        SRTPContext.run(session, packet, &length, capacity, needsRoom: true, srtp_protect_rtcp)
    }

    /// Verifies and decrypts the SRTCP packet at `packet` in place.
    @inline(__always)
    public func unprotectRTCP(_ packet: UnsafeMutableRawPointer, length: inout Int) -> SRTPStatus {
        SRTPContext.run(session, packet, &length, length, needsRoom: false, srtp_unprotect_rtcp)
    }

    @inline(__always)
    static func run(_ session: OpaquePointer, _ packet: UnsafeMutableRawPointer, _ length: inout Int, _ capacity: Int,
                    needsRoom: Bool,
                    _ call: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t) -> SRTPStatus {
        guard length >= 4, length <= 65_535, !needsRoom || capacity - length >= maximumTrailer else { return .badLength }
        var len = Int32(length)
        let status = call(session, packet, &len)
        guard status.rawValue == 0 else { return SRTPStatus(rawValue: Int32(bitPattern: status.rawValue)) }
        length = Int(len)
        return .ok
    }
}
