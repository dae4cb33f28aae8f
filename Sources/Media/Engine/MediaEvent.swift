// MediaEvent: what the media thread reports to the control side through the event queue.
import LineDSP

/// Why the media thread refused a command.
public enum MediaCommandFailure: Sendable, Hashable, BitwiseCopyable {
    /// The session handle names no live session (already destroyed, or a stale generation).
    case unknownSession
    /// The slot is already in use.
    case slotInUse
    /// epoll refused a socket (closed or invalid descriptor); the session's sockets were closed.
    case socketRejected
    /// DTMF is sent inside the stream a leg already sends: nothing has gone out of the leg yet.
    case noOutgoingStream
    /// The leg is already sending a DTMF event.
    case dtmfBusy
    /// Another session already bridges the line (there is one line); the session's sockets were closed.
    case lineBusy
}

/// One report from the media thread. A plain value: the thread builds it without allocating.
public enum MediaEvent: Sendable, BitwiseCopyable {
    /// The session is live on the media thread.
    case sessionCreated(MediaSessionID)
    /// The leg's first valid packet came from `address`, or the leg moved to a new source
    /// (`rtcp` tells whether the address is the RTCP source of a leg without rtcp-mux). Media for the
    /// leg now goes to this address (symmetric RTP).
    case latched(MediaSessionID, leg: MediaLeg, address: MediaAddress, rtcp: Bool)
    /// An RFC 4733 telephone event was received on `leg`: one report per key press, when its end
    /// arrives (`ended`), or when a new event starts before the end of this one was seen.
    case dtmf(MediaSessionID, leg: MediaLeg, event: UInt8, durationMs: Int, ended: Bool)
    /// A `sendDTMF` event has been sent completely (its three end packets included).
    case dtmfSent(MediaSessionID, leg: MediaLeg, event: UInt8)
    /// No RTP on either leg for the configured time-out.
    case rtpTimeout(MediaSessionID)
    /// `silentLeg` has sent nothing for the configured one-way time while the other leg kept sending.
    case oneWayAudio(MediaSessionID, silentLeg: MediaLeg)
    /// Periodic statistics.
    case stats(MediaSessionID, MediaSessionStats)
    /// An update of `leg` is in effect (the replaced SRTP contexts are no longer used).
    case legUpdated(MediaSessionID, leg: MediaLeg)
    /// The session is gone: its sockets are closed; final statistics.
    case sessionDestroyed(MediaSessionID, MediaSessionStats)
    /// A command was refused.
    case commandFailed(MediaSessionID, MediaCommandFailure)
    /// The line's sound card is open and the media thread moves audio through it.
    case lineAudioUp(LineAudioFormat)
    /// The line's sound card failed (could not be opened, vanished, broke): the line is down, its
    /// clock keeps running (silence both ways) and the control side retries (`maintainLine`).
    /// `MediaEngine.lineStatus.lastError` and `LineAudioFault.message(device:)` give the sentence
    /// "line audio down: <device>: <reason>".
    case lineAudioDown(LineAudioFault)
    /// The media thread has let go of the line's device after `closeLine`.
    case lineAudioReleased
    /// The line's call-progress detector (switched on with `detectLineCallProgress`) classified what it
    /// hears: dial tone, ringback, busy, reorder or silence; once per change.
    case lineCallProgress(CallProgressTone)
    /// Caller ID heard while listening (`listenForLineCallerID`), or an FSK message that failed its
    /// checksum. `pollEvents` has decoded it by the time the caller sees this: `callerID(_:)` gives
    /// the `CallerID` or the error.
    case lineCallerID(LineCallerIDMessage)
    /// A DTMF digit heard on the line ended (ASCII `0-9*#A-D`). During a line session it was also sent
    /// as RFC 4733 on the session's RTP leg (`dtmfSent` follows when its end packets are out).
    case lineDigit(digit: UInt8, durationMs: Int)
    /// A digit queued with `sendLineDigit` has been played on the line (its tone and gap are over).
    case lineDigitSent(digit: UInt8)
}
