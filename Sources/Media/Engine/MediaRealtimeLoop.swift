// MediaRealtimeLoop: the media thread: epoll over RTP/RTCP sockets, a timerfd and the command eventfd; relays batches.
//
// The 10 ms tick (timerFD) runs only while there is a session (or a destroyed session's final event
// still to queue): with none the thread sleeps in epoll_wait until a command or a line period comes.
//
// REALTIME FILE. In steady state the code here does no allocation, takes no lock, does no logging and
// never awaits: every buffer and table is allocated in `init` on the control side; the thread only
// reads and writes them, makes system calls (epoll_wait, recvmmsg, sendmmsg, snd_pcm_readi/writei, read/write on eventfd
// and timerfd, epoll_ctl and close on session commands) and talks to the control side through the
// two SPSC queues. Tests/MediaTests/MediaAllocationTests proves the zero-allocation claim.
import Atomics
import CShim
import CSRTP
import Glibc
import MediaCore

/// The media thread's loop and all of its preallocated memory.
final class MediaRealtimeLoop: @unchecked Sendable {
    static let commandToken: UInt64 = 1 << 62
    static let timerToken: UInt64 = 1 << 62 | 1
    static let stride = 2048
    // Room left after the longest packet accepted, for the SRTP trailer.
    static let receiveCapacity = stride - SRTPContext.maximumTrailer

    let configuration: MediaEngineConfiguration
    let commands: SPSCQueue<MediaCommand>
    let events: SPSCQueue<MediaEvent>
    let shared: MediaRealtimeShared
    let epollFD: Int32
    let commandFD: Int32
    let eventFD: Int32
    let timerFD: Int32
    // The analog line's period clock (disarmed until `openLine`), its device state and buffers.
    let lineTimerFD: Int32
    var line = LineDeviceState()
    let lineBuffers = LineBuffers()
    let capacity: Int
    let batch: Int
    let sessions: UnsafeMutablePointer<MediaSessionState>
    let legs: UnsafeMutablePointer<MediaLegState>
    // epoll results.
    let readyData: UnsafeMutablePointer<UInt64>
    let readyMask: UnsafeMutablePointer<UInt32>
    let maxReady = 256
    // One receive batch: payloads, source addresses and lengths.
    let rxBuffers: UnsafeMutablePointer<UInt8>
    let rxAddresses: UnsafeMutablePointer<UInt8>
    let rxAddressLengths: UnsafeMutablePointer<UInt32>
    let rxLengths: UnsafeMutablePointer<UInt32>
    // Two send batches (out of the peer's RTP socket, out of its RTCP socket).
    let txOffsets: UnsafeMutablePointer<UInt32>
    let txLengths: UnsafeMutablePointer<UInt32>
    let txAddresses: UnsafeMutablePointer<UInt8>
    let txAddressLengths: UnsafeMutablePointer<UInt32>
    let txIsRTCP: UnsafeMutablePointer<Bool>
    // One originated DTMF packet (header, event, SRTP trailer).
    let dtmfBuffer: UnsafeMutableRawPointer
    let rtpTimeoutNs: UInt64
    let tickNs: UInt64
    // Sessions the tick serves (active, or destroyed with the final event not queued yet) and
    // whether timerFD runs; it is armed while the first is above 0 and disarmed otherwise.
    var tickSessions = 0
    var tickArmed = false
    let oneWayNs: UInt64
    let statsNs: UInt64
    let relatchNs: UInt64
    // The box's own RTCP reports (terminated sessions): CNAME, the buffer a report is built in (room
    // for the SRTCP trailer), the minimum interval, wall-clock offset of the monotonic clock for NTP
    // times, and the generator of the interval's random factor and of SSRCs.
    let rtcpCName: RTCPCName
    let rtcpBuffer: UnsafeMutableRawPointer
    static let rtcpBufferCapacity = 1024
    let rtcpMinimumSeconds: Double
    let ntpOffsetNs: UInt64
    var random: UInt64
    // Highest slot index ever used + 1: the tick scans only this far.
    var highWater = 0
    var pendingEvents = false

