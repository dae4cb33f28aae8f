// MediaEngine: the control side of the realtime media relay: starts the media thread, queues commands, hands out events.
import Atomics
import CShim
import Glibc

/// The media relay. The control side (one thread at a time, e.g. the SIP event loop) creates,
/// updates and destroys sessions; the media thread, an OS thread under SCHED_FIFO where permitted,
/// relays their packets on its own and reports events.
///
/// Commands never block: when the command queue is full they are refused with
/// `MediaEngineError.commandQueueFull`. Events are collected with `pollEvents`; `eventFD` becomes
/// readable when there are some, so a caller can wait on it in its own poll loop.
///
/// SRTP contexts given in a leg configuration, and the codec state the engine makes for a leg's
/// `transcode`, are kept alive here until the media thread reports it no longer uses them
/// (`sessionDestroyed`, or `legUpdated` for the ones an update replaced).
public final class MediaEngine: @unchecked Sendable {
    /// The configuration the engine was made with.
    public let configuration: MediaEngineConfiguration

    let commands: SPSCQueue<MediaCommand>
    let events: SPSCQueue<MediaEvent>
    let shared = MediaRealtimeShared()
    let loop: MediaRealtimeLoop
    private var thread: pthread_t?
    // Control-side bookkeeping (control thread only).
    var freeSlots: [UInt32]
    var generations: [UInt32]
    var live: Set<UInt32> = []
    // The analog line's device, retries and the events the control side raises itself.
    var lineControl = LineControl()
    // Contexts (SRTPContext, MediaTranscoder) an update replaced, per slot and leg, released when the
    // thread acknowledges the update; and those in use, per slot and leg.
    private var retiring: [UInt32: [[AnyObject]]] = [:]
    var current: [UInt32: ([AnyObject], [AnyObject])] = [:]

    /// Allocates every table and buffer and opens epoll, the timer and the event descriptors. The
    /// thread starts with `start()`.
    public init(configuration: MediaEngineConfiguration = MediaEngineConfiguration()) throws(MediaEngineError) {
        try configuration.validate()
        self.configuration = configuration
        commands = SPSCQueue(capacity: configuration.commandQueueCapacity)
        events = SPSCQueue(capacity: configuration.eventQueueCapacity)
        loop = try MediaRealtimeLoop(configuration: configuration, commands: commands, events: events, shared: shared)
        freeSlots = (0..<UInt32(configuration.sessionCapacity)).reversed()
        generations = Array(repeating: 0, count: configuration.sessionCapacity)
    }

    deinit {
        stop()
    }

    /// Readable (an eventfd) whenever the media thread has queued events.
    public var eventFD: Int32 { loop.eventFD }

