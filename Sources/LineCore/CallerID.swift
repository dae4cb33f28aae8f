// CallerID: the caller's number and name as decoded from the line (Bell 202 / V.23 FSK, DTMF CLIP).

/// What the caller-ID decoder found. Either field may be missing; `absence` says why the number is not given.
public struct CallerID: Sendable, Hashable {
    /// Why the network sent no number (MDMF/SDMF "P" and "O", ETSI reason codes).
    public enum Absence: String, Sendable, Hashable {
        case withheld, unavailable
    }

    public var number: String?
    public var name: String?
    public var absence: Absence?

    public init(number: String? = nil, name: String? = nil, absence: Absence? = nil) {
        self.number = number
        self.name = name
        self.absence = absence
    }
}