    init(configuration: MediaEngineConfiguration, commands: SPSCQueue<MediaCommand>, events: SPSCQueue<MediaEvent>,
         shared: MediaRealtimeShared) throws(MediaEngineError) {
        self.configuration = configuration
        self.commands = commands
        self.events = events
        self.shared = shared
        capacity = configuration.sessionCapacity
        batch = configuration.batchSize
        rtpTimeoutNs = UInt64(configuration.rtpTimeoutMilliseconds) * 1_000_000
        tickNs = UInt64(configuration.tickMilliseconds) * 1_000_000
        oneWayNs = UInt64(configuration.oneWayAudioMilliseconds) * 1_000_000
        statsNs = UInt64(configuration.statsIntervalMilliseconds) * 1_000_000
        relatchNs = UInt64(configuration.relatchAfterMilliseconds) * 1_000_000
        let ep = tb_epoll_create()
        guard ep >= 0 else { throw .system("epoll_create1", errno: errno) }
        let cmd = tb_eventfd_create()
        let evt = tb_eventfd_create()
        let tmr = tb_timerfd_create(UInt64(configuration.tickMilliseconds) * 1_000_000)
        let ltm = tb_timerfd_create(1_000_000)
        // Both clocks start disarmed: the tick with the first session, the line's with its clock command.
        guard cmd >= 0, evt >= 0, tmr >= 0, ltm >= 0, tb_timerfd_set(tmr, 0) == 0, tb_timerfd_set(ltm, 0) == 0 else {
            let e = errno
            for fd in [ep, cmd, evt, tmr, ltm] where fd >= 0 { close(fd) }
            throw .system("eventfd/timerfd", errno: e)
        }
        guard tb_epoll_add(ep, cmd, MediaRealtimeLoop.commandToken) == 0,
              tb_epoll_add(ep, tmr, MediaRealtimeLoop.timerToken) == 0,
              tb_epoll_add(ep, ltm, MediaRealtimeLoop.lineTimerToken) == 0 else {
            let e = errno
            for fd in [ep, cmd, evt, tmr, ltm] { close(fd) }
            throw .system("epoll_ctl", errno: e)
        }
        epollFD = ep
        commandFD = cmd
        eventFD = evt
        timerFD = tmr
        lineTimerFD = ltm
        sessions = .allocate(capacity: capacity)
        sessions.initialize(repeating: MediaSessionState(), count: capacity)
        legs = .allocate(capacity: capacity * 2)
        legs.initialize(repeating: MediaLegState(), count: capacity * 2)
        readyData = .allocate(capacity: maxReady)
        readyMask = .allocate(capacity: maxReady)
        rxBuffers = .allocate(capacity: batch * MediaRealtimeLoop.stride)
        rxBuffers.initialize(repeating: 0, count: batch * MediaRealtimeLoop.stride)
        rxAddresses = .allocate(capacity: batch * 28)
        rxAddresses.initialize(repeating: 0, count: batch * 28)
        rxAddressLengths = .allocate(capacity: batch)
        rxLengths = .allocate(capacity: batch)
        txOffsets = .allocate(capacity: 2 * batch)
        txLengths = .allocate(capacity: 2 * batch)
        txAddresses = .allocate(capacity: 2 * batch * 28)
        txAddresses.initialize(repeating: 0, count: 2 * batch * 28)
        txAddressLengths = .allocate(capacity: 2 * batch)
        txIsRTCP = .allocate(capacity: 2 * batch)
        txIsRTCP.initialize(repeating: false, count: 2 * batch)
        dtmfBuffer = .allocate(byteCount: 16 + SRTPContext.maximumTrailer + 16, alignment: 16)
        rtcpCName = RTCPCName(configuration.rtcpCName) ?? RTCPCName("trunkbox")!
        rtcpBuffer = .allocate(byteCount: MediaRealtimeLoop.rtcpBufferCapacity, alignment: 16)
        rtcpBuffer.initializeMemory(as: UInt8.self, repeating: 0, count: MediaRealtimeLoop.rtcpBufferCapacity)
        rtcpMinimumSeconds = Double(configuration.rtcpMinimumIntervalMilliseconds) / 1000
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let mono = tb_monotonic_ns()
        let wallNs = UInt64(wall.tv_sec) &* 1_000_000_000 &+ UInt64(wall.tv_nsec)
        ntpOffsetNs = wallNs &- mono
        random = (wallNs ^ mono &* 0x9E37_79B9_7F4A_7C15) | 1
    }

