// JitterBuffer: adaptive playout buffer for one RTP stream toward a sound device (RFC 3550 A.8 jitter, talk-spurt re-anchoring, skew drops).
// Realtime: after `init`, `insert` and `next` allocate nothing and lock nothing; the caller owns `deallocate()`.

/// Sizes and bounds of a `JitterBuffer`.
public struct JitterBufferConfiguration: Sendable, Hashable, BitwiseCopyable {
    /// Lowest playout delay, in ms (the buffer never plays with less than this much queued).
    public var minimumMilliseconds: Int = 20
    /// Highest playout delay, in ms.
    public var maximumMilliseconds: Int = 200
    /// RTP clock rate of the stream.
    public var clockRate: Int = 8000
    /// Packets held at most.
    public var slots: Int = 64
    /// Longest payload held, in octets.
    public var maximumPayload: Int = 480
    /// Concealment given for an empty buffer before it stops and waits for the next talk spurt, in ms.
    public var concealMilliseconds: Int = 60

    /// The defaults: 20 to 200 ms, 8 kHz.
    public init() {}
}

/// What a `JitterBuffer` has done since it was made.
public struct JitterBufferStats: Sendable, Equatable, BitwiseCopyable {
    /// Packets offered.
    public var received: UInt64 = 0
    /// Packets dropped because the same timestamp was already held.
    public var duplicates: UInt64 = 0
    /// Packets dropped because their time had already been played (or concealed).
    public var late: UInt64 = 0
    /// Packets dropped because the buffer was full or the payload too long.
    public var overflow: UInt64 = 0
    /// Packets played.
    public var played: UInt64 = 0
    /// Samples concealed where a packet was missing (loss, lateness, underrun).
    public var concealedSamples: UInt64 = 0
    /// Times the buffer ran empty and stopped until the next talk spurt.
    public var underruns: UInt64 = 0
    /// Packets dropped to bring the delay back to the target (sender clock faster than ours, or jitter gone).
    public var skewDrops: UInt64 = 0
    /// Samples of delay added to follow rising jitter (concealment played without advancing).
    public var stretchedSamples: UInt64 = 0
    /// Times playout was (re)anchored at the start of a talk spurt.
    public var talkSpurts: UInt64 = 0
    /// Current target delay, in samples.
    public var targetSamples: Int = 0
    /// Audio queued ahead of playout now, in samples.
    public var depthSamples: Int = 0
    /// RFC 3550 A.8 interarrival jitter, in samples.
    public var jitterSamples: Int = 0

    /// Zeroed statistics.
    public init() {}
}

/// What to play next.
public enum JitterBufferOutput: Sendable, Equatable, BitwiseCopyable {
    /// A packet: decode `payload(ofSlot:)` (valid until the next `insert`); it covers `samples`.
    case packet(slot: Int, samples: Int)
    /// Nothing arrived for these samples: conceal them (repeat-and-fade, or a codec's lost-frame decode).
    case conceal(samples: Int)
    /// Not playing (waiting for enough audio, or between talk spurts): play silence.
    case silence(samples: Int)
}

/// Result of offering a packet.
public enum JitterBufferInsert: Sendable, Equatable, BitwiseCopyable {
    case accepted, duplicate, late, overflow
}

/// An adaptive jitter buffer of encoded packets, played out by sample count on the consumer's clock.
///
/// The consumer calls `next(upTo:)` until it has a period of audio, once per period of its own clock;
/// the buffer never needs a clock of its own. Packets are ordered by RTP timestamp (reordering is
/// undone, duplicates dropped, packets whose time has passed dropped as late). The target delay
/// follows the measured jitter (RFC 3550 A.8 on `arrival`, the receiver's clock in RTP units):
/// target = packet time + 4·jitter (+ a bump after late packets), clamped to the configured bounds.
/// Playout is anchored at a talk spurt's start (first packet, a marker bit after silence, or after an
/// underrun) once the target is queued; while playing, a delay persistently above target (sender
/// clock faster, jitter gone) drops a packet, and a late packet stretches the delay by concealment.
public struct JitterBuffer {
    @usableFromInline struct Slot {
        var used = false
        var timestamp: UInt32 = 0
        var samples: Int = 0
        var length: Int = 0
    }

    public let configuration: JitterBufferConfiguration
    @usableFromInline let slots: UnsafeMutablePointer<Slot>
    @usableFromInline let payloads: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var playing = false
    @usableFromInline var playTimestamp: UInt32 = 0
    @usableFromInline var emptyRun = 0
    @usableFromInline var frameSamples = 160
    @usableFromInline var lateBump = 0
    @usableFromInline var stretchPending = 0
    // Concealment given while empty that has not moved the play position yet.
    @usableFromInline var emptyStretch = 0
    // Smallest depth seen in the current window of one second of playout, and the window's progress.
    @usableFromInline var windowMinDepth = Int.max
    @usableFromInline var windowPlayed = 0
    @usableFromInline var windowLate = false
    // RFC 3550 A.8 state (jitter ×16).
    @usableFromInline var lastTransit: UInt32 = 0
    @usableFromInline var hasTransit = false
    @usableFromInline var jitterScaled: UInt32 = 0
    /// Counters and the current target, depth and jitter.
    public private(set) var stats = JitterBufferStats()