    /// Starts the media thread and waits (up to a second) until it has applied its scheduling settings.
    public func start() throws(MediaEngineError) {
        guard thread == nil else { throw .wrongState("media engine already started") }
        guard !shared.stop.load(ordering: .acquiring) else { throw .wrongState("a stopped media engine cannot be restarted") }
        var tid = pthread_t()
        let context = Unmanaged.passRetained(loop).toOpaque()
        let rc = pthread_create(&tid, nil, { arg in
            let loop = Unmanaged<MediaRealtimeLoop>.fromOpaque(arg!).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<MediaRealtimeLoop>.fromOpaque(context).release()
            throw .system("pthread_create", errno: rc)
        }
        thread = tid
        for _ in 0..<1000 where !shared.started.load(ordering: .acquiring) {
            usleep(1000)
        }
    }

    /// Stops and joins the media thread, then closes the sockets of sessions still live and releases
    /// their SRTP contexts. Events still queued are discarded. An engine runs once: make a new one to
    /// start again.
    public func stop() {
        guard let tid = thread else { return }
        shared.stop.store(true, ordering: .releasing)
        _ = tb_eventfd_signal(loop.commandFD)
        pthread_join(tid, nil)
        thread = nil
        // Commands the thread never took: their sockets are ours to close.
        while let command = commands.pop() {
            switch command {
            case .create(_, let a, let b):
                loop.closeSockets(a)
                loop.closeSockets(b)
            case .createLine(_, let a, _):
                loop.closeSockets(a)
            case .update, .destroy, .sendDTMF, .lineClock, .lineAttach, .lineDetach, .lineDSP, .lineDSPListen, .lineDSPProgress,
                 .lineDSPResetEcho, .lineDSPDigit: break
            }
        }
        lineControl.pcm?.close()
        lineControl.pcm = nil
        lineControl.resampler = nil
        lineControl.dsp.stages.removeAll()
        for slot in 0..<loop.highWater where loop.sessions[slot].active {
            loop.releaseSockets(slot)
            loop.sessions[slot].active = false
        }
        retiring.removeAll()
        current.removeAll()
        live.removeAll()
    }

    /// What the media thread got from the system, with warnings for what it did not.
    public var status: MediaEngineStatus {
        var warnings: [String] = []
        let sched = shared.schedulingError.load(ordering: .relaxed)
        let lock = shared.lockError.load(ordering: .relaxed)
        if configuration.realtimePriority > 0 && sched > 0 {
            warnings.append("media thread runs at normal priority: SCHED_FIFO \(configuration.realtimePriority) refused (\(String(cString: strerror(Int32(sched)))))")
        }
        if configuration.lockMemory && lock > 0 {
            warnings.append("memory not locked: mlockall refused (\(String(cString: strerror(Int32(lock)))))")
        }
        let dropped = shared.eventsDropped.load(ordering: .relaxed)
        if dropped > 0 { warnings.append("\(dropped) media events dropped: event queue full") }
        return MediaEngineStatus(
            running: thread != nil && shared.started.load(ordering: .acquiring) && !shared.exited.load(ordering: .acquiring),
            realtime: configuration.realtimePriority > 0 && sched == 0,
            memoryLocked: configuration.lockMemory && lock == 0,
            sessions: shared.liveSessions.load(ordering: .relaxed),
            eventsDropped: dropped,
            warnings: warnings)
    }

    // MARK: commands

    /// Queues a new session relaying between `a` and `b`; the sockets belong to the engine once this
    /// returns. Throws `commandQueueFull` (nothing queued, the caller keeps its sockets),
    /// `noFreeSession` or `invalidConfiguration` (a `transcode` setting). `sessionCreated` (or
    /// `commandFailed`) follows as an event.
    public func createSession(a: MediaLegConfiguration, b: MediaLegConfiguration) throws(MediaEngineError) -> MediaSessionID {
        guard let slot = freeSlots.last else { throw .noFreeSession }
        let id = MediaSessionID(slot: slot, generation: generations[Int(slot)])
        let (specA, ownedA) = try prepare(a)
        let (specB, ownedB) = try prepare(b)
        guard push(.create(id, specA, specB)) else { throw .commandQueueFull }
        freeSlots.removeLast()
        generations[Int(slot)] &+= 1
        live.insert(slot)
        current[slot] = (ownedA, ownedB)
        return id
    }

    // The thread's form of a leg and the objects that must outlive the thread's use of it: its SRTP
    // contexts and, for `transcode`, codec state made here on the control side.
    func prepare(_ configuration: MediaLegConfiguration) throws(MediaEngineError) -> (MediaLegSpec, [AnyObject]) {
        var spec = configuration.spec
        var owned: [AnyObject] = [configuration.srtpReceive, configuration.srtpSend].compactMap { $0 }
        if let transcode = configuration.transcode {
            let transcoder = try MediaTranscoder(transcode)
            spec.transcoder = transcoder.state
            owned.append(transcoder)
        }
        return (spec, owned)
    }

    /// Queues new far-end, SRTP, payload-type, transcoding or DTMF settings for one leg (a re-INVITE).
    /// The leg's sockets, statistics and stream rewriter stay; latching starts over; a `transcode`
    /// setting gets fresh codec state. `legUpdated` follows.
    public func updateLeg(_ id: MediaSessionID, leg: MediaLeg, _ configuration: MediaLegConfiguration) throws(MediaEngineError) {
        guard isLive(id) else { throw .unknownSession(id) }
        var (spec, fresh) = try prepare(configuration)
        spec.rtpFD = -1
        spec.rtcpFD = -1
        guard push(.update(id, leg, spec)) else { throw .commandQueueFull }
        var pair = current[id.slot] ?? ([], [])
        let old = leg == .a ? pair.0 : pair.1
        if leg == .a { pair.0 = fresh } else { pair.1 = fresh }
        current[id.slot] = pair
        retiring[id.slot, default: []].append(old)
    }

    /// Queues the end of a session; `sessionDestroyed` with the final statistics follows, after which
    /// its sockets are closed.
    public func destroySession(_ id: MediaSessionID) throws(MediaEngineError) {
        guard isLive(id) else { throw .unknownSession(id) }
        guard push(.destroy(id)) else { throw .commandQueueFull }
        live.remove(id.slot)
    }

    /// Queues an RFC 4733 event (0-9, 10 `*`, 11 `#`, 12-15 A-D, 16 flash) sent out of `leg` inside
    /// the stream the leg already sends (its SSRC, next sequence numbers, current timestamp). Relayed
    /// audio toward the leg is held back while the event plays and the stream continues without a
    /// sequence gap. `dtmfSent` follows, or `commandFailed` (`noOutgoingStream`, `dtmfBusy`).
    public func sendDTMF(_ id: MediaSessionID, leg: MediaLeg, event: UInt8, durationMilliseconds: Int = 100,
                         payloadType: UInt8 = 101, volume: UInt8 = 10, clockRate: UInt32 = 8000) throws(MediaEngineError) {
        guard isLive(id) else { throw .unknownSession(id) }
        guard event <= 255, (40...8000).contains(durationMilliseconds), payloadType < 128, volume < 64, clockRate > 0 else {
            throw .invalidConfiguration("DTMF needs a duration of 40...8000 ms, a payload type below 128 and a volume below 64")
        }
        let request = MediaDTMFRequest(event: event, durationSamples: UInt32(durationMilliseconds) * clockRate / 1000,
                                       volume: volume, payloadType: payloadType)
        guard push(.sendDTMF(id, leg, request)) else { throw .commandQueueFull }
    }

    func isLive(_ id: MediaSessionID) -> Bool {
        Int(id.slot) < generations.count && live.contains(id.slot) && generations[Int(id.slot)] &- 1 == id.generation
    }

    func push(_ command: MediaCommand) -> Bool {
        guard commands.push(command) else { return false }
        _ = tb_eventfd_signal(loop.commandFD)
        return true
    }

    // MARK: events

    /// Hands every queued event to `body`, oldest first, and returns how many there were. Never blocks.
    @discardableResult
    public func pollEvents(_ body: (MediaEvent) -> Void) -> Int {
        _ = tb_eventfd_drain(loop.eventFD)
        // Read before the queue is drained: every event of a stage the thread let go of is queued by now.
        let dspApplied = shared.line.dspApplied.load(ordering: .acquiring)
        defer { releaseLineDSPStages(applied: dspApplied) }
        var n = 0
        while !lineControl.events.isEmpty {
            n += 1
            body(lineControl.events.removeFirst())
        }
        while let event = events.pop() {
            n += 1
            switch event {
            case .sessionDestroyed(let id, _):
                release(id.slot)
            case .commandFailed(let id, let failure):
                // A create the thread refused leaves no session behind.
                if failure == .slotInUse || failure == .socketRejected || failure == .lineBusy { live.remove(id.slot); release(id.slot) }
            case .legUpdated(let id, _):
                if var list = retiring[id.slot], !list.isEmpty {
                    list.removeFirst()
                    retiring[id.slot] = list
                }
            case .lineAudioUp, .lineAudioDown, .lineAudioReleased:
                lineEvent(event)
            case .lineCallerID(let message):
                decodeLineCallerID(message)
            default: break
            }
            body(event)
        }
        return n
    }

    /// Waits up to `timeoutMilliseconds` for events to be queued (poll on `eventFD`); true when some are.
    public func waitForEvents(timeoutMilliseconds: Int32) -> Bool {
        if events.count > 0 || !lineControl.events.isEmpty { return true }
        var p = pollfd(fd: loop.eventFD, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, timeoutMilliseconds) > 0 || events.count > 0
    }

    private func release(_ slot: UInt32) {
        current[slot] = nil
        retiring[slot] = nil
        freeSlots.append(slot)
    }
}
