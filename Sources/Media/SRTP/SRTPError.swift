// SRTPError: why an SRTP context could not be made or a key could not be read.

/// A failure setting up SRTP, with a reason a person can read. Never carries key material.
public struct SRTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public var reason: String
    /// libsrtp2's `srtp_err_status_t` value when libsrtp reported the failure, else nil.
    public var libsrtpStatus: Int32?

    /// Creates an error.
    public init(_ reason: String, libsrtpStatus: Int32? = nil) {
        self.reason = reason
        self.libsrtpStatus = libsrtpStatus
    }

    /// The reason, with libsrtp's status code when there is one.
    public var description: String {
        if let s = libsrtpStatus { return "\(reason) (libsrtp status \(s))" }
        return reason
    }
}