    /// Allocates the slots (on the control side).
    public init(_ configuration: JitterBufferConfiguration = JitterBufferConfiguration()) {
        precondition(configuration.slots > 0 && configuration.maximumPayload > 0 && configuration.clockRate > 0)
        precondition(configuration.minimumMilliseconds > 0 && configuration.minimumMilliseconds <= configuration.maximumMilliseconds)
        self.configuration = configuration
        slots = .allocate(capacity: configuration.slots)
        slots.initialize(repeating: Slot(), count: configuration.slots)
        payloads = .allocate(capacity: configuration.slots * configuration.maximumPayload)
        payloads.initialize(repeating: 0, count: configuration.slots * configuration.maximumPayload)
        stats.targetSamples = minimumSamples
    }

    /// Frees the slots. The buffer must not be used afterwards.
    public func deallocate() {
        slots.deinitialize(count: configuration.slots)
        slots.deallocate()
        payloads.deallocate()
    }

    @usableFromInline var minimumSamples: Int { configuration.minimumMilliseconds * configuration.clockRate / 1000 }
    @usableFromInline var maximumSamples: Int { configuration.maximumMilliseconds * configuration.clockRate / 1000 }

    /// Whether playout is running (false while buffering or between talk spurts).
    public var isPlaying: Bool { playing }