    deinit {
        // Sockets of sessions still live are closed by the control side's stop (after the join).
        for fd in [epollFD, commandFD, eventFD, timerFD, lineTimerFD] { close(fd) }
        lineBuffers.deallocate()
        sessions.deinitialize(count: capacity)
        sessions.deallocate()
        legs.deinitialize(count: capacity * 2)
        legs.deallocate()
        readyData.deallocate()
        readyMask.deallocate()
        rxBuffers.deallocate()
        rxAddresses.deallocate()
        rxAddressLengths.deallocate()
        rxLengths.deallocate()
        txOffsets.deallocate()
        txLengths.deallocate()
        txAddresses.deallocate()
        txAddressLengths.deallocate()
        txIsRTCP.deallocate()
        dtmfBuffer.deallocate()
        rtcpBuffer.deallocate()
    }

    // MARK: the thread

    func run() {
        if let hook = configuration.threadStartHook { hook() }
        if configuration.realtimePriority > 0 {
            shared.schedulingError.store(Int(tb_set_fifo_priority(configuration.realtimePriority)), ordering: .relaxed)
        }
        if configuration.lockMemory {
            shared.lockError.store(Int(tb_lock_memory()), ordering: .relaxed)
        }
        shared.started.store(true, ordering: .releasing)
        while !shared.stop.load(ordering: .acquiring) {
            let n = Int(tb_epoll_wait(epollFD, readyData, readyMask, Int32(maxReady), -1))
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            shared.wakeups.wrappingIncrement(ordering: .relaxed)
            for i in 0..<n {
                let token = readyData[i]
                if token == MediaRealtimeLoop.commandToken {
                    _ = tb_eventfd_drain(commandFD)
                    drainCommands()
                } else if token == MediaRealtimeLoop.timerToken {
                    _ = tb_timerfd_drain(timerFD)
                    shared.ticks.wrappingIncrement(ordering: .relaxed)
                    tick(tb_monotonic_ns())
                } else if token == MediaRealtimeLoop.lineTimerToken {
                    lineTimer(tb_monotonic_ns())
                } else if token >= MediaRealtimeLoop.lineCaptureToken && token < MediaRealtimeLoop.linePlaybackToken + 16 {
                    linePollReady(token: token, mask: readyMask[i], now: tb_monotonic_ns())
                } else {
                    let slot = Int(token >> 2)
                    let side = Int(token >> 1 & 1)
                    receive(slot: slot, side: side, rtcpSocket: token & 1 != 0)
                }
            }
            if pendingEvents {
                pendingEvents = false
                _ = tb_eventfd_signal(eventFD)
            }
            if tickArmed != (tickSessions > 0) { armTick(tickSessions > 0) }
        }
        shared.exited.store(true, ordering: .releasing)
    }

    // Starts the tick (first expiry one interval from now) or stops it.
    func armTick(_ on: Bool) {
        guard tb_timerfd_set(timerFD, on ? tickNs : 0) == 0 else { return }
        tickArmed = on
        shared.tickArmed.store(on, ordering: .relaxed)
    }

    @inline(__always)
    func emit(_ event: MediaEvent) -> Bool {
        if events.push(event) {
            pendingEvents = true
            return true
        }
        shared.eventsDropped.wrappingIncrement(ordering: .relaxed)
        return false
    }

    // MARK: commands

    func drainCommands() {
        while let command = commands.pop() {
            switch command {
            case .create(let id, let a, let b): create(id, a, b)
            case .update(let id, let leg, let spec): update(id, leg, spec)
            case .destroy(let id): destroy(id)
            case .sendDTMF(let id, let leg, let request): startDTMF(id, leg, request)
            case .createLine(let id, let a, let state): create(id, a, MediaLegSpec.none, line: state)
            case .lineClock(let samples, let ns): lineClock(periodSamples: samples, periodNs: ns)
            case .lineAttach(let spec): lineAttach(spec)
            case .lineDetach: lineDetach()
            case .lineDSP(let stage, let number): lineDSPAttach(stage, number: number)
            case .lineDSPListen(let on): line.dsp?.takeUnretainedValue().setListening(on)
            case .lineDSPProgress(let on): line.dsp?.takeUnretainedValue().setDetecting(on)
            case .lineDSPResetEcho: line.dsp?.takeUnretainedValue().resetEcho()
            case .lineDSPDigit(let event, let tone, let gap): lineDSPQueueDigit(event, toneSamples: tone, gapSamples: gap)
            }
        }
    }

