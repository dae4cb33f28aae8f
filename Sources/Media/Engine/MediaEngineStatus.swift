// MediaEngineStatus: what the media thread got from the system (SCHED_FIFO, mlockall) and the warnings for what it did not.

/// What the media thread could get from the system, and the warnings for what it could not.
public struct MediaEngineStatus: Sendable, Equatable {
    /// The thread is running.
    public var running: Bool
    /// The thread runs under SCHED_FIFO.
    public var realtime: Bool
    /// mlockall succeeded.
    public var memoryLocked: Bool
    /// Sessions live now.
    public var sessions: Int
    /// Events lost because the event queue was full (the control side did not drain it).
    public var eventsDropped: UInt64
    /// One sentence per thing that is not as configured (e.g. running at normal priority).
    public var warnings: [String]
}