    /// The payload held in `slot` (after `next` returned `.packet(slot:)`).
    public func payload(ofSlot slot: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: payloads + slot * configuration.maximumPayload, count: slots[slot].length)
    }

    /// Offers one packet: `samples` is its duration, `arrival` the receiver's clock in RTP units.
    /// A marker bit (RFC 3551: first packet of a talk spurt) lets an idle buffer re-anchor playout.
    @discardableResult
    public mutating func insert(timestamp: UInt32, marker: Bool, samples: Int, payload: UnsafeRawBufferPointer,
                                arrival: UInt32) -> JitterBufferInsert {
        stats.received &+= 1
        updateJitter(timestamp: timestamp, arrival: arrival)
        if samples > 0 && samples <= maximumSamples { frameSamples = samples }
        updateTarget()
        if playing {
            let ahead = Int(Int32(bitPattern: timestamp &- playTimestamp))
            if ahead < 0 && ahead > -2 * configuration.clockRate {
                stats.late &+= 1
                lateBump = min(lateBump + frameSamples, maximumSamples)
                windowLate = true
                if depth + stretchPending < target { stretchPending += frameSamples }
                updateTarget()
                return .late
            }
            if ahead < 0 || ahead > 2 * configuration.clockRate {
                // The stream jumped (a new source, or a timestamp reset): start over with it.
                reset()
            } else if marker && count == 0 && emptyRun > 0 {
                // A talk spurt starts while the previous one is being concealed: re-anchor.
                playing = false
            }
        }
        var free = -1
        for i in 0..<configuration.slots {
            if slots[i].used {
                if slots[i].timestamp == timestamp {
                    stats.duplicates &+= 1
                    return .duplicate
                }
            } else if free < 0 {
                free = i
            }
        }
        guard free >= 0, payload.count <= configuration.maximumPayload, samples > 0 else {
            stats.overflow &+= 1
            return .overflow
        }
        slots[free] = Slot(used: true, timestamp: timestamp, samples: samples, length: payload.count)
        if let base = payload.baseAddress, payload.count > 0 {
            (payloads + free * configuration.maximumPayload).update(from: base.assumingMemoryBound(to: UInt8.self), count: payload.count)
        }
        count += 1
        stats.depthSamples = depth
        return .accepted
    }

    /// The next piece of audio to play, at most `limit` samples of concealment or silence (a packet is
    /// always whole). Call repeatedly until a period is filled.
    public mutating func next(upTo limit: Int) -> JitterBufferOutput {
        guard limit > 0 else { return .silence(samples: 0) }
        if !playing {
            guard let first = earliest() else { return .silence(samples: limit) }
            // Anchor once the target is queued (counted from the earliest packet to the end of the last;
            // queued audio comes in whole packets, so within half a packet of the target is enough).
            guard span(from: slots[first].timestamp) + frameSamples / 2 > target else { return .silence(samples: limit) }
            playing = true
            playTimestamp = slots[first].timestamp
            emptyRun = 0
            stretchPending = 0
            emptyStretch = 0
            windowMinDepth = Int.max
            windowPlayed = 0
            stats.talkSpurts &+= 1
        }
        if stretchPending > 0 {
            let k = min(limit, stretchPending)
            stretchPending -= k
            stats.stretchedSamples &+= UInt64(k)
            stats.concealedSamples &+= UInt64(k)
            return .conceal(samples: k)
        }
        // Packets overtaken by playout (cannot normally happen: they are refused at insert).
        var nearest = Int.max
        var slot = -1
        for i in 0..<configuration.slots where slots[i].used {
            let ahead = Int(Int32(bitPattern: slots[i].timestamp &- playTimestamp))
            if ahead < 0 {
                slots[i].used = false
                count -= 1
                stats.late &+= 1
            } else if ahead < nearest {
                nearest = ahead
                slot = i
            }
        }
        if slot >= 0 && nearest > 0 && emptyStretch > 0 {
            // Concealment already given while the buffer was empty stands for (part of) this gap.
            let skip = min(nearest, emptyStretch)
            playTimestamp &+= UInt32(truncatingIfNeeded: skip)
            emptyStretch -= skip
            nearest -= skip
        }
        if slot >= 0 { emptyStretch = 0 }
        if slot >= 0 && nearest == 0 {
            slots[slot].used = false
            count -= 1
            playTimestamp &+= UInt32(truncatingIfNeeded: slots[slot].samples)
            emptyRun = 0
            stats.played &+= 1
            adapt(played: slots[slot].samples)
            return .packet(slot: slot, samples: slots[slot].samples)
        }
        if slot >= 0 {
            // A gap before the next packet: conceal up to it.
            let k = min(limit, nearest)
            playTimestamp &+= UInt32(truncatingIfNeeded: k)
            stats.concealedSamples &+= UInt64(k)
            adapt(played: k)
            return .conceal(samples: k)
        }
        // Empty: the next packet is late or lost, or the talk spurt ended. Conceal without moving the
        // play position (a late packet then plays at once, the delay grown by the wait; a gap found
        // afterwards is shortened by what was concealed), for a while; then stop until the next spurt.
        let concealLimit = configuration.concealMilliseconds * configuration.clockRate / 1000
        if emptyRun >= concealLimit {
            playing = false
            emptyStretch = 0
            stats.underruns &+= 1
            stats.depthSamples = 0
            return .silence(samples: limit)
        }
        let k = min(limit, concealLimit - emptyRun)
        emptyRun += k
        emptyStretch += k
        stats.concealedSamples &+= UInt64(k)
        return .conceal(samples: k)
    }

    /// Forgets every packet and waits for a new talk spurt (e.g. the far end changed).
    public mutating func reset() {
        for i in 0..<configuration.slots { slots[i].used = false }
        count = 0
        playing = false
        emptyRun = 0
        stretchPending = 0
        emptyStretch = 0
        hasTransit = false
        stats.depthSamples = 0
    }

    // MARK: internals

    @usableFromInline var target: Int { stats.targetSamples }

    // Samples queued ahead of playout: from the play position to the end of the last packet.
    @usableFromInline var depth: Int {
        guard count > 0 else { return 0 }
        return span(from: playing ? playTimestamp : (earliest().map { slots[$0].timestamp } ?? 0))
    }

    @usableFromInline func span(from start: UInt32) -> Int {
        var end = 0
        for i in 0..<configuration.slots where slots[i].used {
            let e = Int(Int32(bitPattern: slots[i].timestamp &- start)) + slots[i].samples
            if e > end { end = e }
        }
        return end
    }

    @usableFromInline func earliest() -> Int? {
        var best = -1
        for i in 0..<configuration.slots where slots[i].used {
            if best < 0 || Int32(bitPattern: slots[i].timestamp &- slots[best].timestamp) < 0 { best = i }
        }
        return best < 0 ? nil : best
    }

    // RFC 3550 A.8, integer form.
    @usableFromInline mutating func updateJitter(timestamp: UInt32, arrival: UInt32) {
        let transit = arrival &- timestamp
        if hasTransit {
            let d = Int64(Int32(bitPattern: transit &- lastTransit)).magnitude
            let j = Int64(jitterScaled) + Int64(d) - Int64((UInt64(jitterScaled) + 8) >> 4)
            jitterScaled = UInt32(clamping: j)
        }
        lastTransit = transit
        hasTransit = true
        stats.jitterSamples = Int(jitterScaled >> 4)
    }

    @usableFromInline mutating func updateTarget() {
        let wanted = frameSamples + 4 * Int(jitterScaled >> 4) + lateBump
        stats.targetSamples = min(max(wanted, minimumSamples), maximumSamples)
    }

    // After each piece played: tracks the smallest depth over a second of playout; a second whose
    // smallest depth stayed a packet above target drops the oldest packet (delay back toward target);
    // a second without late packets lets the late bump decay.
    @usableFromInline mutating func adapt(played: Int) {
        let d = depth
        stats.depthSamples = d
        if d < windowMinDepth { windowMinDepth = d }
        windowPlayed += played
        guard windowPlayed >= configuration.clockRate else { return }
        if !windowLate && lateBump > 0 {
            lateBump = max(0, lateBump - frameSamples)
            updateTarget()
        }
        if windowMinDepth != Int.max && windowMinDepth >= target + frameSamples, let oldest = earliest(),
           slots[oldest].timestamp == playTimestamp {
            slots[oldest].used = false
            count -= 1
            playTimestamp &+= UInt32(truncatingIfNeeded: slots[oldest].samples)
            stats.skewDrops &+= 1
            stats.depthSamples = depth
        }
        windowMinDepth = Int.max
        windowPlayed = 0
        windowLate = false
    }
}