    @inline(__always)
    func token(_ slot: Int, _ side: Int, rtcp: Bool) -> UInt64 {
        UInt64(slot) << 2 | UInt64(side) << 1 | (rtcp ? 1 : 0)
    }

    func create(_ id: MediaSessionID, _ a: MediaLegSpec, _ b: MediaLegSpec, line lineState: UnsafeMutablePointer<LineSessionState>? = nil) {
        let slot = Int(id.slot)
        if lineState != nil && line.sessionSlot >= 0 {
            closeSockets(a)
            _ = emit(.commandFailed(id, .lineBusy))
            return
        }
        guard slot < capacity else {
            closeSockets(a)
            closeSockets(b)
            _ = emit(.commandFailed(id, .unknownSession))
            return
        }
        guard !sessions[slot].active else {
            closeSockets(a)
            closeSockets(b)
            _ = emit(.commandFailed(id, .slotInUse))
            return
        }
        let now = tb_monotonic_ns()
        legs[slot * 2] = MediaLegState(a)
        legs[slot * 2 + 1] = MediaLegState(b)
        legs[slot * 2].ownSSRC = UInt32(truncatingIfNeeded: nextRandom() >> 32)
        legs[slot * 2 + 1].ownSSRC = UInt32(truncatingIfNeeded: nextRandom() >> 32)
        var ok = true
        for side in 0..<2 {
            let leg = legs[slot * 2 + side]
            if side == 1 && lineState != nil { continue }
            if tb_epoll_add(epollFD, leg.rtpFD, token(slot, side, rtcp: false)) != 0 { ok = false }
            if leg.rtcpFD >= 0 && tb_epoll_add(epollFD, leg.rtcpFD, token(slot, side, rtcp: true)) != 0 { ok = false }
        }
        if !ok {
            releaseSockets(slot)
            _ = emit(.commandFailed(id, .socketRejected))
            return
        }
        sessions[slot] = MediaSessionState()
        sessions[slot].active = true
        sessions[slot].id = id
        sessions[slot].createdNs = now
        sessions[slot].lastStatsNs = now
        if let lineState {
            sessions[slot].line = lineState
            line.sessionSlot = slot
        }
        if slot + 1 > highWater { highWater = slot + 1 }
        tickSessions += 1
        shared.liveSessions.wrappingIncrement(ordering: .relaxed)
        _ = emit(.sessionCreated(id))
    }

    func update(_ id: MediaSessionID, _ leg: MediaLeg, _ spec: MediaLegSpec) {
        let slot = Int(id.slot)
        guard slot < capacity, sessions[slot].active, sessions[slot].id == id else {
            _ = emit(.commandFailed(id, .unknownSession))
            return
        }
        legs[slot * 2 + leg.rawValue].apply(spec)
        _ = emit(.legUpdated(id, leg: leg))
    }

    func destroy(_ id: MediaSessionID) {
        let slot = Int(id.slot)
        guard slot < capacity, sessions[slot].active, sessions[slot].id == id else {
            _ = emit(.commandFailed(id, .unknownSession))
            return
        }
        releaseSockets(slot)
        // A key press whose end packets never came is still reported.
        for side in 0..<2 {
            if let r = legs[slot * 2 + side].dtmf.flush() {
                _ = emit(.dtmf(id, leg: MediaLeg(rawValue: side)!, event: r.event, durationMs: r.durationMs, ended: r.ended))
            }
        }
        var stats = MediaSessionStats()
        stats.a = legs[slot * 2].snapshot
        stats.b = legs[slot * 2 + 1].snapshot
        if let lineState = sessions[slot].line {
            shared.line.store(lineState.pointee.jitter.stats)
            sessions[slot].line = nil
            line.sessionSlot = -1
        }
        sessions[slot].active = false
        shared.liveSessions.wrappingDecrement(ordering: .relaxed)
        if !emit(.sessionDestroyed(id, stats)) {
            // The tick retries it; the slot keeps its place in tickSessions until then.
            sessions[slot].destroyPending = true
            sessions[slot].finalStats = stats
        } else {
            tickSessions -= 1
        }
    }

