// GPIOBackend: the small interface every GPIO implementation of the line offers (request by role, set, read, edges, poll fd).
import LineCore

/// A change on an input line. Levels are logical (active-low already applied): true is "active".
public struct GPIOEdge: Sendable, Hashable {
    public var role: GPIORole
    public var active: Bool
    /// When it happened on the caller's clock, if the backend knows (the simulation does); nil: "just now".
    public var atMilliseconds: Int64?

    public init(role: GPIORole, active: Bool, atMilliseconds: Int64? = nil) {
        self.role = role
        self.active = active
        self.atMilliseconds = atMilliseconds
    }
}

/// Why a GPIO operation failed; `description` names the chip, line and role concerned.
public struct GPIOError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case chipNotFound = "chip not found"
        case lineUnavailable = "line unavailable"
        case requestFailed = "request failed"
        case notRequested = "not requested"
        case ioFailed = "i/o failed"
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// GPIO lines by role. Values are logical: the backend applies each pin's active-low flag. Not thread
/// safe: one owner (the control loop) drives it.
public protocol GPIOBackend: AnyObject {
    /// Claims an output line and drives it to `active` at once.
    func requestOutput(_ pin: BoardPin, active: Bool) throws(GPIOError)
    /// Claims an input line with edge events on both edges.
    func requestInput(_ pin: BoardPin) throws(GPIOError)
    /// Drives a requested output.
    func set(_ role: GPIORole, active: Bool) throws(GPIOError)
    /// Reads a requested input (or the level an output is driven to).
    func read(_ role: GPIORole) throws(GPIOError) -> Bool
    /// The input edges that happened up to `nowMilliseconds`, oldest first, without blocking. A hardware
    /// backend returns what the kernel queued and ignores the time.
    func takeEdges(nowMilliseconds: Int64) throws(GPIOError) -> [GPIOEdge]
    /// File descriptors that become readable when an edge is queued (empty: poll with `takeEdges`).
    var eventDescriptors: [Int32] { get }
    /// Releases every line (outputs keep their last level in hardware).
    func releaseAll()
}
