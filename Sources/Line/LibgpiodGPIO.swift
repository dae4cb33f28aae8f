// LibgpiodGPIO: the GPIO backend on libgpiod 1.6 (the v1 API of Debian 12); every libgpiod call of the firmware is in this type.
import CGPIOD
import Glibc
import LineCore

/// Claims lines with the character-device API through libgpiod v1. Chips are opened by
/// `gpiod_chip_open_lookup` (a name such as `gpiochip0`, a path, a label or a number) on first use.
/// Active-low is applied here, not by the kernel, so inputs, edges and outputs all follow one rule.
public final class LibgpiodGPIO: GPIOBackend {
    private struct Claimed {
        var pin: BoardPin
        var line: OpaquePointer
    }

    /// The consumer name shown by `gpioinfo`.
    public let consumer: String
    private var chips: [String: OpaquePointer] = [:]
    private var claimed: [GPIORole: Claimed] = [:]

    public init(consumer: String = "trunkbox") {
        self.consumer = consumer
    }

    deinit {
        releaseAll()
    }

    public func requestOutput(_ pin: BoardPin, active: Bool) throws(GPIOError) {
        let line = try line(for: pin)
        let rc = gpiod_line_request_output(line, consumer, active != pin.activeLow ? 1 : 0)
        guard rc == 0 else { throw failure(.requestFailed, "requesting \(pin.role.rawValue) as output", pin) }
        claimed[pin.role] = Claimed(pin: pin, line: line)
    }

    public func requestInput(_ pin: BoardPin) throws(GPIOError) {
        let line = try line(for: pin)
        let rc = gpiod_line_request_both_edges_events(line, consumer)
        guard rc == 0 else { throw failure(.requestFailed, "requesting \(pin.role.rawValue) for edge events", pin) }
        claimed[pin.role] = Claimed(pin: pin, line: line)
    }

    public func set(_ role: GPIORole, active: Bool) throws(GPIOError) {
        guard let c = claimed[role], role.isOutput else { throw GPIOError(.notRequested, "\(role.rawValue) is not a requested output") }
        guard gpiod_line_set_value(c.line, active != c.pin.activeLow ? 1 : 0) == 0 else {
            throw failure(.ioFailed, "setting \(role.rawValue)", c.pin)
        }
    }

    public func read(_ role: GPIORole) throws(GPIOError) -> Bool {
        guard let c = claimed[role] else { throw GPIOError(.notRequested, "\(role.rawValue) is not requested") }
        let value = gpiod_line_get_value(c.line)
        guard value >= 0 else { throw failure(.ioFailed, "reading \(role.rawValue)", c.pin) }
        return (value == 1) != c.pin.activeLow
    }

    public func takeEdges(nowMilliseconds: Int64) throws(GPIOError) -> [GPIOEdge] {
        var edges: [(ns: Int64, edge: GPIOEdge)] = []
        for (role, c) in claimed where !role.isOutput {
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            var taken = 0
            while taken < 64 {  // bounded: a line chattering faster than we read cannot hold the loop
                let ready = gpiod_line_event_wait(c.line, &zero)
                if ready < 0 { throw failure(.ioFailed, "waiting for \(role.rawValue) events", c.pin) }
                if ready == 0 { break }
                var event = gpiod_line_event()
                guard gpiod_line_event_read(c.line, &event) == 0 else { throw failure(.ioFailed, "reading \(role.rawValue) events", c.pin) }
                let rising = event.event_type == Int32(GPIOD_LINE_EVENT_RISING_EDGE)
                let ns = Int64(event.ts.tv_sec) * 1_000_000_000 + Int64(event.ts.tv_nsec)
                edges.append((ns, GPIOEdge(role: role, active: rising != c.pin.activeLow)))
                taken += 1
            }
        }
        // Lines are read one after another; the kernel's timestamps put their edges back in order.
        return edges.sorted { $0.ns < $1.ns }.map(\.edge)
    }

    public var eventDescriptors: [Int32] {
        claimed.values.filter { !$0.pin.role.isOutput }.map { gpiod_line_event_get_fd($0.line) }.filter { $0 >= 0 }
    }

    public func releaseAll() {
        for c in claimed.values { gpiod_line_release(c.line) }
        claimed = [:]
        for chip in chips.values { gpiod_chip_close(chip) }
        chips = [:]
    }

    private func line(for pin: BoardPin) throws(GPIOError) -> OpaquePointer {
        if claimed[pin.role] != nil { throw GPIOError(.requestFailed, "\(pin.role.rawValue) requested twice") }
        let chip: OpaquePointer
        if let open = chips[pin.chip] {
            chip = open
        } else {
            guard let opened = gpiod_chip_open_lookup(pin.chip) else {
                let reason = String(cString: strerror(errno))
                throw GPIOError(.chipNotFound, "GPIO chip '\(pin.chip)' (for \(pin.role.rawValue)) could not be opened: \(reason)")
            }
            chips[pin.chip] = opened
            chip = opened
        }
        guard let line = gpiod_chip_get_line(chip, UInt32(pin.offset)) else {
            throw failure(.lineUnavailable, "getting \(pin.role.rawValue)", pin)
        }
        return line
    }

    private func failure(_ kind: GPIOError.Kind, _ what: String, _ pin: BoardPin) -> GPIOError {
        let reason = String(cString: strerror(errno))
        return GPIOError(kind, "\(what) (line \(pin.offset) of GPIO chip '\(pin.chip)') failed: \(reason)")
    }
}

@available(*, unavailable)
extension LibgpiodGPIO: Sendable {}
