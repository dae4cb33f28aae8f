// MediaSessionID: names one relay session in the engine's preallocated table (slot and generation).

/// A session handle: the table slot and the generation of that slot's use, so a stale handle of a
/// destroyed session never reaches the session that reuses the slot.
public struct MediaSessionID: Sendable, Hashable, BitwiseCopyable, CustomStringConvertible {
    /// Index in the session table.
    public let slot: UInt32
    /// How many times the slot has been handed out before.
    public let generation: UInt32

    /// Creates a handle.
    public init(slot: UInt32, generation: UInt32) {
        self.slot = slot
        self.generation = generation
    }

    /// `slot.generation`.
    public var description: String { "\(slot).\(generation)" }
}

/// The two legs of a session. Packets received on one are relayed out of the other.
public enum MediaLeg: Int, Sendable, Hashable, BitwiseCopyable, CaseIterable {
    /// Conventionally the PBX (LAN) side.
    case a = 0
    /// Conventionally the trunk (WAN) side.
    case b = 1

    /// The other leg.
    public var other: MediaLeg { self == .a ? .b : .a }
}