    func closeSockets(_ spec: MediaLegSpec) {
        if spec.rtpFD >= 0 { close(spec.rtpFD) }
        if spec.rtcpFD >= 0 { close(spec.rtcpFD) }
    }

    func releaseSockets(_ slot: Int) {
        for side in 0..<2 {
            let leg = legs + (slot * 2 + side)
            // No array literal here: it would allocate on the media thread.
            if leg.pointee.rtpFD >= 0 {
                _ = tb_epoll_del(epollFD, leg.pointee.rtpFD)
                close(leg.pointee.rtpFD)
            }
            if leg.pointee.rtcpFD >= 0 {
                _ = tb_epoll_del(epollFD, leg.pointee.rtcpFD)
                close(leg.pointee.rtcpFD)
            }
            leg.pointee.rtpFD = -1
            leg.pointee.rtcpFD = -1
        }
    }

    // MARK: timer

    func tick(_ now: UInt64) {
        var slot = 0
        while slot < highWater {
            defer { slot += 1 }
            if sessions[slot].destroyPending {
                if emit(.sessionDestroyed(sessions[slot].id, sessions[slot].finalStats)) {
                    sessions[slot].destroyPending = false
                    tickSessions -= 1
                }
                continue
            }
            guard sessions[slot].active else { continue }
            let s = sessions + slot
            let a = legs + slot * 2
            let b = a + 1
            let id = s.pointee.id
            let lastActivity = max(s.pointee.createdNs, a.pointee.lastReceiveNs, b.pointee.lastReceiveNs)
            if rtpTimeoutNs > 0 {
                if now &- lastActivity >= rtpTimeoutNs {
                    if !s.pointee.timedOut, emit(.rtpTimeout(id)) { s.pointee.timedOut = true }
                } else {
                    s.pointee.timedOut = false
                }
            }
            if oneWayNs > 0 {
                s.pointee.oneWayReported.0 = checkOneWay(id, silent: a, talking: b, leg: .a, reported: s.pointee.oneWayReported.0, now: now)
                s.pointee.oneWayReported.1 = checkOneWay(id, silent: b, talking: a, leg: .b, reported: s.pointee.oneWayReported.1, now: now)
            }
            if a.pointee.dtmfOut != nil { sendDTMFPacket(id, .a, a, now: now) }
            if b.pointee.dtmfOut != nil { sendDTMFPacket(id, .b, b, now: now) }
            if terminatesRTCP(slot) {
                rtcpReport(a, now: now)
                rtcpReport(b, now: now)
            }
            if statsNs > 0 && now &- s.pointee.lastStatsNs >= statsNs {
                var stats = MediaSessionStats()
                stats.a = a.pointee.snapshot
                stats.b = b.pointee.snapshot
                if emit(.stats(id, stats)) { s.pointee.lastStatsNs = now }
            }
        }
    }

    // Whether `silent`'s one-way report stands after this tick.
    @inline(__always)
    func checkOneWay(_ id: MediaSessionID, silent: UnsafeMutablePointer<MediaLegState>, talking: UnsafeMutablePointer<MediaLegState>,
                     leg: MediaLeg, reported: Bool, now: UInt64) -> Bool {
        let talk = talking.pointee
        // The other leg is flowing: it sent within the last tick window of the one-way time.
        let flowing = talk.lastReceiveNs != 0 && now &- talk.lastReceiveNs < oneWayNs
        let silentSince = max(silent.pointee.lastReceiveNs, talk.firstReceiveNs)
        if flowing && talk.firstReceiveNs != 0 && now &- silentSince >= oneWayNs {
            if reported { return true }
            return emit(.oneWayAudio(id, silentLeg: leg))
        }
        return silent.pointee.lastReceiveNs != 0 && now &- silent.pointee.lastReceiveNs < oneWayNs ? false : reported
    }
}
