// MediaEngineConfiguration: sizes, timers and thread settings of the media engine, fixed at creation.
import MediaCore

/// Everything the engine preallocates and every timer it runs.
public struct MediaEngineConfiguration: Sendable {
    /// Sessions in the table (each has two legs).
    public var sessionCapacity: Int = 1024
    /// Commands the control side can queue ahead of the media thread.
    public var commandQueueCapacity: Int = 1024
    /// Events the media thread can queue ahead of the control side.
    public var eventQueueCapacity: Int = 8192
    /// Datagrams per recvmmsg/sendmmsg call (1...64).
    public var batchSize: Int = 32
    /// The periodic timer: time-outs, statistics and retries are checked this often.
    public var tickMilliseconds: Int = 10
    /// No RTP on either leg for this long raises `rtpTimeout` (0 disables).
    public var rtpTimeoutMilliseconds: Int = 30_000
    /// One leg silent this long while the other sends raises `oneWayAudio` (0 disables).
    public var oneWayAudioMilliseconds: Int = 5_000
    /// Periodic `stats` events this often per session (0 disables).
    public var statsIntervalMilliseconds: Int = 5_000
    /// A latched plain-RTP leg moves to a new source only after the latched one has been silent this
    /// long (an authenticated SRTP packet from a new source moves it at once).
    public var relatchAfterMilliseconds: Int = 1_000
    /// The minimum interval of the box's own RTCP reports in sessions it terminates (line, transcoding),
    /// before the RFC 3550 A.7 randomisation (0.5...1.5, halved for the first report). RFC 3550 §6.2's
    /// 5 s; tests shorten it.
    public var rtcpMinimumIntervalMilliseconds: Int = 5_000
    /// The CNAME of the box's own RTCP reports (RFC 3550 §6.5.1; 1...255 UTF-8 octets).
    public var rtcpCName: String = "trunkbox"
    /// SCHED_FIFO priority to ask for (1...99); 0 keeps normal scheduling.
    public var realtimePriority: Int32 = 10
    /// Lock the process's memory (mlockall MCL_CURRENT|MCL_FUTURE) from the media thread.
    public var lockMemory: Bool = true
    /// Called first thing on the media thread (tests use it to register the thread with an allocation
    /// counter). Must not block.
    public var threadStartHook: (@convention(c) () -> Void)?

    /// The defaults.
    public init() {}

    func validate() throws(MediaEngineError) {
        guard (1...65_536).contains(sessionCapacity) else { throw .invalidConfiguration("session capacity must be 1...65536") }
        guard commandQueueCapacity >= 2, eventQueueCapacity >= 16 else {
            throw .invalidConfiguration("command queue needs at least 2 slots, event queue at least 16")
        }
        guard (1...64).contains(batchSize) else { throw .invalidConfiguration("batch size must be 1...64") }
        guard (1...1000).contains(tickMilliseconds) else { throw .invalidConfiguration("tick must be 1...1000 ms") }
        guard rtpTimeoutMilliseconds >= 0, oneWayAudioMilliseconds >= 0, statsIntervalMilliseconds >= 0,
              relatchAfterMilliseconds >= 0 else { throw .invalidConfiguration("time-outs must not be negative") }
        guard rtcpMinimumIntervalMilliseconds >= 100 else { throw .invalidConfiguration("RTCP interval must be at least 100 ms") }
        guard RTCPCName(rtcpCName) != nil else { throw .invalidConfiguration("RTCP CNAME must be 1...255 UTF-8 octets") }
        guard (0...99).contains(realtimePriority) else { throw .invalidConfiguration("realtime priority must be 0...99") }
    }
}
