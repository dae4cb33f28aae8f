// CallerIdentity: the caller ID an outgoing trunk call presents (or none), and whether to assert it.

/// The caller ID for an outgoing trunk call, as `CallerIDPolicy` decides it.
public struct CallerIdentity: Sendable, Hashable, CustomStringConvertible {
    /// Why a number may be shown.
    public enum Source: String, Sendable, Hashable {
        /// One of the profile's Online Numbers.
        case onlineNumber = "online-number"
        /// One of the profile's verified landline numbers.
        case verifiedNumber = "verified-number"
    }

    /// `+` and E.164 digits; nil: none (the caller is shown as unknown, or as whatever the trunk defaults to).
    public let number: String?
    public let source: Source?
    /// Whether to send the number in P-Asserted-Identity too (never without a number).
    public let sendPAssertedIdentity: Bool

    public init(number: String?, source: Source?, sendPAssertedIdentity: Bool) {
        self.number = number
        self.source = number == nil ? nil : source
        self.sendPAssertedIdentity = number != nil && sendPAssertedIdentity
    }

    /// No caller ID.
    public static let anonymous = CallerIdentity(number: nil, source: nil, sendPAssertedIdentity: false)

    public var isAnonymous: Bool { number == nil }

    public var description: String {
        guard let number else { return "anonymous" }
        return number + " (" + (source?.rawValue ?? "?") + (sendPAssertedIdentity ? ", P-Asserted-Identity)" : ")")
    }
}
