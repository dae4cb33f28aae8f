// MediaEngineError: why the control side of the media engine refused a request.
import Glibc

/// A refused request, with a reason a person can read.
public enum MediaEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command queue is full: the media thread has not caught up. Nothing was queued and the
    /// caller still owns the sockets it passed.
    case commandQueueFull
    /// Every session slot is in use.
    case noFreeSession
    /// The handle names no live session.
    case unknownSession(MediaSessionID)
    /// The configuration is unusable.
    case invalidConfiguration(String)
    /// A system call failed.
    case system(String, errno: Int32)
    /// The engine is not running, or is already running.
    case wrongState(String)

    /// A sentence for logs and the console.
    public var description: String {
        switch self {
        case .commandQueueFull: return "media command queue is full; command refused"
        case .noFreeSession: return "no free media session slot"
        case .unknownSession(let id): return "no media session \(id)"
        case .invalidConfiguration(let why): return "invalid media configuration: \(why)"
        case .system(let call, let e): return "\(call) failed: \(String(cString: strerror(e)))"
        case .wrongState(let why): return why
        }
    }
}
