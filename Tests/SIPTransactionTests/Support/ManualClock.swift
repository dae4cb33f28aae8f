// ManualClock: a virtual clock for the transaction tests: applies actions, runs timers only when time is advanced by hand.
import SIPCore
import SIPTransaction
import Testing

// One running timer: the transaction it belongs to (nil when a single machine is driven) and its name.
struct TimerRef: Hashable, CustomStringConvertible {
    var key: SIPTransactionKey?
    var name: SIPTimerName
    var description: String { key.map { "\(name) on \($0)" } ?? name.description }
}

// Plays the driver: records every action with the virtual time it happened at, keeps the timers the
// machines started, and fires them in deadline order (ties in start order) when time moves on.
struct ManualClock {
    private(set) var now: Duration = .zero
    private(set) var log: [(at: Duration, key: SIPTransactionKey?, action: SIPTransactionAction)] = []
    private var pending: [TimerRef: (deadline: Duration, order: Int)] = [:]
    private var nextOrder = 0

    mutating func apply(_ actions: [SIPTransactionAction], key: SIPTransactionKey? = nil) {
        for action in actions {
            log.append((now, key, action))
            switch action {
            case .startTimer(let name, let duration):
                let ref = TimerRef(key: key, name: name)
                if pending[ref] != nil { Issue.record("\(ref) started while already running") }
                #expect(duration > .zero, "\(ref) started with no delay")
                pending[ref] = (now + duration, nextOrder)
                nextOrder += 1
            case .cancelTimer(let name):
                let ref = TimerRef(key: key, name: name)
                if pending.removeValue(forKey: ref) == nil { Issue.record("\(ref) cancelled but not running") }
            case .terminated:
                if pending.keys.contains(where: { $0.key == key }) { Issue.record("terminated with timers still running") }
            default:
                break
            }
        }
    }

    // Moves time to `deadline`, firing every timer due by then (including ones started by earlier firings).
    mutating func advance(to deadline: Duration, fire: (TimerRef) -> [SIPTransactionAction]) {
        while let next = pending.min(by: { ($0.value.deadline, $0.value.order) < ($1.value.deadline, $1.value.order) }),
              next.value.deadline <= deadline {
            pending.removeValue(forKey: next.key)
            now = next.value.deadline
            apply(fire(next.key), key: next.key.key)
        }
        now = deadline
    }

    mutating func advance(by duration: Duration, fire: (TimerRef) -> [SIPTransactionAction]) {
        advance(to: now + duration, fire: fire)
    }

    // Moves time on when no timer may fire on the way (checked).
    mutating func wait(_ duration: Duration) {
        advance(by: duration) { ref in
            Issue.record("\(ref) fired during a quiet wait")
            return []
        }
    }

    var sent: [(at: Duration, message: SIPMessage)] {
        log.compactMap { if case .send(let m) = $0.action { return ($0.at, m) }; return nil }
    }
    /// Everything handed to the transport as bytes: messages serialized, `sendSerialized` as given.
    var sentBytes: [(at: Duration, bytes: [UInt8])] {
        log.compactMap {
            switch $0.action {
            case .send(let m): return ($0.at, m.serialized())
            case .sendSerialized(let bytes): return ($0.at, bytes)
            default: return nil
            }
        }
    }
    var sendTimesMS: [Int] { sentBytes.map { Self.ms($0.at) } }
    var passedUp: [SIPMessage] { log.compactMap { if case .passUp(let m) = $0.action { return m }; return nil } }
    var runningTimers: Set<SIPTimerName> { Set(pending.keys.map(\.name)) }
    var hasRunningTimers: Bool { !pending.isEmpty }

    // The virtual times, in milliseconds, at which `action` was emitted.
    func timesMS(of action: SIPTransactionAction) -> [Int] { log.filter { $0.action == action }.map { Self.ms($0.at) } }

    // When a running timer is due, in milliseconds.
    func deadlineMS(of name: SIPTimerName, key: SIPTransactionKey? = nil) -> Int? {
        pending[TimerRef(key: key, name: name)].map { Self.ms($0.deadline) }
    }

    static func ms(_ d: Duration) -> Int {
        Int(d.components.seconds) * 1000 + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }
}
